package dev.gameday.review;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.exercise.Model.Criterion;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.exercise.Model.Level;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Feedback to candidates (issue 24, item 7) on a real database: release after a decision only, what the candidate reads. */
@ExtendWith(PostgresExtension.class)
class FeedbackTest {
  static final String EX = "incident-postmortem";
  static TestApp app;
  static Vertx vertx;
  static Exercise exercise;
  static final AtomicInteger counter = new AtomicInteger();

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    exercise = app.app.catalog.track("sre-senior").orElseThrow().versions().stream()
        .filter(v -> v.exercise().id().equals(EX)).findFirst().orElseThrow().exercise();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  /** A submitted candidate, reviewed twice (levels 3 and 4 on every criterion), with comments for the candidate. */
  record Scenario(long invitationId, String sid, Browser candidate, String answer, String comment, String reviewerName,
                  String note) {
  }

  static Scenario reviewed(TestApp app, Vertx vertx, String tag) {
    int n = counter.incrementAndGet();
    var c = app.invite("Fran Candidate" + n, "fran" + n + tag.toLowerCase() + "@example.com");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + c.token()));
    String answer = "Distinctive answer " + tag + " about the pool after the release.";
    await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", answer))));
    String sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    String reviewerName = "Quentin Reviewerson" + tag;
    String email1 = "quentin" + n + tag.toLowerCase() + "@example.com";
    await(app.app.accounts.add(reviewerName, email1, TestApp.PASSWORD, "reviewer"));
    Browser a = app.signIn(vertx, email1);
    Browser b = app.signIn(vertx, app.account("reviewer"));
    String comment = "Comment for you " + tag + ": lead with the customer impact.";
    String note = "Evidence note only for reviewers " + tag;
    submit(a, sid, 3, note, comment);
    submit(b, sid, 4, note, null);
    return new Scenario(c.id(), sid, cand, answer, comment, reviewerName, note);
  }

  static void submit(Browser b, String sid, int level, String note, String comment) {
    JsonObject scores = new JsonObject();
    exercise.rubric().forEach(c -> scores.put(c.id(), new JsonObject().put("level", level).put("note", note)));
    JsonObject body = new JsonObject().put("scores", scores).put("recommendation", "yes");
    if (comment != null) {
      body.put("for_candidate", comment);
    }
    HttpResponse<Buffer> r = await(b.post("/api/v1/review/submissions/" + sid + "/exercises/" + EX + "/review/submit", body));
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  static void decide(Browser admin, String sid) {
    HttpResponse<Buffer> r = await(admin.post("/api/v1/review/submissions/" + sid + "/decision", new JsonObject()
        .put("decision", "advance").put("rationale", "Clear analysis.").put("confirmIncomplete", true)));
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  static HttpResponse<Buffer> release(Browser recruiter, long id, boolean confirm) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("_csrf", recruiter.cookie("XSRF-TOKEN"));
    if (confirm) {
      form.add("confirm", "yes");
    }
    return await(recruiter.postForm("/candidates/" + id + "/release-feedback", form));
  }

  static long released(String sid) {
    return app.one("select count(*) as n from audit_log where action = 'feedback.released' and subject = $1", "submission:" + sid)
        .orElseThrow().getLong("n");
  }

  @Test
  @DisplayName("before the decision nothing can be released and the candidate sees nothing; after release, descriptors and comments, never anchors, notes or names; a refresh repeats nothing")
  void releaseAfterDecision() {
    Scenario s = reviewed(app, vertx, "ONE");
    Scenario other = reviewed(app, vertx, "TWO");
    Browser recruiter = app.signIn(vertx, app.account("recruiter"));
    Browser admin = app.signIn(vertx, app.account("admin"));

    // not decided: refused with a readable message, nothing written
    HttpResponse<Buffer> early = release(recruiter, s.invitationId(), true);
    assertEquals(303, early.statusCode());
    assertEquals("/candidates/" + s.invitationId(), early.getHeader("Location"));
    assertTrue(await(recruiter.get("/candidates/" + s.invitationId())).bodyAsString().contains("only after a decision"));
    assertEquals(0, released(s.sid()));
    HttpResponse<Buffer> before = await(s.candidate().get("/candidate/feedback"));
    assertEquals(404, before.statusCode());
    assertTrue(before.bodyAsString().contains("not available"));
    assertFalse(before.bodyAsString().contains(s.comment()));
    HttpResponse<Buffer> beforeJson = await(s.candidate().get("/api/v1/candidate/feedback"));
    assertEquals(404, beforeJson.statusCode());
    assertEquals("feedback_not_released", beforeJson.bodyAsJsonObject().getString("error"));
    assertEquals(404, await(s.candidate().get("/candidate/feedback/download")).statusCode());

    decide(admin, s.sid());
    decide(admin, other.sid());
    // decided, not released: still nothing
    assertEquals(404, await(s.candidate().get("/candidate/feedback")).statusCode());
    // the page offers the release once decided
    assertTrue(await(recruiter.get("/candidates/" + s.invitationId())).bodyAsString().contains("/release-feedback"));
    // without the confirmation box: nothing
    assertEquals(303, release(recruiter, s.invitationId(), false).statusCode());
    assertEquals(0, released(s.sid()));
    assertEquals(404, await(s.candidate().get("/candidate/feedback")).statusCode());

    HttpResponse<Buffer> ok = release(recruiter, s.invitationId(), true);
    assertEquals(303, ok.statusCode());
    assertTrue(await(recruiter.get("/candidates/" + s.invitationId())).bodyAsString().contains("Feedback is released"));
    assertEquals(1, released(s.sid()));
    // again (a refresh of the POST): nothing repeated
    assertEquals(303, release(recruiter, s.invitationId(), true).statusCode());
    String afterRelease = await(recruiter.get("/candidates/" + s.invitationId())).bodyAsString();
    assertTrue(afterRelease.contains("already released"));
    assertEquals(1, released(s.sid()));
    // once released, the page says so (and when, in its timeline) instead of offering the release again
    String reloaded = await(recruiter.get("/candidates/" + s.invitationId())).bodyAsString();
    assertFalse(reloaded.contains("/release-feedback"), "the release is no longer offered");
    assertTrue(reloaded.contains("Feedback released to the candidate"), "the page and its timeline say it was released");
    // the other candidate's feedback stays unreleased
    assertEquals(404, await(other.candidate().get("/candidate/feedback")).statusCode());
    release(admin, other.invitationId(), true); // an admin may release too

    HttpResponse<Buffer> page = await(s.candidate().get("/candidate/feedback"));
    assertEquals(200, page.statusCode());
    String html = page.bodyAsString();
    String json = await(s.candidate().get("/api/v1/candidate/feedback")).bodyAsString();
    HttpResponse<Buffer> file = await(s.candidate().get("/candidate/feedback/download"));
    assertEquals(200, file.statusCode());
    assertTrue(file.getHeader("Content-Disposition").startsWith("attachment"), file.getHeader("Content-Disposition"));
    String download = file.bodyAsString();
    assertTrue(download.contains(s.answer()), "the download holds the answer");
    JsonObject dj = new JsonObject(download);
    assertEquals(s.answer(), dj.getJsonArray("exercises").stream().map(o -> (JsonObject) o)
        .filter(o -> EX.equals(o.getString("exercise"))).findFirst().orElseThrow().getJsonObject("answer").getString("summary"));
    for (String body : List.of(html, json, download)) {
      assertTrue(body.contains(s.comment()) || body.contains(s.comment().replace(":", "&#x3A;")), "the comment is shown");
      for (Criterion c : exercise.rubric()) {
        // median of 3 and 4 is 3.5: the lower level is shown
        Level three = c.levels().stream().filter(l -> l.score() == 3).findFirst().orElseThrow();
        assertTrue(body.contains(three.descriptor()) || body.contains(escape(three.descriptor())), c.id() + " level 3 descriptor");
        for (Level l : c.levels()) {
          assertFalse(body.contains(l.anchor()) || body.contains(escape(l.anchor())), "no anchor of " + c.id() + "/" + l.score());
        }
      }
      assertFalse(body.contains(s.reviewerName()), "no reviewer name");
      assertFalse(body.contains("@example.com"), "no reviewer email");
      assertFalse(body.contains(s.note()), "no evidence note");
      assertFalse(body.contains(other.comment()), "no other candidate's comment");
      assertFalse(body.contains(other.answer()), "no other candidate's answer");
    }
    // no candidate route shows an anchor or a reviewer's identity once released
    for (String path : List.of("/candidate", "/candidate/receipt", "/candidate/review", "/api/v1/candidate")) {
      String body = await(s.candidate().get(path)).bodyAsString();
      assertFalse(body.contains(s.reviewerName()), path);
      for (Criterion c : exercise.rubric()) {
        for (Level l : c.levels()) {
          assertFalse(body.contains(escape(l.anchor())) || body.contains(l.anchor()), path + ": anchor " + c.id());
        }
      }
    }
    assertTrue(await(s.candidate().get("/candidate/receipt")).bodyAsString().contains("/candidate/feedback"), "receipt links to feedback");
  }

  @Test
  @DisplayName("the comment for the candidate: kept with the review, at most 2,000 characters, hidden from other reviewers until they submit")
  void commentField() {
    var c = app.invite("Gil Candidate", "gil@example.com");
    Browser cand = new Browser(vertx, app.port);
    await(cand.get("/i/" + c.token()));
    await(cand.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "An answer."))));
    String sid = await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    Browser a = app.signIn(vertx, app.account("reviewer"));
    Browser b = app.signIn(vertx, app.account("reviewer"));
    String api = "/api/v1/review/submissions/" + sid + "/exercises/" + EX + "/review";
    HttpResponse<Buffer> tooLong = await(a.put(api, new JsonObject().put("scores", new JsonObject()).put("for_candidate", "x".repeat(2001))));
    assertEquals(400, tooLong.statusCode());
    assertEquals("comment_too_long", tooLong.bodyAsJsonObject().getString("error"));
    // the form keeps the comment; a draft save without the field keeps it too
    HttpResponse<Buffer> form = await(a.postForm("/review/" + sid + "/" + EX, MultiMap.caseInsensitiveMultiMap()
        .add("_csrf", a.cookie("XSRF-TOKEN")).add("action", "save").add("for_candidate", "Kept for the candidate")));
    assertEquals(303, form.statusCode());
    await(a.put(api, new JsonObject().put("scores", new JsonObject())));
    assertTrue(await(a.get("/review/" + sid + "/" + EX)).bodyAsString().contains("Kept for the candidate"));
    submit(a, sid, 2, "n", null);
    // B has not submitted: A's comment is nowhere on B's page or JSON
    assertFalse(await(b.get("/review/" + sid + "/" + EX)).bodyAsString().contains("Kept for the candidate"));
    assertFalse(await(b.get("/api/v1/review/submissions/" + sid + "/exercises/" + EX)).bodyAsString().contains("Kept for the candidate"));
    assertEquals("Kept for the candidate", app.one("select for_candidate from reviews where submission_id = $1 and state = 'submitted'",
        java.util.UUID.fromString(sid)).orElseThrow().getString("for_candidate"));
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        .replace("'", "&#x27;").replace("=", "&#x3D;").replace("`", "&#x60;");
  }
}

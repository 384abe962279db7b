package dev.gameday.candidate;

import dev.gameday.Config;
import dev.gameday.candidate.CandidateService.ExerciseStatus;
import dev.gameday.candidate.CandidateService.Overview;
import dev.gameday.exercise.Model.Evidence;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.web.Flash;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.MarkdownRenderer;
import dev.gameday.web.Pages;
import dev.gameday.web.Session;
import dev.gameday.web.Sessions;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Catalog.Version;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The candidate's pages and JSON API (contract: README, "HTTP contract"). */
public final class CandidateRoutes {
  private static final DateTimeFormatter HUMAN = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm 'UTC'", java.util.Locale.ENGLISH);

  private final CandidateService service;
  private final Catalog catalog;
  private final Sessions sessions;
  private final Pages pages;
  private final Config config;
  private final MarkdownRenderer markdown;
  private final Trails trails;
  private final MoreTime moreTime;

  public CandidateRoutes(CandidateService service, Catalog catalog, Sessions sessions, Pages pages, Config config,
                         MarkdownRenderer markdown, Trails trails) {
    this.trails = trails;
    this.service = service;
    this.markdown = markdown;
    this.catalog = catalog;
    this.sessions = sessions;
    this.pages = pages;
    this.config = config;
    this.moreTime = new MoreTime(service.pool(), config.publicUrl());
  }

  public void mount(Router router) {
    router.get("/i/:token").handler(this::openLink);
    router.post("/i/:token").handler(this::redeem);
    router.get("/candidate").handler(this::overviewPage);
    router.get("/candidate/exercises/:exerciseId").handler(this::exercisePage);
    router.get("/candidate/exercises/:exerciseId/evidence/:index").handler(this::evidenceFile);
    router.get("/candidate/review").handler(this::reviewPage);
    router.post("/candidate/submit").handler(this::submitForm);
    router.post("/candidate/more-time").handler(this::moreTimeForm);
    router.get("/candidate/receipt").handler(this::receiptPage);
    router.get("/candidate/receipt.txt").handler(this::receiptFile);

    router.get("/api/v1/candidate").handler(this::overviewJson);
    router.get("/api/v1/candidate/answers/:exerciseId").handler(this::answerJson);
    router.put("/api/v1/candidate/answers/:exerciseId").handler(this::saveJson);
    router.post("/api/v1/candidate/submit").handler(this::submitJson);
    router.post("/api/v1/candidate/preview").handler(this::previewJson);
    router.get("/api/v1/candidate/trail/:exerciseId").handler(this::trailJson);
    router.post("/api/v1/candidate/trail/:exerciseId").handler(this::recordTrail);
  }

  /**
   * Opening an invitation link. With nobody signed in it signs the browser in. A browser already signed in (a
   * reviewer's or admin's account, or another candidate) is asked first: the page posts back to {@link #redeem};
   * until then nothing changes, not even the time limit. The candidate's own link goes straight to the overview.
   */
  private void openLink(RoutingContext ctx) {
    Session s = ctx.get(Session.KEY);
    if (s == null) {
      redeem(ctx);
      return;
    }
    String token = ctx.pathParam("token");
    service.peek(token).compose(open -> open.isPresent() ? Future.succeededFuture(open) : service.submittedBy(token)).onSuccess(id -> {
      if (id.isEmpty()) {
        pages.render(ctx, 404, "invalid-link", Map.of("title", "This link is not valid"));
      } else if (s.candidate() && id.get().equals(s.invitationId())) {
        Http.redirect(ctx, "/candidate");
      } else {
        Map<String, Object> m = new HashMap<>();
        m.put("title", "Continue as the candidate?");
        m.put("token", token);
        m.put("asAccount", s.account());
        m.put("currentName", s.name());
        m.put("currentEmail", s.email());
        m.put("currentRole", s.admin() ? "admin" : "reviewer");
        m.put("stayHref", s.account() ? "/review" : "/candidate");
        pages.render(ctx, 200, "invitation-confirm", m);
      }
    }).onFailure(ctx::fail);
  }

  private void redeem(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    // an open invitation goes to the overview; a submitted one to its receipt (issue 21, defect 6), never "not valid"
    service.redeem(token)
        .compose(id -> id.isPresent() ? sessions.start(ctx, "candidate", id.get(), null, null).map("/candidate")
            : service.submittedBy(token).compose(done -> done.isEmpty() ? Future.succeededFuture((String) null)
                : sessions.start(ctx, "candidate", done.get(), null, null).map("/candidate/receipt")))
        .onSuccess(to -> {
          if (to != null) {
            Http.redirect(ctx, to);
          } else {
            pages.render(ctx, 404, "invalid-link", Map.of("title", "This link is not valid"));
          }
        })
        .onFailure(ctx::fail);
  }

  /** The signed-in candidate's invitation id, or a 401 answered (page or JSON) and null returned. */
  private Long candidate(RoutingContext ctx) {
    return signedIn(ctx);
  }

  /** As {@link #candidate}, for other features' candidate routes (the privacy page). */
  public static Long signedIn(RoutingContext ctx) {
    Session s = ctx.get(Session.KEY);
    if (s == null || !s.candidate()) {
      ctx.fail(401, new ClientError(401, "no_session",
          "You are not signed in. Open your invitation link again; everything you saved is kept."));
      return null;
    }
    return s.invitationId();
  }

  private void overviewPage(RoutingContext ctx) {
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
    service.overview(id).compose(o -> markdown.cached("track:" + o.track().getString("id"), o.track().getString("description")).map(description -> {
      Map<String, Object> m = base(o);
      m.put("title", o.track().getString("title"));
      m.put("trackDescription", description);
      m.put("totalMinutes", o.exercises().stream().mapToInt(e -> e.version().exercise().minutes()).sum());
      m.put("exercises", o.exercises().stream().map(this::exerciseItem).toList());
      m.put("contact", config.contact());
      m.put("submittedAt", human(o.submittedAt()));
      m.put("submittedAtIso", o.submittedAt() == null ? null : o.submittedAt().toString());
      return m;
    })).compose(m -> withMoreTime(ctx, id, m)).onSuccess(m -> pages.render(ctx, 200, "candidate-overview", m)).onFailure(ctx::fail);
  }

  private Map<String, Object> base(Overview o) {
    Map<String, Object> m = new HashMap<>();
    m.put("pseudonym", o.pseudonym());
    m.put("submitted", o.submitted());
    m.put("open", o.open() && !o.submitted());
    m.put("closed", !o.open() && !o.submitted());
    m.put("deadline", human(o.deadline()));
    m.put("deadlineIso", o.deadline().toString());
    m.put("closesAt", human(o.closesAt()));
    m.put("closesAtIso", o.closesAt().toString());
    m.put("closesEarly", o.closesAt().isBefore(o.deadline()));
    m.put("timeLimitMinutes", o.timeLimitMinutes());
    m.put("trackTitle", o.track().getString("title"));
    return m;
  }

  private Map<String, Object> exerciseItem(ExerciseStatus e) {
    Exercise ex = e.version().exercise();
    Map<String, Object> m = new HashMap<>();
    m.put("id", ex.id());
    m.put("title", ex.title());
    m.put("minutes", ex.minutes());
    m.put("summary", ex.summary());
    m.put("status", e.status());
    m.put("started", !"not_started".equals(e.status()));
    m.put("words", e.wordsWritten());
    m.put("savedAt", e.savedAt() == null ? null : e.savedAt().toString());
    return m;
  }

  private void exercisePage(RoutingContext ctx) {
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
    String exerciseId = ctx.pathParam("exerciseId");
    service.overviewAnd(id, exerciseId).compose(oa -> {
      Overview o = oa.overview();
      ExerciseStatus status = o.exercise(exerciseId).orElse(null);
      if (status == null) {
        return Future.failedFuture(CandidateService.unknownExercise(exerciseId));
      }
      Exercise ex = status.version().exercise();
      boolean open = o.open() && !o.submitted();
      CandidateService.Answer answer = oa.answer();
      return readPane(status.version(), open).map(pane -> {
        Map<String, Object> m = base(o);
        m.put("title", ex.title());
        m.put("exercise", exerciseItem(status));
        m.put("readPane", pane);
        m.put("hasCharts", ex.evidence().stream().anyMatch(ev -> "csv".equals(ev.kind()))); // links uPlot's stylesheet
        m.put("hasEvidence", !ex.evidence().isEmpty()); // the "Evidence" jump link
        // the time left by the server's clock (timeleft.js counts it down; a reload asks again)
        m.put("secondsLeft", Math.max(0, java.time.Duration.between(java.time.OffsetDateTime.now(), o.closesAt()).getSeconds()));
        m.put("sections", ex.sections().stream().map(s -> Map.<String, Object>of("id", s.id(), "title", s.title(),
            "prompt", s.prompt(), "words", s.words(), "text", answer.sections().get(s.id()))).toList());
        m.put("rev", answer.rev());
        m.put("savedAtIso", answer.savedAt() == null ? "" : answer.savedAt().toString());
        m.put("maxChars", CandidateService.MAX_SECTION_CHARS);
        List<ExerciseStatus> all = o.exercises();
        int i = all.indexOf(status);
        m.put("previous", i > 0 ? exerciseItem(all.get(i - 1)) : null);
        m.put("next", i < all.size() - 1 ? exerciseItem(all.get(i + 1)) : null);
        return m;
      });
    }).compose(m -> withMoreTime(ctx, id, m)).onSuccess(m -> pages.render(ctx, 200, "candidate-exercise", m))
        .onFailure(ctx::fail);
  }

  /**
   * The exercise page's reading pane (brief, criteria, evidence with its chart settings) for a version: fixed content,
   * rendered once per (version, open) and kept, so a request renders and escapes only the candidate's own part.
   */
  private final Map<String, String> readPanes = new java.util.concurrent.ConcurrentHashMap<>();

  private Future<String> readPane(Version version, boolean open) {
    String key = version.id() + ":" + open;
    String hit = readPanes.get(key);
    if (hit != null) {
      return Future.succeededFuture(hit);
    }
    Exercise ex = version.exercise();
    long versionId = version.id();
    Map<Integer, String> sources = new java.util.concurrent.ConcurrentHashMap<>();
    List<Future<String>> docs = ex.evidence().stream()
        .map(ev -> "markdown".equals(ev.kind()) ? catalog.text(versionId, ev.file())
            .compose(t -> {
              sources.put(ev.index(), t);
              return markdown.cached("evidence:" + versionId + ":" + ev.index(), t);
            })
            : Future.succeededFuture((String) null)).toList();
    Future<String> brief = markdown.cached("brief:" + versionId, ex.brief());
    return Future.all(docs).compose(d -> brief).map(b -> {
      Map<String, Object> m = new HashMap<>();
      m.put("brief", b);
      m.put("open", open);
      List<Map<String, Object>> evidence = new ArrayList<>();
      for (Evidence ev : ex.evidence()) {
        evidence.add(Pages.evidence(ev, "/candidate/exercises/" + ex.id() + "/evidence/" + ev.index(),
            docs.get(ev.index()).result()));
      }
      m.put("evidence", evidence);
      m.put("criteria", ex.rubric().stream().map(c -> Map.of("title", c.title(), "description", c.description(),
          "value", c.value())).toList());
      try {
        String html = pages.html("candidate-exercise-read", m);
        // a fallback (Markdown too complex to render) is kept for a while only: keep the pane only when every part is final
        if (markdown.isFinal("brief:" + versionId, ex.brief()) && sources.entrySet().stream()
            .allMatch(en -> markdown.isFinal("evidence:" + versionId + ":" + en.getKey(), en.getValue()))) {
          readPanes.put(key, html);
        }
        return html;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /** Evidence files (markdown ones too, raw) for the viewer; ETag is the file's SHA-256. */
  private void evidenceFile(RoutingContext ctx) {
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
    String exerciseId = ctx.pathParam("exerciseId");
    int index;
    try {
      index = Integer.parseInt(ctx.pathParam("index"));
    } catch (NumberFormatException e) {
      ctx.fail(404, new ClientError(404, "not_found", "There is no such evidence file."));
      return;
    }
    String etag = ctx.request().getHeader("If-None-Match");
    service.version(id, exerciseId).compose(v -> {
      Evidence ev = v.exercise().evidence().stream().filter(e -> e.index() == index).findFirst().orElse(null);
      if (ev == null) {
        return Future.failedFuture(new ClientError(404, "not_found", "There is no such evidence file."));
      }
      return catalog.file(v.id(), ev.file(), etag == null ? null : etag.replace("\"", ""))
          .map(f -> {
            if (f == null) {
              throw new ClientError(404, "not_found", "There is no such evidence file.");
            }
            var res = ctx.response().putHeader("ETag", "\"" + f.sha256() + "\"")
                .putHeader("Cache-Control", "private, max-age=0, must-revalidate");
            if (f.content() == null) {
              res.setStatusCode(304).end();
            } else {
              String type = switch (ev.kind()) {
                case "csv" -> "text/csv; charset=utf-8";
                case "markdown" -> "text/markdown; charset=utf-8";
                default -> "text/plain; charset=utf-8";
              };
              res.putHeader("Content-Type", type).end(f.content());
            }
            return null;
          });
    }).onFailure(ctx::fail);
  }

  private void reviewPage(RoutingContext ctx) {
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
    service.overview(id).compose(o -> trails.live(id).compose(trail -> {
      List<Future<Map<String, Object>>> items = new ArrayList<>();
      for (ExerciseStatus e : o.exercises()) {
        String exerciseId = e.version().exercise().id();
        items.add(service.answer(id, exerciseId).compose(a -> {
          // a revision's text never changes, so (invitation, exercise, section, revision) identifies it
          List<Future<String>> html = a.exercise().sections().stream().map(s -> markdown.cached(
              "draft:" + id + ":" + exerciseId + ":" + s.id() + ":" + a.rev(), a.sections().get(s.id()))).toList();
          return Future.all(html).map(done -> {
            Map<String, Object> item = exerciseItem(e);
            List<Map<String, Object>> secs = new ArrayList<>();
            int empty = 0;
            for (int i = 0; i < a.exercise().sections().size(); i++) {
              var s = a.exercise().sections().get(i);
              String text = a.sections().get(s.id());
              boolean isEmpty = text == null || text.isBlank();
              empty += isEmpty ? 1 : 0;
              secs.add(Map.of("title", s.title(), "html", html.get(i).result(), "empty", isEmpty));
            }
            item.put("sections", secs);
            item.put("emptySections", empty);
            item.put("trail", Trails.view(trail.getOrDefault(a.exercise().id(), List.of()), a.exercise()));
            return item;
          });
        }));
      }
      return Future.all(items).map(all -> {
        Map<String, Object> m = base(o);
        m.put("title", "Review and submit");
        List<Map<String, Object>> list = all.list();
        m.put("exercises", list);
        m.put("emptyTotal", list.stream().mapToInt(x -> (int) x.get("emptySections")).sum());
        Session s = ctx.get(Session.KEY);
        m.put("csrf", s.csrfToken());
        return m;
      });
    })).onSuccess(m -> pages.render(ctx, 200, "candidate-review", m)).onFailure(ctx::fail);
  }

  /** The "Ask for more time" form's state: whether a request is open, the untimed accommodation, the CSRF token. */
  private Future<Map<String, Object>> withMoreTime(RoutingContext ctx, long id, Map<String, Object> m) {
    return moreTime.state(id).map(st -> {
      m.put("timeRequested", st.requested());
      if (st.untimed()) {
        m.put("untimed", true);
        m.put("timeLimitMinutes", 0);
      }
      Session s = ctx.get(Session.KEY);
      m.put("csrf", s.csrfToken());
      return m;
    });
  }

  /** POST /candidate/more-time: records the request (or says why not) and answers 303 to the page it was sent from. */
  private void moreTimeForm(RoutingContext ctx) {
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
    String from = ctx.request().getFormAttribute("from");
    // back to the exercise page it came from when that is a plain exercise id, else the overview (never an open redirect)
    String back = from != null && from.matches("[a-z0-9][a-z0-9-]{0,80}") ? "/candidate/exercises/" + from + "#more-time"
        : "/candidate#more-time";
    moreTime.ask(id, ctx.request().getFormAttribute("reason"))
        .onSuccess(v -> Flash.redirect(ctx, back, Flash.of("moreTimeNotice",
            "Your request for more time was sent. The recruiter will see it; your time left on the page updates once they grant it.")))
        .onFailure(err -> {
          if (err instanceof ClientError ce && ce.status() < 500 && ce.status() != 401) {
            Flash.redirect(ctx, back, Flash.of("moreTimeError", ce.getMessage()));
          } else {
            ctx.fail(err);
          }
        });
  }

  private void submitForm(RoutingContext ctx) {
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
    service.submit(id).onSuccess(r -> Http.redirect(ctx, "/candidate/receipt")).onFailure(ctx::fail);
  }

  private void receiptPage(RoutingContext ctx) {
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
    service.overview(id).compose(o -> service.receipt(id).map(r -> {
      if (r.isEmpty()) {
        return null;
      }
      Map<String, Object> m = base(o);
      m.put("title", "Submitted");
      m.put("submissionId", r.get().submissionId().toString());
      m.put("submittedAt", human(r.get().submittedAt()));
      m.put("submittedAtIso", r.get().submittedAt().toString());
      m.put("sha256", r.get().sha256());
      m.put("contact", config.contact());
      return m;
    })).onSuccess(m -> {
      if (m == null) {
        Http.redirect(ctx, "/candidate/review");
      } else {
        pages.render(ctx, 200, "candidate-receipt", m);
      }
    }).onFailure(ctx::fail);
  }

  /** The receipt as a small text file to keep: when, the receipt number and the SHA-256 of what was sealed. */
  private void receiptFile(RoutingContext ctx) {
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
    service.overview(id).compose(o -> service.receipt(id).map(r -> r.map(x -> "Gameday submission receipt\n\n"
        + "Track: " + o.track().getString("title") + "\n"
        + "Submitted: " + x.submittedAt().withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\n"
        + "Receipt number: " + x.submissionId() + "\n"
        + "SHA-256 of what you submitted: " + x.sha256() + "\n\n"
        + "Your answers are sealed: any change to them would change the SHA-256 above.\n").orElse(null)))
        .onSuccess(text -> {
          if (text == null) {
            Http.redirect(ctx, "/candidate/review");
          } else {
            ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"gameday-receipt.txt\"")
                .putHeader("Cache-Control", "no-store").end(text);
          }
        }).onFailure(ctx::fail);
  }

  private void overviewJson(RoutingContext ctx) {
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
    service.overview(id).map(o -> {
      JsonArray exercises = new JsonArray();
      for (ExerciseStatus e : o.exercises()) {
        Exercise ex = e.version().exercise();
        exercises.add(new JsonObject().put("id", ex.id()).put("title", ex.title()).put("minutes", ex.minutes())
            .put("status", o.submitted() ? "submitted" : e.status()).put("rev", e.rev())
            .put("words", e.wordsWritten()).put("savedAt", e.savedAt() == null ? null : e.savedAt().toString()));
      }
      return new JsonObject()
          .put("track", new JsonObject().put("id", o.track().getString("id")).put("title", o.track().getString("title")))
          .put("pseudonym", o.pseudonym())
          .put("deadline", o.deadline().toString())
          .put("closesAt", o.closesAt().toString())
          .put("open", o.open() && !o.submitted())
          .put("submitted", o.submitted())
          .put("submittedAt", o.submittedAt() == null ? null : o.submittedAt().toString())
          .put("exercises", exercises);
    }).onSuccess(json -> Http.json(ctx, 200, json)).onFailure(ctx::fail);
  }

  private void answerJson(RoutingContext ctx) {
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
    service.answer(id, ctx.pathParam("exerciseId")).onSuccess(a -> Http.json(ctx, 200, a.toJson())).onFailure(ctx::fail);
  }

  private void saveJson(RoutingContext ctx) {
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
    JsonObject body = Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    service.save(id, ctx.pathParam("exerciseId"), body).onSuccess(s -> Http.json(ctx, 200, s.toJson()))
        .onFailure(ctx::fail);
  }

  private void submitJson(RoutingContext ctx) {
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
    service.submit(id).onSuccess(r -> Http.json(ctx, 200, r.toJson())).onFailure(ctx::fail);
  }

  private void previewJson(RoutingContext ctx) {
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
    JsonObject body = Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    Object md = body.getValue("markdown");
    if (!(md instanceof String text)) {
      ctx.fail(400, new ClientError(400, "invalid_markdown", "'markdown' must be a text."));
      return;
    }
    if (text.length() > CandidateService.MAX_SECTION_CHARS * 2) {
      ctx.fail(413, new ClientError(413, "too_large", "The text is too long to preview."));
      return;
    }
    markdown.preview(text).onSuccess(html -> Http.json(ctx, 200, new JsonObject().put("html", html))).onFailure(ctx::fail);
  }

  /** The candidate's own trail of one exercise, oldest first. */
  private void trailJson(RoutingContext ctx) {
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
    String exerciseId = ctx.pathParam("exerciseId");
    service.version(id, exerciseId).compose(v -> trails.live(id, exerciseId))
        .onSuccess(events -> Http.json(ctx, 200, new JsonObject().put("events", Trails.toJson(events))
            .put("limit", Trails.MAX_PER_EXERCISE)))
        .onFailure(ctx::fail);
  }

  /** A batch of trail events from the exercise page (webroot/js/trail.js). */
  private void recordTrail(RoutingContext ctx) {
    Long id = candidate(ctx);
    if (id == null) {
      return;
    }
    JsonObject body = Http.jsonBody(ctx);
    if (body == null) {
      return;
    }
    service.version(id, ctx.pathParam("exerciseId")).compose(v -> trails.record(id, v, body))
        .onSuccess(r -> Http.json(ctx, 200, r.toJson())).onFailure(ctx::fail);
  }

  static String human(OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).format(HUMAN);
  }
}

package dev.gameday.candidate;

import dev.gameday.candidate.CandidateService.ExerciseStatus;
import dev.gameday.candidate.CandidateService.Overview;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Model.Evidence;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.web.Access;
import dev.gameday.web.Flash;
import dev.gameday.web.Http;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.MarkdownRenderer;
import dev.gameday.web.Pages;
import dev.gameday.web.Session;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The signed-in candidate's pages: overview, exercise, evidence files, review and submit, more time, receipt. */
final class CandidatePages {
  private static final DateTimeFormatter HUMAN = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm 'UTC'", java.util.Locale.ENGLISH);

  private final CandidateService service;
  private final Answers answers;
  private final Submissions submissions;
  private final Catalog catalog;
  private final Pages pages;
  private final String contact;
  private final MarkdownRenderer markdown;
  private final Trails trails;
  private final MoreTime moreTime;
  private final ExercisePage exercisePage;

  CandidatePages(CandidateService service, Catalog catalog, Pages pages, String contact, MarkdownRenderer markdown,
                 Trails trails, MoreTime moreTime) {
    this.service = service;
    this.answers = service.answers();
    this.submissions = service.submissions();
    this.catalog = catalog;
    this.pages = pages;
    this.contact = contact;
    this.markdown = markdown;
    this.trails = trails;
    this.moreTime = moreTime;
    this.exercisePage = new ExercisePage(service, catalog, pages, markdown);
    Disclosure.html(); // read and rendered now, at start-up, not on a request's event loop
  }

  /** On a {@link dev.gameday.web.Access.Rule#CANDIDATE} group. */
  void mount(Access.Routes candidate) {
    candidate.get("/candidate", this::overviewPage);
    candidate.get("/candidate/exercises/:exerciseId", exercisePage::page);
    candidate.get("/candidate/exercises/:exerciseId/evidence/:index", this::evidenceFile);
    candidate.get("/candidate/review", this::reviewPage);
    candidate.post("/candidate/submit", this::submitForm);
    candidate.post("/candidate/more-time", this::moreTimeForm);
    candidate.get("/candidate/receipt", this::receiptPage);
    candidate.get("/candidate/receipt.txt", this::receiptFile);
  }

  private void overviewPage(RoutingContext ctx) {
    long id = Access.invitation(ctx);
    service.overview(id).compose(o -> markdown.cached("track:" + o.track().getString("id"), o.track().getString("description")).map(description -> {
      Map<String, Object> m = base(o);
      m.put("title", o.track().getString("title"));
      m.put("trackDescription", description);
      m.put("ai", AiAssistance.view(AiAssistance.rule(catalog, o.track().getString("id")), null));
      m.put("disclosure", Disclosure.html());
      m.put("totalMinutes", o.exercises().stream().mapToInt(e -> e.version().exercise().minutes()).sum());
      m.put("exercises", o.exercises().stream().map(CandidatePages::exerciseItem).toList());
      m.put("contact", contact);
      m.put("submittedAt", human(o.submittedAt()));
      m.put("submittedAtIso", o.submittedAt() == null ? null : o.submittedAt().toString());
      return withMoreTime(ctx, o.moreTime(), m);
    })).onSuccess(m -> pages.render(ctx, 200, "candidate-overview", m)).onFailure(ctx::fail);
  }

  static Map<String, Object> base(Overview o) {
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
    m.put("candidateSubmitted", o.submitted()); // the layout's "Your submission" instead of "Review and submit"
    return m;
  }

  static Map<String, Object> exerciseItem(ExerciseStatus e) {
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

  /**
   * The exercise menu (issue 21): every exercise of the track, in order, with its status in words; {@code current}
   * marks the one shown (aria-current), null for none.
   */
  static List<Map<String, Object>> menu(Overview o, String current) {
    return o.exercises().stream().map(e -> {
      Map<String, Object> m = exerciseItem(e);
      m.put("current", e.version().exercise().id().equals(current));
      m.put("statusText", o.submitted() ? "submitted" : e.wordsWritten() == 0 ? "not started"
          : "in progress, " + e.wordsWritten() + (e.wordsWritten() == 1 ? " word" : " words"));
      return m;
    }).toList();
  }

  /** Evidence files (markdown ones too, raw) for the viewer; ETag is the file's SHA-256. */
  private void evidenceFile(RoutingContext ctx) {
    long id = Access.invitation(ctx);
    String exerciseId = ctx.pathParam("exerciseId");
    int index;
    try {
      index = Integer.parseInt(ctx.pathParam("index"));
    } catch (NumberFormatException e) {
      ctx.fail(404, new ClientError(404, "not_found", "There is no such evidence file."));
      return;
    }
    String etag = ctx.request().getHeader("If-None-Match");
    answers.version(id, exerciseId).compose(v -> {
      Evidence ev = v.exercise().evidence().stream().filter(e -> e.index() == index).findFirst().orElse(null);
      if (ev == null) {
        return Future.failedFuture(new ClientError(404, "not_found", "There is no such evidence file."));
      }
      return catalog.file(v, ev.file(), etag == null ? null : etag.replace("\"", ""))
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
    long id = Access.invitation(ctx);
    service.overview(id).compose(o -> trails.live(id).compose(trail -> {
      List<Future<Map<String, Object>>> items = new ArrayList<>();
      for (ExerciseStatus e : o.exercises()) {
        String exerciseId = e.version().exercise().id();
        items.add(answers.answer(id, exerciseId).compose(a -> {
          // a revision's text never changes, so (invitation, exercise, section, revision) identifies it
          List<Future<String>> html = a.exercise().sections().stream().map(s -> markdown.cached(
              "draft:" + id + ":" + exerciseId + ":" + s.id() + ":" + a.rev(), a.sections().get(s.id()))).toList();
          String declared = a.sections().getOrDefault(AiAssistance.SECTION_ID, "");
          Future<String> aiHtml = declared.isBlank() ? Future.succeededFuture(null)
              : markdown.cached("draft:" + id + ":" + exerciseId + ":" + AiAssistance.SECTION_ID + ":" + a.rev(), declared);
          return Future.all(Future.all(html), aiHtml).map(done -> {
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
            if (aiHtml.result() != null) { // the declared AI use, as reviewers will read it (optional: never "empty")
              secs.add(Map.of("title", AiAssistance.TITLE, "html", aiHtml.result(), "empty", false));
            }
            item.put("sections", secs);
            item.put("emptySections", empty);
            item.put("trail", Trails.view(trail.getOrDefault(a.exercise().id(), List.of()), a.exercise()));
            return item;
          });
        }));
      }
      // after submission the page is the candidate's submission, with its receipt to download (issue 21)
      Future<Optional<Submissions.Receipt>> receipt = o.submitted() ? submissions.receipt(id)
          : Future.succeededFuture(Optional.empty());
      return Future.all(items).compose(all -> receipt.map(r -> {
        Map<String, Object> m = base(o);
        m.put("title", o.submitted() ? "Your submission" : "Review and submit");
        r.ifPresent(x -> {
          m.put("submissionId", x.submissionId().toString());
          m.put("submittedAtIso", x.submittedAt().toString());
          m.put("sha256", x.sha256());
        });
        List<Map<String, Object>> list = all.list();
        m.put("exercises", list);
        m.put("emptyTotal", list.stream().mapToInt(x -> (int) x.get("emptySections")).sum());
        Session s = Access.session(ctx);
        m.put("csrf", s.csrfToken());
        return m;
      }));
    })).onSuccess(m -> pages.render(ctx, 200, "candidate-review", m)).onFailure(ctx::fail);
  }

  /** The "Ask for more time" form's state: whether a request is open, the untimed accommodation, the CSRF token. */
  private static Map<String, Object> withMoreTime(RoutingContext ctx, MoreTime.State st, Map<String, Object> m) {
    m.put("timeRequested", st.requested());
    if (st.untimed()) {
      m.put("untimed", true);
      m.put("timeLimitMinutes", 0);
    }
    m.put("csrf", Access.session(ctx).csrfToken());
    return m;
  }

  /** POST /candidate/more-time: records the request (or says why not) and answers 303 to the page it was sent from. */
  private void moreTimeForm(RoutingContext ctx) {
    long id = Access.invitation(ctx);
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
    long id = Access.invitation(ctx);
    submissions.submit(id).onSuccess(r -> Http.redirect(ctx, "/candidate/receipt")).onFailure(ctx::fail);
  }

  private void receiptPage(RoutingContext ctx) {
    long id = Access.invitation(ctx);
    service.overview(id).compose(o -> submissions.receipt(id).map(r -> {
      if (r.isEmpty()) {
        return null;
      }
      Map<String, Object> m = base(o);
      m.put("title", "Submitted");
      m.put("submissionId", r.get().submissionId().toString());
      m.put("submittedAt", human(r.get().submittedAt()));
      m.put("submittedAtIso", r.get().submittedAt().toString());
      m.put("sha256", r.get().sha256());
      m.put("contact", contact);
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
    long id = Access.invitation(ctx);
    service.overview(id).compose(o -> submissions.receipt(id).map(r -> r.map(x -> "Gameday submission receipt\n\n"
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

  static String human(OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).format(HUMAN);
  }
}

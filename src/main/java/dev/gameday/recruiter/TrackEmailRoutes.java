package dev.gameday.recruiter;

import dev.gameday.exercise.Catalog;
import dev.gameday.web.Access;
import dev.gameday.web.Flash;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Pages;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /admin/emails}: each track's invitation and reminder email, written by admins ({@link TrackEmails}); the
 * form previews with sample values, saves, or goes back to the built-in email. Mounted by {@link RecruiterRoutes}
 * for admins only; every form answers 303 back to the email's page.
 */
final class TrackEmailRoutes {
  private final TrackEmails emails;
  private final Catalog catalog;
  private final Pages pages;

  TrackEmailRoutes(TrackEmails emails, Catalog catalog, Pages pages) {
    this.emails = emails;
    this.catalog = catalog;
    this.pages = pages;
  }

  /** What a new template starts from: the placeholders in use. */
  static String starter(String kind) {
    return "invitation".equals(kind) ? """
        Hello {{name}},

        You are invited to the Gameday assessment "{{track}}".

        Start here (this link is personal; do not share it):
        {{link}}

        The deadline is {{deadline}}.
        """ : """
        Hello {{name}},

        A reminder: your Gameday assessment "{{track}}" closes {{deadline}}. Use the link from your invitation email.
        """;
  }

  void list(RoutingContext ctx) {
    emails.all().onSuccess(stored -> {
      Map<String, Object> m = new HashMap<>();
      m.put("title", "Candidate emails per track");
      m.put("tracks", catalog.tracks().stream().map(t -> Map.of("id", t.track().id(), "title", t.track().title(),
          "kinds", TrackEmails.KINDS.stream().map(k -> {
            var s = stored.stream().filter(j -> j.getString("track").equals(t.track().id()) && j.getString("kind").equals(k)).findFirst();
            Map<String, Object> x = new HashMap<>();
            x.put("kind", k);
            x.put("custom", s.isPresent());
            s.ifPresent(j -> x.put("updatedBy", j.getString("updatedBy")));
            return x;
          }).toList())).toList());
      pages.render(ctx, 200, "admin-emails", m);
    }).onFailure(ctx::fail);
  }

  private String track(RoutingContext ctx) {
    String track = ctx.pathParam("track");
    String kind = ctx.pathParam("kind");
    if (catalog.track(track).isEmpty() || !TrackEmails.KINDS.contains(kind)) {
      ctx.fail(404, new ClientError(404, "not_found", "There is no such track or email (invitation or reminder)."));
      return null;
    }
    return track;
  }

  void one(RoutingContext ctx) {
    String track = track(ctx);
    if (track == null) {
      return;
    }
    String kind = ctx.pathParam("kind");
    emails.get(track, kind).onSuccess(t -> {
      Map<String, Object> m = new HashMap<>();
      m.put("title", ("invitation".equals(kind) ? "Invitation" : "Reminder") + " email: " + catalog.track(track).orElseThrow().track().title());
      m.put("track", track);
      m.put("kind", kind);
      m.put("custom", t.isPresent());
      m.put("placeholders", TrackEmails.placeholders(kind).stream().map(p -> "{{" + p + "}}").toList());
      m.put("subject", t.map(TrackEmails.Template::subject).orElse(EmailTemplates.subject(kind, Map.of("trackTitle", "{{track}}",
          "deadline", "{{deadline}}"))));
      m.put("body", t.map(TrackEmails.Template::body).orElse(starter(kind)));
      pages.render(ctx, 200, "admin-email", m);
    }).onFailure(ctx::fail);
  }

  void post(RoutingContext ctx) {
    String track = track(ctx);
    if (track == null) {
      return;
    }
    String kind = ctx.pathParam("kind");
    String back = "/admin/emails/" + track + "/" + kind;
    MultiMap f = ctx.request().formAttributes();
    String subject = f.get("subject") == null ? "" : f.get("subject");
    String body = f.get("body") == null ? "" : f.get("body").replace("\r\n", "\n");
    String action = f.get("action");
    String actor = Access.account(ctx).email();
    JsonObject form = new JsonObject().put("subject", subject).put("body", body);
    if ("reset".equals(action)) {
      emails.reset(actor, track, kind).onSuccess(v -> Flash.redirect(ctx, back, Flash.of("notice", "Back to the built-in email.")))
          .onFailure(ctx::fail);
      return;
    }
    try {
      TrackEmails.check(kind, subject, body);
    } catch (ClientError e) {
      Flash.redirect(ctx, back, form.put("formError", e.getMessage()));
      return;
    }
    if ("preview".equals(action)) {
      var model = EmailTemplates.model(catalog, "the recruiter", "Ada Lovelace", track, 0,
          OffsetDateTime.now(ZoneOffset.UTC).plusDays(catalog.track(track).orElseThrow().track().deadlineDays()),
          "invitation".equals(kind) ? "https://gameday.example/i/(personal link)" : null, null, null);
      var msg = TrackEmails.fill(new TrackEmails.Template(subject, body), model);
      Flash.redirect(ctx, back, form.put("preview", new JsonObject().put("subject", msg.subject()).put("text", msg.text())));
      return;
    }
    emails.save(actor, track, kind, subject, body)
        .onSuccess(v -> Flash.redirect(ctx, back, Flash.of("notice", "Saved: candidates of this track get this email from now on.")))
        .onFailure(ctx::fail);
  }

  static List<String> kinds() {
    return TrackEmails.KINDS;
  }
}

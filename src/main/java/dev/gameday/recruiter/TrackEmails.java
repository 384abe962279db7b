package dev.gameday.recruiter;

import dev.gameday.audit.Audit;
import dev.gameday.recruiter.Mailer.Message;
import dev.gameday.web.Emails;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-track invitation and reminder emails written by admins (issue 21, V92): plain text, with the placeholders
 * {@code {{name}}}, {@code {{link}}} (invitations only: a reminder carries no link, as only the link's hash is
 * kept), {@code {{deadline}}} and {@code {{track}}}. A template is checked before it is stored: an unknown
 * placeholder, {@code {{link}}} in a reminder, an invitation without {@code {{link}}}, a subject on more than one line
 * are refused with a message naming them. Filling it puts each value on one line (as every email value is) and does
 * not read placeholders inside values, so a candidate's name cannot inject one. The HTML body is the text, escaped.
 */
public final class TrackEmails {
  public static final List<String> KINDS = List.of("invitation", "reminder");
  static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

  /** A stored template. */
  public record Template(String subject, String body) {
  }

  private final Pool pool;

  public TrackEmails(Pool pool) {
    this.pool = pool;
  }

  /** The placeholders a template of {@code kind} may use. */
  public static List<String> placeholders(String kind) {
    return "invitation".equals(kind) ? List.of("name", "link", "deadline", "track") : List.of("name", "deadline", "track");
  }

  /** Refuses (400 invalid_template) what cannot be sent: see the class comment. */
  public static void check(String kind, String subject, String body) {
    if (!KINDS.contains(kind)) {
      throw new ClientError(404, "not_found", "There is no such email: invitation or reminder.");
    }
    if (subject == null || subject.isBlank() || subject.length() > 200 || subject.contains("\n") || subject.contains("\r")) {
      throw new ClientError(400, "invalid_template", "The subject must be one line of 1 to 200 characters.");
    }
    if (body == null || body.isBlank() || body.length() > 20000) {
      throw new ClientError(400, "invalid_template", "The text must be 1 to 20,000 characters.");
    }
    Set<String> unknown = new LinkedHashSet<>();
    Set<String> used = new LinkedHashSet<>();
    for (String part : List.of(subject, body)) {
      Matcher m = PLACEHOLDER.matcher(part);
      while (m.find()) {
        String p = m.group(1);
        if (placeholders(kind).contains(p)) {
          used.add(p);
        } else {
          unknown.add("{{" + p + "}}");
        }
      }
    }
    if (unknown.contains("{{link}}") && "reminder".equals(kind)) {
      throw new ClientError(400, "invalid_template", "A reminder cannot hold {{link}}: only the link's hash is kept, so a reminder carries no "
          + "link. Tell the candidate to use the link from their invitation.");
    }
    if (!unknown.isEmpty()) {
      throw new ClientError(400, "invalid_template", "Unknown placeholder" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown)
          + "; a" + ("invitation".equals(kind) ? "n invitation" : " reminder") + " may use " + String.join(", ",
          placeholders(kind).stream().map(x -> "{{" + x + "}}").toList()) + ".");
    }
    if ("invitation".equals(kind) && !used.contains("link")) {
      throw new ClientError(400, "invalid_template", "An invitation must hold {{link}}: without it the candidate cannot start.");
    }
  }

  /**
   * The email from a checked template and the outbox's model ({@link EmailTemplates#model}): each placeholder replaced
   * by its value on one line, in one pass (a value's own braces stay as they are).
   */
  public static Message fill(Template t, Map<String, Object> model) {
    Map<String, String> values = Map.of(
        "name", one(model.get("name")), "link", model.get("link") == null ? "" : String.valueOf(model.get("link")),
        "deadline", one(model.get("deadline")), "track", one(model.get("trackTitle")));
    String subject = replace(t.subject(), values);
    String text = replace(t.body(), values);
    String html = "<!doctype html><html><body><pre style=\"font-family: inherit; white-space: pre-wrap\">" + escape(text)
        + "</pre></body></html>";
    return new Message(subject, text, html);
  }

  private static String one(Object o) {
    return o == null ? "" : Emails.name(String.valueOf(o));
  }

  private static String replace(String s, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
  }

  /** The track's own template of {@code kind}, if an admin wrote one. */
  public Future<Optional<Template>> get(String track, String kind) {
    if (track == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return pool.preparedQuery("select subject, body from track_email_templates where track_id = $1 and kind = $2")
        .execute(Tuple.of(track, kind))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(new Template(rows.iterator().next().getString("subject"), rows.iterator().next().getString("body"))));
  }

  /** Every stored template: track, kind, who changed it last and when. */
  public Future<List<JsonObject>> all() {
    return pool.query("select track_id, kind, updated_by, updated_at from track_email_templates order by track_id, kind").execute()
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new JsonObject().put("track", r.getString("track_id")).put("kind", r.getString("kind"))
                .put("updatedBy", r.getString("updated_by")).put("updatedAt", CandidateListing.iso(r.getOffsetDateTime("updated_at"))));
          }
          return out;
        });
  }

  /** Checks and stores a template (audited as {@code email_template.saved}). */
  public Future<Void> save(String actor, String track, String kind, String subject, String body) {
    try {
      check(kind, subject, body);
    } catch (ClientError e) {
      return Future.failedFuture(e);
    }
    return pool.withTransaction(conn -> conn.preparedQuery("""
            insert into track_email_templates (track_id, kind, subject, body, updated_by) values ($1, $2, $3, $4, $5)
            on conflict (track_id, kind) do update set subject = excluded.subject, body = excluded.body,
                   updated_by = excluded.updated_by, updated_at = now()""")
        .execute(Tuple.of(track, kind, subject.strip(), body, actor))
        .compose(v -> Audit.record(conn, actor, "email_template.saved", "track:" + track, new JsonObject().put("kind", kind))));
  }

  /** Removes the track's template: the built-in one is sent again (audited as {@code email_template.reset}). */
  public Future<Void> reset(String actor, String track, String kind) {
    return pool.withTransaction(conn -> conn.preparedQuery("delete from track_email_templates where track_id = $1 and kind = $2")
        .execute(Tuple.of(track, kind))
        .compose(v -> Audit.record(conn, actor, "email_template.reset", "track:" + track, new JsonObject().put("kind", kind))));
  }
}

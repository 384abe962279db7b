package dev.gameday.recruiter;

import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.io.ClassPathTemplateLoader;
import dev.gameday.exercise.Catalog;
import dev.gameday.recruiter.Mailer.Message;
import dev.gameday.web.Emails;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * Candidates' emails as text: the subject, the plain-text body and the HTML body of each kind, from the Handlebars
 * templates in {@code templates/email/}, and the model an email about one invitation is rendered from. The outbox
 * renders what it sends with it, and the invite form's "Preview email" shows the same (issue 21). Rendering is work:
 * call {@link #render} off the event loop.
 */
public final class EmailTemplates {
  private final Map<String, Template> text = new HashMap<>();
  private final Map<String, Template> html = new HashMap<>();

  public EmailTemplates() {
    // text bodies are not HTML: nothing to escape; the HTML bodies escape every value
    Handlebars plain = new Handlebars(new ClassPathTemplateLoader("/templates/email", ".hbs")).with(EscapingStrategy.NOOP);
    Handlebars escaped = new Handlebars(new ClassPathTemplateLoader("/templates/email", ".hbs"));
    try {
      for (String k : Mailer.KINDS) {
        text.put(k, plain.compile(k + ".txt"));
        html.put(k, escaped.compile(k + ".html"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Renders an email of {@code kind} (blocking: templates are work). */
  public Message render(String kind, Map<String, Object> model) {
    // every text value stands on one line of the plain-text body (and in the subject): a name with a line break,
    // stored before names were normalised or sent in by any other way, cannot start a line of its own
    Map<String, Object> safe = new HashMap<>();
    model.forEach((k, v) -> safe.put(k, v instanceof String s && !"link".equals(k) ? Emails.name(s) : v));
    try {
      return new Message(subject(kind, safe), text.get(kind).apply(safe), html.get(kind).apply(safe));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String subject(String kind, Map<String, Object> m) {
    return switch (kind) {
      case "invitation" -> "Your Gameday assessment: " + m.get("trackTitle");
      case "reminder" -> "Reminder: your Gameday assessment closes " + m.get("deadline");
      case "password-reset" -> "Reset your Gameday password";
      case "time-request" -> "A candidate asks for more time: " + m.get("trackTitle");
      // a reviewer's assignment (review/AssignmentReminders): "deadline" is its due date
      case "review-due" -> "A review assigned to you is due " + m.get("deadline");
      case "review-overdue" -> "Overdue: a review assigned to you was due " + m.get("deadline");
      default -> "We received your Gameday assessment";
    };
  }

  /**
   * The model of an email about one invitation: {@code track} null for a staff email (no invitation);
   * {@code closesAt} the time the candidate's access ends; {@code link} only in an invitation.
   */
  static Map<String, Object> model(Catalog catalog, String contact, String name, String track, Integer timeLimitMinutes,
                                   OffsetDateTime closesAt, String link, OffsetDateTime submittedAt, String sha256) {
    Map<String, Object> m = new HashMap<>();
    var current = track == null ? null : catalog.track(track).orElse(null);
    m.put("name", name);
    m.put("trackTitle", current == null ? track : current.track().title());
    m.put("expectedMinutes", current == null ? 0 : current.versions().stream().mapToInt(v -> v.exercise().minutes()).sum());
    m.put("timeLimitMinutes", timeLimitMinutes == null ? 0 : timeLimitMinutes);
    m.put("deadline", CandidateListing.text(closesAt));
    m.put("link", link);
    m.put("contact", contact);
    m.put("submittedAt", CandidateListing.text(submittedAt));
    m.put("sha256", sha256);
    return m;
  }
}

package dev.gameday.recruiter;

import dev.gameday.exercise.Catalog;
import dev.gameday.recruiter.Mailer.Message;
import dev.gameday.recruiter.NewInvitations.NewInvitation;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The invitation email a candidate would get, before anything is created (issue 21): the invite form's values checked
 * as an invitation is, and the subject and bodies rendered by the {@link EmailTemplates} the outbox sends with, for the
 * deadline and working time the invitation would have if made now. Only the link differs: a personal link exists
 * only once the invitation is made, so the preview shows where it will stand.
 */
public final class EmailPreview {
  /** What stands in the preview where the candidate's personal link will be. */
  static final String LINK_PLACEHOLDER = "(the candidate's personal link, made when you invite)";

  private final Vertx vertx;
  private final NewInvitations invitations;
  private final EmailTemplates templates;
  private final Catalog catalog;
  private final String contact;
  private final TrackEmails trackEmails;

  public EmailPreview(Vertx vertx, Catalog catalog, NewInvitations invitations, EmailTemplates templates, String contact,
                      TrackEmails trackEmails) {
    this.trackEmails = trackEmails;
    this.vertx = vertx;
    this.catalog = catalog;
    this.invitations = invitations;
    this.templates = templates;
    this.contact = contact;
  }

  /** {@code {"name", "email", "track", "deadlineDays", "timeMultiplier"}}, as the invite form sends them. */
  public Future<Message> invitation(JsonObject body) {
    NewInvitation n;
    try {
      Object days = body.getValue("deadlineDays");
      Object m = body.getValue("timeMultiplier");
      n = invitations.validate(0, str(body.getValue("name")), str(body.getValue("email")), str(body.getValue("track")),
          days == null ? "" : String.valueOf(days), m == null ? "" : String.valueOf(m));
    } catch (ClientError e) {
      return Future.failedFuture(e);
    }
    // as NewInvitations creates it: the deadline scales with the multiplier, and so does the working time
    OffsetDateTime closes = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(BigDecimal.valueOf(n.days() * 86400L).multiply(n.multiplier()).longValue());
    int limit = BigDecimal.valueOf(n.track().track().timeLimitMinutes()).multiply(n.multiplier()).intValue();
    var model = EmailTemplates.model(catalog, contact, n.name(), n.track().track().id(), limit, closes,
        invitations.link(LINK_PLACEHOLDER), null, null);
    // as the outbox does: the track's own invitation when an admin wrote one (V92), else the built-in one
    return trackEmails.get(n.track().track().id(), "invitation").compose(t -> t.isPresent()
        ? Future.succeededFuture(TrackEmails.fill(t.get(), model))
        : vertx.executeBlocking(() -> templates.render("invitation", model)));
  }

  private static String str(Object o) {
    return o == null ? null : String.valueOf(o);
  }
}

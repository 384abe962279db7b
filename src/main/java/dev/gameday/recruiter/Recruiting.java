package dev.gameday.recruiter;

import dev.gameday.exercise.Catalog;
import dev.gameday.web.Loop;
import io.vertx.core.Vertx;
import java.time.Duration;
import io.vertx.sqlclient.Pool;

/**
 * The recruiter's services, by capability: the list, one candidate's page, creating invitations, the CSV import, the
 * actions on one invitation (and the automatic reminders), the same on several at once, the invitation email's
 * preview, erasure (and retention). Built once; the routes, the Greenhouse integration and the timers each use the
 * ones they need.
 *
 * @param emailOn whether invitations and reminders are emailed (GAMEDAY_SMTP_URL is set)
 */
public record Recruiting(CandidateListing listing, CandidateTimeline timeline, NewInvitations newInvitations,
                         CandidateImport imports, InvitationActions actions, BatchActions batch, EmailPreview emailPreview,
                         TrackEmails trackEmails, CandidateErasure erasure, boolean emailOn) {

  /**
   * {@code publicUrl}: the base of invitation links; {@code email}: whether emails are sent; {@code contact}: who
   * candidates may write to (GAMEDAY_CONTACT), as the emails name it.
   */
  public static Recruiting create(Vertx vertx, Pool pool, Catalog catalog, String publicUrl, boolean email, String contact) {
    CandidateListing listing = new CandidateListing(pool, catalog, email);
    CandidateTimeline timeline = new CandidateTimeline(pool, catalog, listing);
    NewInvitations invitations = new NewInvitations(pool, catalog, publicUrl, email);
    InvitationActions actions = new InvitationActions(pool, catalog, timeline, invitations, email);
    TrackEmails trackEmails = new TrackEmails(pool);
    return new Recruiting(listing, timeline, invitations, new CandidateImport(vertx, pool, invitations, email), actions,
        new BatchActions(pool, actions), new EmailPreview(vertx, catalog, invitations, new EmailTemplates(), contact, trackEmails),
        trackEmails, new CandidateErasure(pool, timeline), email);
  }

  /**
   * The recruiter feature's timers: automatic reminders every 5 minutes when email is on, and erasure of closed,
   * undecided invitations' personal data every hour when a retention period is set ({@code retentionDays} > 0).
   */
  public java.util.List<Loop> loops(Vertx vertx, int retentionDays) {
    java.util.List<Loop> loops = new java.util.ArrayList<>();
    if (emailOn) {
      loops.add(Loop.every(vertx, "reminders", Duration.ofSeconds(20), Duration.ofMinutes(5), actions::remindDue,
          "queued {} automatic reminder(s)"));
    }
    if (retentionDays > 0) {
      loops.add(Loop.every(vertx, "retention", Duration.ofSeconds(30), Duration.ofHours(1),
          () -> erasure.eraseExpired(retentionDays), "erased the personal data of {} closed, undecided invitation(s)"));
    }
    return loops;
  }
}

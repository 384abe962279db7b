package dev.gameday.review;

import dev.gameday.web.Loop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;

/**
 * Reminds reviewers of their open assignments by email (issue 21): one reminder when an assignment is due within
 * {@link #SOON_HOURS} hours, one when it is overdue, for each due date it has. One statement per round marks the
 * reminder as queued ({@code review_assignment_reminders}, whose primary key is the claim: of two instances running
 * the round at once, one inserts the marker and the other's insert does nothing) and puts the email in the outbox in
 * the same transaction; the outbox sends it. The email names no candidate: a link to the item and its due date.
 */
public final class AssignmentReminders {
  public static final int SOON_HOURS = 24;
  private static final int PER_ROUND = 500;

  private static final String QUEUE = """
      with due as (
        select ra.id, ra.reviewer_id, a.email, ra.submission_id, ra.exercise_id, ra.due_at,
               case when ra.due_at <= now() then 'review-overdue' else 'review-due' end as kind
          from review_assignments ra
          join accounts a on a.id = ra.reviewer_id and not a.disabled
          join review_items ri on ri.submission_id = ra.submission_id and ri.exercise_id = ra.exercise_id and not ri.decided
         where ra.cancelled_at is null and ra.due_at <= now() + make_interval(hours => $2)
           and (select enabled from mail_settings)
           and not exists (select 1 from reviews r where r.submission_id = ra.submission_id and r.exercise_id = ra.exercise_id
                             and r.reviewer_id = ra.reviewer_id and r.state = 'submitted')
           and not exists (select 1 from review_assignment_reminders m where m.assignment_id = ra.id and m.due_at = ra.due_at
                             and m.kind = case when ra.due_at <= now() then 'review-overdue' else 'review-due' end)
         order by ra.due_at, ra.id
         limit $3),
      marked as (
        insert into review_assignment_reminders (assignment_id, kind, due_at)
        select id, kind, due_at from due
        on conflict do nothing
        returning assignment_id, kind)
      insert into email_outbox (account_id, kind, to_address, link, review_assignment_id)
      select d.reviewer_id, m.kind, d.email, $1::text || '/review/' || d.submission_id || '/' || d.exercise_id, d.id
        from marked m join due d on d.id = m.assignment_id""";

  private final Pool pool;
  private final String publicUrl;

  /** @param publicUrl the address links in emails start with (GAMEDAY_PUBLIC_URL) */
  public AssignmentReminders(Pool pool, String publicUrl) {
    this.pool = pool;
    this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }

  /** One round: queues the reminders that are due; answers how many. */
  public Future<Integer> remindDue() {
    return pool.preparedQuery(QUEUE).execute(Tuple.of(publicUrl, SOON_HOURS, PER_ROUND)).map(rows -> rows.rowCount());
  }

  /** The loop that runs a round every minute (started by the composition root when email is on). */
  public Loop loop(Vertx vertx) {
    return Loop.every(vertx, "review reminders", Duration.ofSeconds(15), Duration.ofMinutes(1), this::remindDue,
        "queued {} review reminder(s)");
  }
}

package dev.gameday.recruiter;

import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** What the actions on one invitation share: its status in SQL, and its row locked for the action. */
final class InvitationRows {
  static final String STATUS = status("i");

  private InvitationRows() {
  }

  /** The status of the invitation row {@code t}, in SQL. */
  static String status(String t) {
    return """
        case when %1$s.revoked_at is not null then 'revoked'
             when %1$s.state = 'submitted' then 'submitted'
             when %1$s.closes_at <= now() then 'expired'
             when %1$s.first_opened_at is null then 'invited'
             when exists (select 1 from answers a where a.invitation_id = %1$s.id) then 'in_progress'
             else 'opened' end""".formatted(t);
  }

  private static ClientError notFound() {
    return new ClientError(404, "unknown_candidate", "There is no candidate with that id.");
  }

  /** Locks the invitation row for an action; fails 404 when there is none. */
  static Future<Row> lock(SqlConnection conn, long id) {
    return conn.preparedQuery("select i.*, " + STATUS + " as status from invitations i where i.id = $1 for update")
        .execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(notFound()) : Future.succeededFuture(rows.iterator().next()));
  }

  static Future<Row> requireOpen(Row r, String what) {
    String status = r.getString("status");
    if ("revoked".equals(status) || "submitted".equals(status) || r.getOffsetDateTime("erased_at") != null) {
      return Future.failedFuture(new ClientError(409, "not_open", "This invitation is " + ("revoked".equals(status)
          ? "revoked" : "submitted".equals(status) ? "submitted" : "erased") + "; it cannot be " + what + "."));
    }
    return Future.succeededFuture(r);
  }
}

package dev.gameday.account;

import dev.gameday.audit.Audit;
import dev.gameday.web.Session;
import dev.gameday.web.Sessions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;

/** A staff member's own live sessions ({@code /account}): listed, and ended one or all but this one, each end audited. */
final class OwnSessions {
  private final Sessions sessions;
  private final Pool pool;

  OwnSessions(Sessions sessions, Pool pool) {
    this.sessions = sessions;
    this.pool = pool;
  }

  Future<List<Sessions.Active>> live(Session s) {
    return sessions.live(s);
  }

  /** Ends every other session of the account; the number ended. */
  Future<Integer> endOthers(Session s) {
    return sessions.endOthers(s)
        .compose(n -> Audit.record(pool, s.email(), "session.others_ended", "account:" + s.accountId(),
            new JsonObject().put("sessions", n)).map(n));
  }

  /** Ends one live session of the account; false when it has no such session. */
  Future<Boolean> endOne(Session s, long id) {
    return sessions.endOne(s, id)
        .compose(ended -> !ended ? Future.succeededFuture(false)
            : Audit.record(pool, s.email(), "session.ended", "account:" + s.accountId(), new JsonObject().put("session", id))
                .map(true));
  }
}

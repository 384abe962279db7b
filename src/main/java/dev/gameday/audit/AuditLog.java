package dev.gameday.audit;

import dev.gameday.audit.Audit.Entry;
import dev.gameday.audit.Audit.Filter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;

/** The audit log as the admin pages read it: {@link Audit}'s statements on one pool, for {@link AuditRoutes}. */
public final class AuditLog {
  private final Pool pool;

  public AuditLog(Pool pool) {
    this.pool = pool;
  }

  /** At most {@code limit} entries matching {@code f}, newest first, with ids below {@code before} when it is set. */
  public Future<List<Entry>> list(Filter f, Long before, int limit) {
    return Audit.list(pool, f, before, limit);
  }

  public Future<Void> record(String actor, String action, String subject, JsonObject detail) {
    return Audit.record(pool, actor, action, subject, detail);
  }
}

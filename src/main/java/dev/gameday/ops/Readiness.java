package dev.gameday.ops;

import dev.gameday.exercise.Catalog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.concurrent.TimeUnit;

/**
 * What {@code GET /ready} checks, each named in its answer: the database answers; its schema is the version this
 * release migrated to or verified at start (a newer release migrating underneath shows as {@code "changed"}); the
 * exercise library is loaded; and how far the email and webhook outboxes lag (informational: a slow mail server must
 * not take every instance out of the load balancer, so lag never makes the instance unready).
 */
public final class Readiness {
  /** Lag past which the outbox check says "lagging" (the alert fires on the metric; see docs/operations.md). */
  static final long LAG_WARN_SECONDS = 300;
  private static final String PROBE = """
      select (select version from flyway_schema_history where success order by installed_rank desc limit 1) as schema,
             (select coalesce(extract(epoch from now() - min(next_attempt_at)), 0)::bigint
                from email_outbox where state = 'pending' and next_attempt_at < now()) as email_lag,
             (select coalesce(extract(epoch from now() - min(next_attempt_at)), 0)::bigint
                from webhook_deliveries where state = 'pending' and next_attempt_at < now()) as webhook_lag""";

  private final Pool pool;
  private final Catalog catalog;
  private final String schema;

  /** @param schema the schema version this instance started on */
  public Readiness(Pool pool, Catalog catalog, String schema) {
    this.pool = pool;
    this.catalog = catalog;
    this.schema = schema;
  }

  /** Succeeds with {@code {"ready": bool, "checks": {...}}}; fails only when the database does not answer. */
  public Future<JsonObject> check() {
    return pool.query(PROBE).execute().timeout(2, TimeUnit.SECONDS).map(rows -> {
      Row r = rows.iterator().next();
      String found = r.getString("schema");
      boolean schemaOk = schema == null || schema.equals(found);
      int tracks = catalog.tracks().size();
      long lag = Math.max(r.getLong("email_lag"), r.getLong("webhook_lag"));
      JsonObject checks = new JsonObject()
          .put("database", "up")
          .put("migrations", new JsonObject().put("state", schemaOk ? "current" : "changed").put("version", found))
          .put("library", new JsonObject().put("state", tracks > 0 ? "loaded" : "empty").put("tracks", tracks)
              .put("exercises", catalog.currentVersions().size()))
          .put("outbox", new JsonObject().put("state", lag > LAG_WARN_SECONDS ? "lagging" : "ok")
              .put("lagSeconds", lag).put("emailLagSeconds", r.getLong("email_lag"))
              .put("webhookLagSeconds", r.getLong("webhook_lag")));
      return new JsonObject().put("ready", schemaOk && tracks > 0).put("checks", checks);
    });
  }
}

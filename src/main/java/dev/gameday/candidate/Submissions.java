package dev.gameday.candidate;

import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Model.Section;
import dev.gameday.web.Http.ClientError;
import dev.gameday.web.Tokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Submitting once, and the receipt: a submit is one conditional update in the transaction that seals the snapshot
 * (answers and investigation trails) and turns its exercises into review items. A save ({@link Answers}) holds a
 * share lock on the invitation, so it lands before the snapshot is taken or is refused as {@code submitted}.
 */
public final class Submissions {
  private static final String INVITATION = """
      select i.id, i.pseudonym, i.track_id, i.state, i.deadline, i.closes_at, i.submitted_at, i.time_limit_minutes,
             i.first_opened_at, i.closes_at > now() as open,
             t.definition ->> 'title' as track_title, t.definition ->> 'description' as track_description
        from invitations i join tracks t on t.id = i.track_id where i.id = $1""";
  /** The snapshot's: every exercise with its full text. */
  private static final String ANSWERS = """
      select ie.exercise_id, ie.version_id, a.rev, a.saved_at, a.sections
        from invitation_exercises ie
        left join answers a on a.invitation_id = ie.invitation_id and a.exercise_id = ie.exercise_id
       where ie.invitation_id = $1 order by ie.position""";
  private static final String SUBMIT = """
      update invitations set state = 'submitted', submitted_at = now()
       where id = $1 and state = 'draft' and now() < closes_at
      returning submitted_at""";
  private static final String INSERT_SUBMISSION =
      "insert into submissions (id, invitation_id, submitted_at, sha256, snapshot) values ($1, $2, $3, $4, $5)";
  /** The submission's exercises become review items, each wanting the track's number of reviews (one if blank). */
  private static final String INSERT_REVIEW_ITEMS = """
      insert into review_items (submission_id, exercise_id, version_id, track_id, pseudonym, submitted_at, reviews_required,
                                no_answer, position)
      select s.id, ie.exercise_id, ie.version_id, i.track_id, i.pseudonym, s.submitted_at,
             case when e.empty then 1 else coalesce((t.definition->>'reviewsRequired')::int, 2) end, e.empty, ie.position
        from submissions s
        join invitations i on i.id = s.invitation_id
        join invitation_exercises ie on ie.invitation_id = i.id
        join tracks t on t.id = i.track_id
        -- every section blank (or never saved): nothing to judge, one reviewer records "no answer"
        cross join lateral (select not exists (select 1 from answers a cross join lateral jsonb_each_text(a.sections) x
                                                where a.invitation_id = i.id and a.exercise_id = ie.exercise_id
                                                  and btrim(x.value) <> '') as empty) e
       where s.id = $1 and i.id = $2""";
  private static final String RECEIPT =
      "select id, submitted_at, sha256 from submissions where invitation_id = $1";

  private final Pool pool;
  private final Catalog catalog;

  Submissions(Pool pool, Catalog catalog) {
    this.pool = pool;
    this.catalog = catalog;
  }

  public record Receipt(UUID submissionId, OffsetDateTime submittedAt, String sha256) {
    public JsonObject toJson() {
      return new JsonObject().put("submissionId", submissionId.toString())
          .put("submittedAt", submittedAt.toString()).put("sha256", sha256);
    }
  }

  /** Submits once: a second call (or a concurrent one) gets the same receipt. */
  public Future<Receipt> submit(long invitationId) {
    return pool.withTransaction(conn -> conn.preparedQuery(SUBMIT).execute(Tuple.of(invitationId)).compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture((Receipt) null);
          }
          OffsetDateTime at = rows.iterator().next().getOffsetDateTime("submitted_at");
          return conn.preparedQuery(INVITATION).execute(Tuple.of(invitationId))
              .compose(inv -> conn.preparedQuery(ANSWERS).execute(Tuple.of(invitationId))
                  .compose(ex -> Trails.events(conn, invitationId, null)
                      .compose(trails -> snapshot(inv.iterator().next(), ex, at, trails))))
              .compose(Submissions::sealed)
              .compose(sealed -> {
                Receipt receipt = new Receipt(UUID.randomUUID(), at, sealed.sha256());
                return conn.preparedQuery(INSERT_SUBMISSION).execute(Tuple.of(receipt.submissionId(), invitationId,
                        at, receipt.sha256(), sealed.text()))
                    .compose(v -> conn.preparedQuery(INSERT_REVIEW_ITEMS).execute(Tuple.of(receipt.submissionId(), invitationId)))
                    .map(receipt);
              });
        }))
        .compose(receipt -> receipt != null ? Future.succeededFuture(receipt) : existingReceipt(invitationId));
  }

  private record Sealed(String text, String sha256) {
  }

  /**
   * The snapshot's exact text and its SHA-256, on a worker: with the investigation trails it can reach a few MB.
   * (Without a Vert.x context, as in a plain unit test, right here.)
   */
  private static Future<Sealed> sealed(JsonObject snapshot) {
    java.util.concurrent.Callable<Sealed> work = () -> {
      String text = snapshot.encode();
      return new Sealed(text, Tokens.sha256Hex(text.getBytes(StandardCharsets.UTF_8)));
    };
    return dev.gameday.web.Workers.blocking(work);
  }

  /**
   * The sealed snapshot: per exercise the pinned version, the revision, every section and the investigation trail
   * ({@code "trail"}: the events oldest first; snapshots sealed before trails existed have no such key and stay valid).
   */
  private Future<JsonObject> snapshot(Row inv, RowSet<Row> exercises, OffsetDateTime at,
                                      Map<String, List<Trails.Event>> trails) {
    List<Future<JsonObject>> items = new ArrayList<>();
    for (Row r : exercises) {
      JsonObject stored = r.getJsonObject("sections") == null ? new JsonObject() : r.getJsonObject("sections");
      long rev = r.getLong("rev") == null ? 0 : r.getLong("rev");
      items.add(catalog.version(r.getLong("version_id")).map(v -> {
        JsonObject sections = new JsonObject();
        for (Section s : v.exercise().sections()) {
          sections.put(s.id(), stored.getString(s.id(), ""));
        }
        if (stored.containsKey(AiAssistance.SECTION_ID)) { // the declared AI use, reviewed with the answer
          sections.put(AiAssistance.SECTION_ID, stored.getString(AiAssistance.SECTION_ID));
        }
        return new JsonObject().put("exerciseId", v.exercise().id()).put("versionId", v.id())
            .put("contentHash", v.contentHash()).put("rev", rev).put("sections", sections)
            .put("trail", Trails.toJson(trails.getOrDefault(v.exercise().id(), List.of())));
      }));
    }
    return Future.all(items).map(all -> new JsonObject()
        .put("pseudonym", inv.getString("pseudonym"))
        .put("track", inv.getString("track_id"))
        .put("submittedAt", at.toString())
        .put("exercises", new JsonArray(all.list())));
  }

  private Future<Receipt> existingReceipt(long invitationId) {
    return receipt(invitationId).compose(r -> r.isPresent() ? Future.succeededFuture(r.get())
        : Future.failedFuture(new ClientError(410, "expired",
            "The time for this assessment has ended, so it can no longer be submitted.")));
  }

  public Future<Optional<Receipt>> receipt(long invitationId) {
    return pool.preparedQuery(RECEIPT).execute(Tuple.of(invitationId)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      return Optional.of(new Receipt(r.getUUID("id"), r.getOffsetDateTime("submitted_at"), r.getString("sha256")));
    });
  }
}

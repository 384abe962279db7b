package dev.gameday.review;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.review.Observations.Material;
import dev.gameday.review.Observations.Question;
import dev.gameday.review.Observations.Revision;
import dev.gameday.review.Observations.Source;
import dev.gameday.review.Observations.Variants;
import dev.gameday.review.ReviewService.Item;
import dev.gameday.review.ReviewService.Sealed;
import dev.gameday.web.Workers;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Questions from the trail for one answer (issue 25, item 3): the observations of every {@link Source}, computed on
 * a worker from the sealed answer and trail and the answer's history. A submitted answer's history no longer changes,
 * so the result is kept for a while. Callers show them only to a reviewer who has submitted their own review of the
 * item (or an admin not reviewing it: {@link ReviewService#seesOthers}), never on a candidate route.
 */
public final class TrailQuestions {
  /** The sources, in the order their questions are listed. The last: figures of another variant (issue 25, item 1). */
  static final List<Source> SOURCES = List.of(TrailObservations::citedUnopened, TrailObservations::pastes,
      TrailObservations::pace, VariantObservations::otherVariant);

  /** The answer's history up to submission, each section's rows in the order they were written. */
  private static final String HISTORY = """
      select h.section_id, h.rev, h.text, h.started_at, h.saved_at
        from submissions s join answer_section_history h on h.invitation_id = s.invitation_id
       where s.id = $1 and h.exercise_id = $2 and h.saved_at <= s.submitted_at
       order by h.section_id, h.id""";

  /**
   * The seeds other candidates were given for this exercise version, the most recent first: the variants an answer
   * could have been shared from (a bounded number; a shared answer is most likely a recent one).
   */
  private static final String OTHER_SEEDS = """
      select i.variant_seed from invitation_exercises ie join invitations i on i.id = ie.invitation_id
       where ie.version_id = $1 and i.variant_seed not in (0, $2)
       group by i.variant_seed order by max(i.id) desc limit 200""";

  private final Pool pool;
  private final Catalog catalog;
  private final Cache<String, List<Question>> computed = Caffeine.newBuilder().maximumSize(5_000)
      .expireAfterWrite(Duration.ofMinutes(30)).build();

  TrailQuestions(Pool pool, Catalog catalog) {
    this.pool = pool;
    this.catalog = catalog;
  }

  /** The questions for an answer; {@code sealed}: what {@link ReviewService#answer} read for it. */
  Future<List<Question>> of(Item item, Sealed sealed) {
    String key = item.submissionId() + "/" + item.exerciseId();
    List<Question> cached = computed.getIfPresent(key);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return material(item, sealed).compose(m -> Workers.blocking(() -> observe(m))).onSuccess(q -> computed.put(key, q));
  }

  /** The version's Markdown evidence as the library writes it, by path (Catalog caches each: versions never change). */
  private Future<Map<String, String>> documents(long versionId, Exercise exercise) {
    List<String> paths = exercise.evidence().stream().filter(ev -> "markdown".equals(ev.kind())).map(ev -> ev.file()).toList();
    List<Future<String>> texts = paths.stream().map(p -> catalog.text(versionId, p)).toList();
    return Future.all(texts).map(done -> {
      Map<String, String> out = new LinkedHashMap<>();
      for (int i = 0; i < paths.size(); i++) {
        out.put(paths.get(i), texts.get(i).result());
      }
      return out;
    });
  }

  /** Everything the sources read. A source that needs more (a variant's seed) gets it added here. */
  private Future<Material> material(Item item, Sealed sealed) {
    long versionId = item.version().id();
    long seed = item.version().seed();
    Future<Variants> variants = pool.preparedQuery(OTHER_SEEDS).execute(Tuple.of(versionId, seed)).compose(rows -> {
      List<Long> others = new ArrayList<>();
      rows.forEach(r -> others.add(r.getLong(0)));
      return catalog.version(versionId).compose(library -> documents(versionId, library.exercise())
          .map(docs -> new Variants(library.exercise(), versionId, seed, List.copyOf(others), docs)));
    });
    Future<List<Revision>> history = pool.preparedQuery(HISTORY).execute(Tuple.of(item.submissionId(), item.exerciseId()))
        .map(rows -> {
          List<Revision> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new Revision(r.getString("section_id"), r.getLong("rev"), r.getString("text"),
                r.getOffsetDateTime("started_at"), r.getOffsetDateTime("saved_at")));
          }
          return out;
        });
    return Future.all(variants, history).map(x -> new Material(item.version().exercise(), sealed.sections(),
        sealed.trail().orElse(null), history.result(), item.submittedAt(), variants.result()));
  }

  static List<Question> observe(Material m) {
    List<Question> out = new ArrayList<>();
    SOURCES.forEach(s -> out.addAll(s.observe(m)));
    return List.copyOf(out);
  }
}

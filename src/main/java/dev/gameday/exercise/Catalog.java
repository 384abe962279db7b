package dev.gameday.exercise;

import dev.gameday.exercise.Model.Exercise;
import dev.gameday.exercise.Model.LoadedExercise;
import dev.gameday.exercise.Model.Track;
import dev.gameday.web.Tokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exercise library as stored in Postgres. A version row is immutable, so versions are cached in memory once
 * read; the tracks' current versions are what new invitations get.
 */
public final class Catalog {
  private static final String INSERT_VERSION = """
      insert into exercise_versions (exercise_id, content_hash, title, definition) values ($1, $2, $3, $4)
      on conflict (exercise_id, content_hash) do nothing returning id""";
  private static final String FIND_VERSION =
      "select id from exercise_versions where exercise_id = $1 and content_hash = $2";
  private static final String INSERT_FILE =
      "insert into exercise_files (version_id, path, content, sha256) values ($1, $2, $3, $4)";
  private static final String UPSERT_TRACK = """
      insert into tracks (id, title, content_hash, definition) values ($1, $2, $3, $4)
      on conflict (id) do update set title = excluded.title, content_hash = excluded.content_hash,
        definition = excluded.definition, updated_at = now()""";
  private static final String READ_VERSION =
      "select definition, content_hash from exercise_versions where id = $1";
  private static final String READ_FILE = """
      select f.sha256, case when f.sha256 = $3 then null else f.content end as content
        from exercise_files f where f.version_id = $1 and f.path = $2""";

  /**
   * An exercise version: its id in the database, its content hash and its definition, as the variant of {@code seed}
   * renders it (0: the library as written; exercises/README.md, "variants").
   */
  public record Version(long id, String contentHash, Exercise exercise, long seed) {
    /** What identifies this version's content in caches: the id, and the seed of a variant. */
    public String key() {
      return seed == 0 ? Long.toString(id) : id + "~" + seed;
    }
  }

  /** A track as it stands now, with the versions new invitations get. */
  public record CurrentTrack(Track track, List<Version> versions) {
  }

  private final Pool pool;
  private final Map<Long, Version> versions = new ConcurrentHashMap<>();
  private final Map<String, CurrentTrack> tracks = new ConcurrentHashMap<>();
  private final Map<String, String> texts = new ConcurrentHashMap<>();
  /**
   * Variants rendered on demand (never at start-up): the most recently used, by version key. Each holds its exercise's
   * rewritten texts (about 100 KiB; the calibration samples are shared with the library's version): 500 of them and
   * the files below stay well inside the 512 MiB heap the server runs with. With 2,000 entries and 256 MiB of files
   * (and the exercise page's panes unbounded) bench/run's 10,000 candidates filled the heap.
   */
  private final com.github.benmanes.caffeine.cache.Cache<String, Version> variants =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(500).build();
  /** Variant evidence files by version key and path, at most a sixteenth of the heap of them (web/MemoryBudget). */
  private final com.github.benmanes.caffeine.cache.Cache<String, FileContent> variantFiles =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumWeight(dev.gameday.web.MemoryBudget.variantFiles())
          .<String, FileContent>weigher((k, f) -> f.content().length()).build();

  private final java.util.concurrent.atomic.LongAdder variantsBuilt = new java.util.concurrent.atomic.LongAdder();

  /** How many (version, seed) variants have been built since start (each costs a rewrite of the exercise's text). */
  public long variantsBuilt() {
    return variantsBuilt.sum();
  }

  public Catalog(Pool pool) {
    this.pool = pool;
  }

  /** Stores what the loader read (new versions only) and makes it current. One transaction. */
  public Future<Void> store(ExerciseLoader.Result result) {
    return pool.withTransaction(conn -> {
      Future<Map<String, Version>> stored = Future.succeededFuture(new ConcurrentHashMap<>());
      for (LoadedExercise loaded : result.exercises()) {
        stored = stored.compose(map -> storeVersion(conn, loaded).map(v -> {
          map.put(v.exercise().id(), v);
          return map;
        }));
      }
      return stored.compose(map -> {
        Future<Void> f = Future.succeededFuture();
        List<CurrentTrack> current = new ArrayList<>();
        for (Track t : result.tracks()) {
          List<Version> vs = t.exercises().stream().map(map::get).toList();
          current.add(new CurrentTrack(t, vs));
          String hash = vs.stream().map(Version::contentHash).reduce(JsonObject.mapFrom(t).encode(), String::concat);
          f = f.compose(v -> conn.preparedQuery(UPSERT_TRACK)
                  .execute(Tuple.of(t.id(), t.title(), Tokens.sha256Hex(hash.getBytes(StandardCharsets.UTF_8)), JsonObject.mapFrom(t))))
              .compose(v -> conn.preparedQuery("delete from track_exercises where track_id = $1").execute(Tuple.of(t.id())))
              .compose(v -> {
                List<Tuple> rows = new ArrayList<>();
                for (int i = 0; i < vs.size(); i++) {
                  rows.add(Tuple.of(t.id(), i, vs.get(i).exercise().id(), vs.get(i).id()));
                }
                return conn.preparedQuery("insert into track_exercises (track_id, position, exercise_id, version_id) values ($1, $2, $3, $4)")
                    .executeBatch(rows).mapEmpty();
              });
        }
        return f.map(v -> {
          tracks.clear();
          current.forEach(ct -> tracks.put(ct.track().id(), ct));
          return null;
        });
      });
    });
  }

  private Future<Version> storeVersion(SqlConnection conn, LoadedExercise loaded) {
    Exercise e = loaded.exercise();
    return conn.preparedQuery(INSERT_VERSION)
        .execute(Tuple.of(e.id(), loaded.contentHash(), e.title(), JsonObject.mapFrom(e)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return conn.preparedQuery(FIND_VERSION).execute(Tuple.of(e.id(), loaded.contentHash()))
                .map(r -> r.iterator().next().getLong("id"));
          }
          long id = rows.iterator().next().getLong("id");
          List<Tuple> files = new ArrayList<>();
          loaded.files().forEach((path, bytes) -> files.add(
              Tuple.of(id, path, Buffer.buffer(bytes), Tokens.sha256Hex(bytes))));
          return conn.preparedQuery(INSERT_FILE).executeBatch(files).map(id);
        })
        .map(id -> {
          Version v = new Version(id, loaded.contentHash(), e, 0);
          versions.put(id, v);
          return v;
        });
  }

  public Optional<CurrentTrack> track(String id) {
    return Optional.ofNullable(tracks.get(id));
  }

  public List<CurrentTrack> tracks() {
    return tracks.values().stream().sorted((a, b) -> a.track().id().compareTo(b.track().id())).toList();
  }

  /** The current version of every exercise any track serves, in track order. */
  public List<Version> currentVersions() {
    Map<String, Version> byId = new java.util.LinkedHashMap<>();
    tracks().forEach(t -> t.versions().forEach(v -> byId.putIfAbsent(v.exercise().id(), v)));
    return new ArrayList<>(byId.values());
  }

  /** A stored version by id (cached; versions never change). */
  public Future<Version> version(long id) {
    Version cached = versions.get(id);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return pool.preparedQuery(READ_VERSION).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) {
        throw new IllegalStateException("exercise version " + id + " does not exist");
      }
      Row r = rows.iterator().next();
      Version v = new Version(id, r.getString("content_hash"), r.getJsonObject("definition").mapTo(Exercise.class), 0);
      versions.put(id, v);
      return v;
    });
  }

  /**
   * A stored version as the variant of {@code seed} renders it: brief, prompts, evidence settings, anchors and reviewer
   * notes rewritten ({@link Variant}). Rendered once per (version, seed) in a worker and kept.
   */
  public Future<Version> version(long id, long seed) {
    if (seed == 0) {
      return version(id);
    }
    // looked up before anything is built: every page view asks, and making a Variant compiles its patterns
    String key = id + "~" + seed;
    Version hit = variants.getIfPresent(key);
    if (hit != null) {
      return Future.succeededFuture(hit);
    }
    return version(id).compose(v -> dev.gameday.web.Workers.blocking(() -> {
      variantsBuilt.increment();
      Variant variant = Variant.of(v.exercise(), seed);
      Version made = variant.identity() ? v : new Version(v.id(), v.contentHash(), variant.exercise(v.exercise()), seed);
      variants.put(key, made);
      return made;
    }));
  }

  /** An evidence file of a version as its variant renders it; empty content when the client's ETag still matches. */
  public Future<FileContent> file(Version v, String path, String etag) {
    // a Version carries a seed only when its variant changes something (version(id, seed)); the Variant, whose
    // patterns take compiling, is made in the worker and only when the file is not kept yet
    if (v.seed() == 0) {
      return file(v.id(), path, etag);
    }
    String key = v.key() + "/" + path;
    FileContent hit = variantFiles.getIfPresent(key);
    Future<FileContent> full = hit != null ? Future.succeededFuture(hit) : file(v.id(), path, null).compose(f -> f == null
        ? Future.succeededFuture((FileContent) null)
        : dev.gameday.web.Workers.blocking(() -> {
          Variant variant = Variant.of(v.exercise(), v.seed());
          byte[] bytes = variant.text(f.content().toString(StandardCharsets.UTF_8), path).getBytes(StandardCharsets.UTF_8);
          FileContent made = new FileContent(Tokens.sha256Hex(bytes), Buffer.buffer(bytes));
          variantFiles.put(key, made);
          return made;
        }));
    return full.map(f -> f == null || !f.sha256().equals(etag) ? f : new FileContent(f.sha256(), null));
  }

  /** A text file of a version as its variant renders it (cached). */
  public Future<String> text(Version v, String path) {
    if (v.seed() == 0) {
      return text(v.id(), path);
    }
    return file(v, path, null).map(f -> f == null ? "" : f.content().toString(StandardCharsets.UTF_8));
  }

  /** An evidence file's bytes, or empty content when the client's ETag still matches. Null when absent. */
  public Future<FileContent> file(long versionId, String path, String etag) {
    return pool.preparedQuery(READ_FILE).execute(Tuple.of(versionId, path, etag == null ? "" : etag)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      return new FileContent(r.getString("sha256"), r.getBuffer("content"));
    });
  }

  /** A text file of a version (cached: versions never change), e.g. a Markdown evidence document. */
  public Future<String> text(long versionId, String path) {
    String key = versionId + "/" + path;
    String cached = texts.get(key);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return file(versionId, path, null).map(f -> {
      String text = f == null ? "" : f.content().toString(StandardCharsets.UTF_8);
      texts.put(key, text);
      return text;
    });
  }

  /** @param content null when unchanged from the client's copy */
  public record FileContent(String sha256, Buffer content) {
  }
}

package dev.gameday.support;

import dev.gameday.Config;
import dev.gameday.Gameday;
import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.PostgresExtension.TestDatabase;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The whole application on a free port against a test class's database, with the real exercise library. */
public final class TestApp implements AutoCloseable {
  public final Gameday app;
  public final int port;

  private TestApp(Gameday app, int port) {
    this.app = app;
    this.port = port;
  }

  /**
   * With the shipped library, reviewer qualification switched off ({@link Library#everyReviewCounts}): every review
   * counts, as it does on a track without {@code reviewerQualification}. {@code start(db, Path.of("exercises"))} serves
   * the library exactly as shipped.
   */
  public static TestApp start(TestDatabase db) throws Exception {
    return start(db, Library.everyReviewCounts());
  }

  public static TestApp start(TestDatabase db, Path exercises) throws Exception {
    return start(db, exercises, java.util.function.UnaryOperator.identity());
  }

  /** With a change to the configuration (e.g. {@code c -> c.withOps(...)}). */
  public static TestApp start(TestDatabase db, Path exercises, java.util.function.UnaryOperator<Config> change)
      throws Exception {
    int port = freePort();
    // tests save from one session far faster than a page does (a page saves about once a second while typing), so
    // the per-session autosave rate is off here; LoadSheddingTest checks it, and a test may set it again through change
    Config base = Config.fromEnvironment(Map.of());
    var limits = base.autosave();
    Config config = change.apply(base.withPort(port).withDatabaseUrl(db.url()).withExercisesDir(exercises)
        .withAutosave(new dev.gameday.web.LoadShedding.Limits(limits.maxInFlight(), limits.maxWaiting(), limits.maxWaitMillis(), 0,
            limits.retryAfterSeconds())));
    Gameday app = Gameday.open(config);
    app.serve();
    return new TestApp(app, port);
  }

  /** The password of every account {@link #account} makes. */
  public static final String PASSWORD = "correct horse battery staple";
  private final java.util.concurrent.atomic.AtomicInteger accounts = new java.util.concurrent.atomic.AtomicInteger();

  /** A new account with the given role ("Person n", {@code <role>n@example.com}, {@link #PASSWORD}); returns its email. */
  public String account(String role) {
    int n = accounts.incrementAndGet();
    String email = role + n + "@example.com";
    Gameday.await(app.accounts.add("Person " + n, email, PASSWORD, role));
    return email;
  }

  /** A browser signed in at /login with {@link #PASSWORD}. */
  public Browser signIn(io.vertx.core.Vertx vertx, String email) {
    Browser b = new Browser(vertx, port);
    Gameday.await(b.get("/login"));
    var r = Gameday.await(b.postForm("/login", io.vertx.core.MultiMap.caseInsensitiveMultiMap()
        .add("email", email).add("password", PASSWORD).add("_csrf", b.cookie("XSRF-TOKEN"))));
    org.junit.jupiter.api.Assertions.assertEquals(303, r.statusCode(), r.bodyAsString());
    return b;
  }

  /** A new invitation to the sre-senior track; returns its token. */
  public Created invite(String name, String email) {
    return Gameday.await(app.invitations.create("sre-senior", name, email, 7, BigDecimal.ONE, false));
  }

  /**
   * A new candidate (an invitation as {@link #invite}) who answers incident-postmortem and submits; the submission's
   * id. {@code vertx} runs the candidate's browser.
   */
  public String submitted(io.vertx.core.Vertx vertx, String name) {
    Created c = invite(name, name.toLowerCase(java.util.Locale.ROOT).replace(' ', '.') + "@example.com");
    Browser cand = new Browser(vertx, port);
    Gameday.await(cand.get("/i/" + c.token()));
    Gameday.await(cand.put("/api/v1/candidate/answers/incident-postmortem", new io.vertx.core.json.JsonObject().put("rev", 1)
        .put("sections", new io.vertx.core.json.JsonObject().put("summary", "An answer."))));
    return Gameday.await(cand.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
  }

  public RowSet<Row> sql(String sql, Object... params) {
    return Gameday.await(app.pool.preparedQuery(sql).execute(Tuple.from(params)));
  }

  public Optional<Row> one(String sql, Object... params) {
    RowSet<Row> rows = sql(sql, params);
    return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
  }

  @Override
  public void close() throws Exception {
    app.close();
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

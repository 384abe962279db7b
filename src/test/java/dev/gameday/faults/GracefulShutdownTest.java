package dev.gameday.faults;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.Config;
import dev.gameday.Gameday;
import dev.gameday.candidate.Invitations.Created;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real server in a child JVM ({@code dev.gameday.Main serve}, the test's own Postgres) under save load gets
 * SIGTERM while a save is held in the database: it stops accepting connections, finishes that save, exits 0, and
 * every save it acknowledged is stored.
 */
@Tag("heavy")
@Timeout(180)
class GracefulShutdownTest {
  static final int CANDIDATES = 20;

  @Test
  @DisplayName("SIGTERM under load: stops accepting, finishes the request in flight, exits 0, loses no acknowledged save")
  void sigtermUnderLoad() throws Exception {
    Path work = Files.createTempDirectory("gameday-shutdown");
    Path serverLog = work.resolve("server.log");
    Vertx vertx = Vertx.vertx();
    Process server = null;
    try (OwnPostgres pg = OwnPostgres.start();
         Gameday setup = Gameday.open(Config.fromEnvironment(Map.of()).withDatabaseUrl(pg.url())
             .withExercisesDir(Path.of("exercises")))) {
      List<Created> invitations = new ArrayList<>();
      for (int i = 0; i <= CANDIDATES; i++) {
        invitations.add(await(setup.invitations.create("sre-senior", "Candidate " + i, "c" + i + "@example.com", 7,
            BigDecimal.ONE, false)));
      }
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "dev.gameday.Main", "serve")
          .redirectErrorStream(true).redirectOutput(serverLog.toFile());
      pb.environment().put("GAMEDAY_DATABASE_URL", pg.url());
      pb.environment().put("GAMEDAY_PORT", Integer.toString(port));
      pb.environment().put("GAMEDAY_EXERCISES", Path.of("exercises").toAbsolutePath().toString());
      pb.environment().put("GAMEDAY_DATA_DIR", work.resolve("data").toString());
      // the simulated candidates save every 20 ms, far faster than a page: no per-session rate limit here
      pb.environment().put("GAMEDAY_AUTOSAVE_SESSION_RATE", "0");
      server = pb.start();
      awaitReady(vertx, server, port, serverLog);

      List<SaveLoad.Candidate> candidates = new ArrayList<>();
      for (Created inv : invitations) {
        Client c = new Client(vertx);
        assertEquals(303, await(c.get(port, "/i/" + inv.token())).statusCode());
        candidates.add(new SaveLoad.Candidate(c, inv.id()));
      }
      SaveLoad.Candidate held = candidates.remove(CANDIDATES);
      SaveLoad load = new SaveLoad(vertx, candidates, () -> port);
      load.start();
      Thread.sleep(1500);

      HttpResponse<Buffer> heldAnswer;
      long sigterm;
      boolean refusedNewConnections = false;
      boolean aliveWhileDraining;
      try (Connection db = pg.jdbc()) {
        // hold the candidate's invitation row: their save waits in the database, in flight when SIGTERM arrives
        db.setAutoCommit(false);
        try (PreparedStatement lock = db.prepareStatement("select id from invitations where id = ? for update")) {
          lock.setLong(1, held.invitationId());
          lock.executeQuery().close();
        }
        String heldText = "Held across SIGTERM: the save in flight must finish.";
        Future<HttpResponse<Buffer>> inFlight = held.client().save(port, 1, heldText);
        awaitWaitingOnLock(pg);

        sigterm = System.nanoTime();
        server.destroy(); // SIGTERM on Linux
        long end = System.currentTimeMillis() + 5000;
        Client fresh = new Client(vertx);
        while (System.currentTimeMillis() < end && !refusedNewConnections) {
          try {
            await(fresh.get(port, "/health"));
            Thread.sleep(50);
          } catch (RuntimeException e) {
            refusedNewConnections = true;
          }
        }
        aliveWhileDraining = server.isAlive();
        Thread.sleep(300);
        db.commit(); // the held save proceeds
        heldAnswer = await(inFlight);
        System.out.printf("shutdown: new connections refused %.1f s after SIGTERM%n", (System.nanoTime() - sigterm) / 1e9);
      }
      boolean exited = server.waitFor(30, TimeUnit.SECONDS);
      double exitSeconds = (System.nanoTime() - sigterm) / 1e9;
      load.stop();
      String log = Files.readString(serverLog, StandardCharsets.UTF_8);
      System.out.printf("shutdown: %s; held save answered %d; exited %.1f s after SIGTERM with %s; connection errors for"
          + " saves sent before SIGTERM %d%n", load.summary(), heldAnswer.statusCode(), exitSeconds,
          exited ? server.exitValue() : "no exit", load.connectionErrorsSentBefore(sigterm));

      assertTrue(exited, "the server exits within 30 s of SIGTERM:\n" + log);
      assertEquals(0, server.exitValue(), "exit status after SIGTERM:\n" + log);
      assertTrue(refusedNewConnections, "new connections are refused after SIGTERM");
      assertTrue(aliveWhileDraining, "the server waits for the request in flight");
      assertEquals(200, heldAnswer.statusCode(), heldAnswer.bodyAsString());
      assertEquals(0, load.wrongAnswers(), "no 500s: " + load.summary() + " " + load.badBodies);
      assertTrue(load.acks.size() > 0, load.summary());
      try (Connection db = pg.jdbc()) {
        List<String> problems = load.verify(db);
        assertTrue(problems.isEmpty(), "acknowledged saves missing: " + problems);
        try (PreparedStatement ps = db.prepareStatement(
            "select rev, sections->>'summary' from answers where invitation_id = ? and exercise_id = 'incident-postmortem'")) {
          ps.setLong(1, held.invitationId());
          try (ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next(), "the held save is stored");
            assertEquals(1, rs.getLong(1));
          }
        }
      }
      assertTrue(log.contains("Stopped cleanly"), log);
    } finally {
      if (server != null && server.isAlive()) {
        server.destroyForcibly();
      }
      await(vertx.close());
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  static void awaitReady(Vertx vertx, Process server, int port, Path log) throws Exception {
    Client c = new Client(vertx);
    long end = System.currentTimeMillis() + 90_000;
    while (System.currentTimeMillis() < end) {
      if (!server.isAlive()) {
        throw new AssertionError("the server exited: " + Files.readString(log));
      }
      try {
        if (await(c.get(port, "/ready")).statusCode() == 200) {
          return;
        }
      } catch (RuntimeException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the server was not ready within 90 s: " + Files.readString(log));
  }

  static void awaitWaitingOnLock(OwnPostgres pg) throws Exception {
    long end = System.currentTimeMillis() + 15_000;
    try (Connection db = pg.jdbc()) {
      while (System.currentTimeMillis() < end) {
        try (ResultSet rs = db.createStatement().executeQuery(
            "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%insert into answer_heads%'")) {
          rs.next();
          if (rs.getInt(1) > 0) {
            return;
          }
        }
        Thread.sleep(20);
      }
    }
    throw new AssertionError("the held save never reached the database");
  }
}

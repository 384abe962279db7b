package dev.gameday.faults;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import dev.gameday.web.Tokens;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two servers on one database, as behind a load balancer: sessions, CSRF, throttles and submit locks are shared. */
@ExtendWith(PostgresExtension.class)
@Timeout(120)
class TwoInstancesTest {
  static TestApp a;
  static TestApp b;
  static Vertx vertx;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    a = TestApp.start(db);
    b = TestApp.start(db);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      a.close();
      b.close();
    } finally {
      await(vertx.close());
    }
  }

  static Client signedIn(Created inv) {
    Client c = new Client(vertx);
    assertEquals(303, await(c.get(a.port, "/i/" + inv.token())).statusCode());
    return c;
  }

  @Test
  @DisplayName("a session started on one instance works on the other, with its CSRF token; logout on one ends it on both")
  void sessionsAndCsrfAcrossInstances() {
    Created inv = a.invite("Ada Example", "ada@example.com");
    Client c = signedIn(inv);
    assertEquals(200, await(c.get(b.port, "/api/v1/candidate")).statusCode());
    HttpResponse<Buffer> saved = await(c.save(b.port, 1, "saved on B with the token from A"));
    assertEquals(200, saved.statusCode(), saved.bodyAsString());
    assertEquals("saved on B with the token from A",
        await(c.get(a.port, Client.ANSWERS)).bodyAsJsonObject().getJsonObject("sections").getString("summary"));

    String token = c.cookies.get("XSRF-TOKEN");
    c.cookies.put("XSRF-TOKEN", "not-the-token");
    HttpResponse<Buffer> forged = await(c.save(b.port, 2, "forged"));
    assertEquals(403, forged.statusCode(), forged.bodyAsString());
    assertEquals("csrf", forged.bodyAsJsonObject().getString("error"));
    c.cookies.put("XSRF-TOKEN", token);

    assertEquals(303, await(c.post(b.port, "/logout", null)).statusCode());
    assertEquals(401, await(c.get(a.port, "/api/v1/candidate")).statusCode(), "logged out on B, so on A too");
  }

  @Test
  @DisplayName("the sign-in throttle counts failures on both instances together")
  void throttleSharedAcrossInstances() {
    String email = "rita" + System.nanoTime() + "@example.com";
    await(a.app.accounts.add("Rita Reviewer", email, "correct horse battery staple", "reviewer"));
    Client c = new Client(vertx);
    await(c.get(a.port, "/login"));
    for (int i = 0; i < 5; i++) {
      int port = i % 2 == 0 ? a.port : b.port;
      HttpResponse<Buffer> r = await(c.postForm(port, "/login", MultiMap.caseInsensitiveMultiMap().add("email", email)
          .add("password", "wrong " + i).add("_csrf", c.cookies.get("XSRF-TOKEN"))));
      assertEquals(401, r.statusCode(), "failure " + i + " on " + (port == a.port ? "A" : "B"));
    }
    for (int port : new int[] {a.port, b.port}) {
      HttpResponse<Buffer> r = await(c.postForm(port, "/login", MultiMap.caseInsensitiveMultiMap().add("email", email)
          .add("password", "correct horse battery staple").add("_csrf", c.cookies.get("XSRF-TOKEN"))));
      assertEquals(429, r.statusCode(), "throttled on " + (port == a.port ? "A" : "B") + " after five failures on both");
    }
  }

  record Timed(HttpResponse<Buffer> response, long sentNanos, long doneNanos, long rev, String text) {
  }

  /**
   * Saves one after another (rev 1, 2, ...) alternating between the instances, until {@code left} saves are sent or
   * ten have been refused.
   */
  static void saveChain(Client c, int candidate, long rev, int left, ConcurrentLinkedQueue<Timed> out, Runnable done) {
    if (left == 0 || out.stream().filter(t -> t.response().statusCode() != 200).count() >= 10) {
      done.run();
      return;
    }
    String text = SaveLoad.text(candidate, rev);
    long sent = System.nanoTime();
    c.save(rev % 2 == 0 ? a.port : b.port, rev, text).onComplete(ar -> {
      if (ar.succeeded()) {
        out.add(new Timed(ar.result(), sent, System.nanoTime(), rev, text));
      }
      vertx.setTimer(5, t -> saveChain(c, candidate, rev + 1, left - 1, out, done));
    });
  }

  @Test
  @DisplayName("submit race: 10 submits over two instances amid saves give one submission; later saves 409; the receipt hashes the snapshot")
  void submitRace() throws Exception {
    int candidates = 8;
    int submitsEach = 10;
    int totalSubmits = 0;
    int totalSaves = 0;
    int acknowledged = 0;
    int refusedAfter = 0;
    for (int n = 0; n < candidates; n++) {
      Created inv = a.invite("Racer " + n, "racer" + n + "@example.com");
      Client c = signedIn(inv);
      ConcurrentLinkedQueue<Timed> saves = new ConcurrentLinkedQueue<>();
      java.util.concurrent.CountDownLatch chainDone = new java.util.concurrent.CountDownLatch(1);
      int candidate = n;
      vertx.runOnContext(v -> saveChain(c, candidate, 1, 60, saves, chainDone::countDown));
      // submit while saves are going on: after the first few have been answered
      long until = System.currentTimeMillis() + 10_000;
      while (saves.size() < 3 && System.currentTimeMillis() < until) {
        Thread.sleep(5);
      }
      List<Future<HttpResponse<Buffer>>> submits = new ArrayList<>();
      List<Long> submitDone = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int i = 0; i < submitsEach; i++) {
        submits.add(c.post(i % 2 == 0 ? a.port : b.port, "/api/v1/candidate/submit", null)
            .onSuccess(r -> submitDone.add(System.nanoTime())));
      }
      await(Future.join(submits));
      assertTrue(chainDone.await(60, java.util.concurrent.TimeUnit.SECONDS));
      totalSubmits += submitsEach;

      Set<String> receipts = submits.stream().map(f -> {
        HttpResponse<Buffer> r = f.result();
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getString("submissionId") + " " + r.bodyAsJsonObject().getString("sha256");
      }).collect(Collectors.toSet());
      assertEquals(1, receipts.size(), "every submit answers the same receipt: " + receipts);
      String sha256 = receipts.iterator().next().split(" ")[1];

      assertEquals(1, a.sql("select count(*) from submissions where invitation_id = $1", inv.id()).iterator().next().getLong(0));
      Row sub = a.one("select id, snapshot, sha256 from submissions where invitation_id = $1", inv.id()).orElseThrow();
      String snapshot = sub.getString("snapshot");
      assertEquals(sha256, sub.getString("sha256"));
      assertEquals(sha256, Tokens.sha256Hex(snapshot.getBytes(StandardCharsets.UTF_8)), "the receipt hashes the stored snapshot");
      assertEquals(5, a.sql("select count(*) from review_items where submission_id = $1", sub.getUUID("id"))
          .iterator().next().getLong(0), "one set of review items");

      JsonObject pm = null;
      for (Object o : new JsonObject(snapshot).getJsonArray("exercises", new JsonArray())) {
        if ("incident-postmortem".equals(((JsonObject) o).getString("exerciseId"))) {
          pm = (JsonObject) o;
        }
      }
      assertNotNull(pm);
      long firstSubmitAnswer = submitDone.stream().mapToLong(Long::longValue).min().orElseThrow();
      for (Timed t : saves) {
        totalSaves++;
        int s = t.response().statusCode();
        if (s == 200) {
          acknowledged++;
          assertTrue(pm.getLong("rev") >= t.rev(), "acknowledged rev " + t.rev() + " is in the snapshot (rev " + pm.getLong("rev") + ")");
          assertTrue(t.sentNanos() < firstSubmitAnswer, "no save is acknowledged after the submit was");
        } else {
          assertEquals(409, s, t.response().bodyAsString());
          assertEquals("submitted", t.response().bodyAsJsonObject().getString("error"));
          refusedAfter++;
        }
      }
      long snapRev = pm.getLong("rev");
      assertEquals(snapRev == 0 ? "" : SaveLoad.text(candidate, snapRev), pm.getJsonObject("sections").getString("summary"));
      long storedRev = a.one("select rev from answers where invitation_id = $1 and exercise_id = 'incident-postmortem'", inv.id())
          .map(r -> r.getLong("rev")).orElse(0L);
      assertEquals(snapRev, storedRev, "nothing changed the answer after the snapshot");
    }
    System.out.printf("submit race: %d submits for %d candidates over two instances, %d submissions; %d saves, %d acknowledged"
        + " (all in the snapshot), %d refused 409 submitted%n", totalSubmits, candidates, candidates, totalSaves, acknowledged, refusedAfter);
  }

  @Test
  @DisplayName("around the deadline, over two instances: saves before it are kept, saves after it are refused 410, submit too")
  void savesAroundTheDeadline() throws Exception {
    Created inv = a.invite("Late Larry", "late@example.com");
    Client c = signedIn(inv);
    a.sql("update invitations set closes_at = now() + interval '1.5 seconds', deadline = now() + interval '1.5 seconds' where id = $1",
        inv.id());
    long closesAtMillis = a.one("select (extract(epoch from closes_at) * 1000)::bigint from invitations where id = $1", inv.id())
        .orElseThrow().getLong(0);
    ConcurrentLinkedQueue<Timed> saves = new ConcurrentLinkedQueue<>();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    long startNanos = System.nanoTime();
    long startMillis = System.currentTimeMillis();
    vertx.runOnContext(v -> saveChain(c, 0, 1, 100_000, saves, done::countDown));
    assertTrue(done.await(30, java.util.concurrent.TimeUnit.SECONDS), "the saves stop after ten refusals");
    HttpResponse<Buffer> lateSubmitA = await(c.post(a.port, "/api/v1/candidate/submit", null));
    HttpResponse<Buffer> lateSubmitB = await(c.post(b.port, "/api/v1/candidate/submit", null));
    long maxAcked = 0;
    int acked = 0;
    int expired = 0;
    List<Timed> snapshot = new ArrayList<>(saves);
    for (Timed t : snapshot) {
      long sentMillis = startMillis + (t.sentNanos() - startNanos) / 1_000_000;
      int s = t.response().statusCode();
      if (s == 200) {
        acked++;
        maxAcked = Math.max(maxAcked, t.rev());
        assertTrue(sentMillis <= closesAtMillis + 50, "acknowledged a save sent " + (sentMillis - closesAtMillis) + " ms after the deadline");
      } else {
        assertEquals(410, s, t.response().bodyAsString());
        expired++;
        assertTrue(sentMillis + (t.doneNanos() - t.sentNanos()) / 1_000_000 >= closesAtMillis - 50, "refused before the deadline");
      }
    }
    assertEquals(410, lateSubmitA.statusCode(), lateSubmitA.bodyAsString());
    assertEquals(410, lateSubmitB.statusCode(), lateSubmitB.bodyAsString());
    assertEquals(0, a.sql("select count(*) from submissions where invitation_id = $1", inv.id()).iterator().next().getLong(0));
    Row stored = a.one("select rev, sections->>'summary' as summary from answers where invitation_id = $1", inv.id()).orElseThrow();
    assertTrue(acked > 0 && expired > 0, acked + " acknowledged, " + expired + " refused");
    assertEquals(maxAcked, stored.getLong("rev"), "the last acknowledged save is the stored one");
    assertEquals(SaveLoad.text(0, maxAcked), stored.getString("summary"));
    System.out.printf("deadline: %d saves over two instances, %d acknowledged before the deadline (all stored), %d refused 410"
        + " after it; late submits 410 on both%n", snapshot.size(), acked, expired);
  }
}

package dev.gameday.account;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.Config;
import dev.gameday.Gameday;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sign-in throttling by (account, address), through a trusted proxy on the loopback address that names the client
 * in {@code X-Forwarded-For}. Each test uses its own accounts and addresses.
 */
@ExtendWith(PostgresExtension.class)
class SignInThrottleTest {
  static final String PASSWORD = "correct horse battery staple";
  static final AtomicInteger counter = new AtomicInteger();
  static Gameday app;
  static Vertx vertx;
  static WebClient client;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Config config = Config.fromEnvironment(Map.of("GAMEDAY_TRUSTED_PROXIES", "127.0.0.1, ::1"))
        .withPort(port).withDatabaseUrl(db.url()).withExercisesDir(Path.of("exercises"));
    app = Gameday.open(config);
    app.serve();
    vertx = Vertx.vertx();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost").setDefaultPort(port)
        .setFollowRedirects(false));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  static String account() {
    String email = "throttle" + counter.incrementAndGet() + "@example.com";
    await(app.accounts.add("Person " + counter.get(), email, PASSWORD, "reviewer"));
    return email;
  }

  /** A sign-in from {@code address}, as the proxy forwards it: a fresh pre-session CSRF token each time. */
  static HttpResponse<Buffer> login(String address, String email, String password) {
    String token = "t" + counter.incrementAndGet() + "abcdefghijklmnopqrstuvwxyz";
    return await(client.post("/login").putHeader("X-Forwarded-For", address)
        .putHeader("Cookie", "XSRF-TOKEN=" + token)
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("email", email).add("password", password).add("_csrf", token)));
  }

  /** The page without what legitimately differs: the email typed, the test's CSRF token, the seconds to wait. */
  static String normalised(HttpResponse<Buffer> r, String email) {
    return r.statusCode() + " " + (r.getHeader("Retry-After") != null) + " " + r.bodyAsString().replace(email, "X")
        .replaceAll("\\d+ (seconds?|minutes)", "N").replaceAll("name=\"_csrf\" value=\"[^\"]*\"", "");
  }

  static long failures(String email, String address) {
    var rows = await(app.pool.preparedQuery("select failures from login_throttle where email = $1 and address = $2")
        .execute(io.vertx.sqlclient.Tuple.of(email, address)));
    return rows.size() == 0 ? 0 : rows.iterator().next().getLong("failures");
  }

  @Test
  @DisplayName("five failures from one address do not stop the right password from another address")
  void otherAddressNotLockedOut() {
    String email = account();
    for (int i = 0; i < 5; i++) {
      assertEquals(401, login("203.0.113.5", email, "wrong password " + i).statusCode());
    }
    assertEquals(429, login("203.0.113.5", email, PASSWORD).statusCode(), "the attacking address is throttled");
    HttpResponse<Buffer> owner = login("198.51.100.7", email, PASSWORD);
    assertEquals(303, owner.statusCode(), owner.bodyAsString());
  }

  @Test
  @DisplayName("a throttled attempt is answered 429 with Retry-After, is not counted, and does not extend the wait")
  void throttledAttemptsDoNotExtend() throws Exception {
    String email = account();
    String address = "203.0.113.77";
    for (int i = 0; i < 5; i++) {
      assertEquals(401, login(address, email, "wrong password " + i).statusCode());
    }
    int firstWait = -1;
    for (int i = 0; i < 10; i++) {
      HttpResponse<Buffer> r = login(address, email, "still wrong " + i);
      assertEquals(429, r.statusCode());
      String retryAfter = r.getHeader("Retry-After");
      assertNotNull(retryAfter, "a throttled answer says when to retry");
      int wait = Integer.parseInt(retryAfter);
      assertTrue(wait >= 1 && wait <= 900, "Retry-After " + wait);
      if (firstWait < 0) {
        firstWait = wait;
      }
      assertTrue(wait <= firstWait, "retrying does not extend the wait: " + wait + " > " + firstWait);
    }
    assertEquals(5, failures(email, address), "throttled attempts are not counted as failures");
    // once the announced wait has passed, the right password from the same address gets in (bounded: a liveness check)
    long deadline = System.nanoTime() + 15_000_000_000L;
    int status;
    do {
      Thread.sleep(250);
      status = login(address, email, PASSWORD).statusCode();
      assertTrue(status == 429 || status == 303, "status " + status);
    } while (status == 429 && System.nanoTime() < deadline);
    assertEquals(303, status);
    assertEquals(0, failures(email, address), "a success clears the count");
  }

  @Test
  @DisplayName("the wait doubles with each counted failure from the fifth (2 s, 4 s, ...), up to 15 minutes")
  void exponentialBackoff() {
    String email = account();
    String address = "203.0.113.88";
    for (int i = 0; i < 5; i++) {
      assertEquals(401, login(address, email, "wrong password " + i).statusCode());
    }
    // as if the first wait had passed: move the last failure back in time, then fail once more
    await(app.pool.query("update login_throttle set last_failure_at = now() - interval '10 seconds' where email = '" + email + "'")
        .execute());
    assertEquals(401, login(address, email, "wrong again").statusCode());
    int wait = Integer.parseInt(login(address, email, "wrong again").getHeader("Retry-After"));
    assertEquals(4, wait, "after six failures the wait is 4 s");
    await(app.pool.query("update login_throttle set failures = 40, last_failure_at = now() where email = '" + email + "'").execute());
    wait = Integer.parseInt(login(address, email, PASSWORD).getHeader("Retry-After"));
    assertTrue(wait > 890 && wait <= 900, "the wait is capped at 15 minutes, got " + wait);
  }

  @Test
  @DisplayName("an unknown email is throttled exactly like a known one, with the same answer")
  void unknownEmailSameAnswer() {
    String known = account();
    String unknown = "nobody" + counter.incrementAndGet() + "@example.com";
    String address = "203.0.113.99";
    for (int i = 0; i < 5; i++) {
      HttpResponse<Buffer> a = login(address, known, "wrong " + i);
      HttpResponse<Buffer> b = login(address, unknown, "wrong " + i);
      assertEquals(401, a.statusCode());
      assertEquals(a.statusCode(), b.statusCode());
    }
    HttpResponse<Buffer> a = login(address, known, "wrong");
    HttpResponse<Buffer> b = login(address, unknown, "wrong");
    assertEquals(429, a.statusCode());
    assertEquals(429, b.statusCode());
    assertEquals(normalised(a, known), normalised(b, unknown));
  }

  @Test
  @DisplayName("an address over its limit is throttled for new accounts, not for accounts that signed in from it before")
  void addressLimit() {
    String regular = account();
    String address = "192.0.2.44";
    assertEquals(303, login(address, regular, PASSWORD).statusCode());
    String other = account();
    // as if this address had just failed the address limit's worth of times on many accounts
    await(app.pool.preparedQuery("""
        insert into login_address_throttle (address, window_start, failures) values ($1, now(), $2)
        on conflict (address) do update set window_start = now(), failures = $2""")
        .execute(io.vertx.sqlclient.Tuple.of(address, Accounts.MAX_FAILURES_PER_ADDRESS)));
    HttpResponse<Buffer> r = login(address, other, PASSWORD);
    assertEquals(429, r.statusCode(), "a spraying address is bounded");
    assertNotNull(r.getHeader("Retry-After"));
    assertEquals(303, login(address, regular, PASSWORD).statusCode(), "someone who signed in from here before is not locked out");
    assertEquals(303, login("192.0.2.45", other, PASSWORD).statusCode(), "nor is anyone elsewhere");
  }

  @Test
  @DisplayName("only the right-most untrusted X-Forwarded-For entry counts: a client cannot pick a fresh address per attempt")
  void spoofedForwardedFor() {
    String email = account();
    for (int i = 0; i < 5; i++) {
      assertEquals(401, login("10.9.9." + i + ", 203.0.113.123", email, "wrong " + i).statusCode());
    }
    assertEquals(429, login("10.9.9.200, 203.0.113.123", email, PASSWORD).statusCode());
  }

  @Test
  @DisplayName("IPv6 addresses count by their /64: a fresh address in the same /64 does not reset the count")
  void ipv6CountsBySlash64() {
    assertEquals("2001:db8:1:2::/64", Accounts.throttleKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
    assertEquals("203.0.113.1", Accounts.throttleKey("203.0.113.1"));
    String email = account();
    for (int i = 0; i < 5; i++) {
      assertEquals(401, login("2001:db8:1:2::" + (i + 1), email, "wrong " + i).statusCode());
    }
    assertEquals(429, login("2001:db8:1:2::99", email, PASSWORD).statusCode());
    assertEquals(303, login("2001:db8:1:3::1", email, PASSWORD).statusCode(), "another /64 is another address");
  }
}

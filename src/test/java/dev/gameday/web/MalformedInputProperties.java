package dev.gameday.web;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based tests (issue 8): random and malformed bodies on the JSON and form endpoints never get a 5xx, a 4xx
 * always has the documented shape ({@code {"error", "message"}} for JSON, a page for forms), and a refused request
 * leaves the database as it was.
 */
class MalformedInputProperties {
  private static final String EX = "incident-postmortem";
  private static TestDatabase db;
  private static TestApp app;
  private static Vertx vertx;
  private static Browser candidate;   // a draft invitation
  private static Browser submitted;   // an invitation already submitted: submit answers the same receipt
  private static Browser reviewer;
  private static Browser admin;
  private static Browser stranger;    // nobody signed in (the login form)
  private static String submissionId;

  /** One request body: its bytes, its Content-Type (or none), and what it is, for the report. */
  record Body(byte[] bytes, String contentType, String kind, boolean mustFail) {
    Body(byte[] bytes, String contentType, String kind) {
      this(bytes, contentType, kind, true);
    }

    @Override
    public String toString() {
      String text = new String(bytes, 0, Math.min(bytes.length, 120), StandardCharsets.UTF_8);
      return kind + " [" + contentType + ", " + bytes.length + " bytes] " + text;
    }
  }

  @BeforeContainer
  static void start() throws Exception {
    db = PostgresExtension.newDatabase("MalformedInputProperties");
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    Created done = app.invite("Done Candidate", "done@example.com");
    submitted = new Browser(vertx, app.port);
    await(submitted.get("/i/" + done.token()));
    await(submitted.put("/api/v1/candidate/answers/" + EX, new JsonObject().put("rev", 1)
        .put("sections", new JsonObject().put("summary", "The pool ran out."))));
    submissionId = await(submitted.post("/api/v1/candidate/submit", null)).bodyAsJsonObject().getString("submissionId");
    Created open = app.invite("Open Candidate", "open@example.com");
    candidate = new Browser(vertx, app.port);
    await(candidate.get("/i/" + open.token()));
    reviewer = signIn("reviewer");
    admin = signIn("admin");
    stranger = new Browser(vertx, app.port);
    await(stranger.get("/login"));
  }

  private static Browser signIn(String role) {
    String email = role + "-props@example.com";
    await(app.app.accounts.add("Props " + role, email, "correct horse battery staple", role));
    Browser b = new Browser(vertx, app.port);
    await(b.get("/login"));
    HttpResponse<Buffer> r = await(b.postForm("/login", MultiMap.caseInsensitiveMultiMap().add("email", email)
        .add("password", "correct horse battery staple").add("_csrf", b.cookie("XSRF-TOKEN"))));
    assertEquals(303, r.statusCode());
    return b;
  }

  @AfterContainer
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
    PostgresExtension.dropDatabase(db);
  }

  /** Everything a request could change, as one digest (sign-in attempts and the audit log excluded: see login). */
  private static String checksum(boolean withAttempts) {
    String sql = """
        select md5(concat_ws('|',
          (select string_agg(a::text, ',' order by invitation_id, exercise_id) from answers a),
          (select string_agg(h::text, ',' order by id) from answer_section_history h),
          (select string_agg(i::text, ',' order by id) from invitations i),
          (select string_agg(s.id::text || s.sha256, ',' order by id) from submissions s),
          (select string_agg(r::text, ',' order by r::text) from reviews r),
          (select string_agg(d::text, ',' order by d::text) from decisions d),
          (select string_agg(c::text, ',' order by c::text) from calibration_reviews c),
          (select count(*)::text from sessions),
          (select string_agg(x::text, ',' order by x.id) from accounts x)%s)) as sum""".formatted(withAttempts
        ? ", (select string_agg(t::text, ',' order by t::text) from login_throttle t),"
          + " (select string_agg(t::text, ',' order by t::text) from login_address_throttle t), (select count(*)::text from audit_log)" : "");
    return app.one(sql).orElseThrow().getString("sum");
  }

  private static void check(Browser b, HttpMethod method, String path, Body body, boolean json) {
    check(b, method, path, body, json, true);
  }

  private static void check(Browser b, HttpMethod method, String path, Body body, boolean json, boolean attempts) {
    check(b, method, path, body, json, attempts, true);
  }

  /** @param enforce whether a body that can never be valid (malformed) must be refused */
  private static void check(Browser b, HttpMethod method, String path, Body body, boolean json, boolean attempts,
                            boolean enforce) {
    String before = checksum(attempts);
    HttpResponse<Buffer> r = await(b.raw(method, path, body.contentType(), Buffer.buffer(body.bytes())));
    int status = r.statusCode();
    assertTrue(status < 500, method + " " + path + " answered " + status + " to " + body + ": " + r.bodyAsString());
    if (enforce && body.mustFail()) {
      assertTrue(status >= 400, method + " " + path + " accepted (" + status + ") a malformed body: " + body);
    }
    String text = r.bodyAsString() == null ? "" : r.bodyAsString();
    assertFalse(text.contains("Exception") || text.contains("\tat "), "no stack trace: " + text);
    if (status >= 400) {
      if (json) {
        JsonObject e = r.bodyAsJsonObject();
        assertNotNull(e.getString("error"), text);
        assertNotNull(e.getString("message"), text);
      } else {
        assertTrue(String.valueOf(r.getHeader("Content-Type")).startsWith("text/html"), "a page: " + r.headers());
      }
      assertEquals(before, checksum(attempts), "a refused request changed the database: " + body);
    }
  }

  // ---- generators

  private static Body json(String s, String kind) {
    return new Body(s.getBytes(StandardCharsets.UTF_8), "application/json", kind);
  }

  private static Arbitrary<String> jsonValue(int depth) {
    Arbitrary<String> scalar = Arbitraries.oneOf(
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.of("1e999999", "-1e999999", "123456789012345678901234567890123456789", "0.5", "-0", "1E-400",
            "9007199254740993", "true", "false", "null", "\"\"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"",
            "\"\\\\\"", "{}", "[]"),
        Arbitraries.strings().ofMaxLength(30).map(s -> new JsonObject().put("s", s).encode().substring(5).replaceAll("}$", "")));
    if (depth <= 0) {
      return scalar;
    }
    Arbitrary<String> array = jsonValue(depth - 1).list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]");
    Arbitrary<String> object = Combinators.combine(
            Arbitraries.of("rev", "sections", "markdown", "scores", "recommendation", "decision", "rationale", "summary",
                "level", "note", "x", "\\u0000"), jsonValue(depth - 1))
        .as((k, v) -> "\"" + k + "\":" + v).list().ofMaxSize(4).map(l -> "{" + String.join(",", l) + "}");
    return Arbitraries.oneOf(scalar, array, object);
  }

  /** Well-formed bodies of the endpoint's shape with wrong types and odd values. */
  private static Arbitrary<Body> wrongTypes(List<String> keys) {
    return Combinators.combine(Arbitraries.of(keys).list().ofMinSize(0).ofMaxSize(keys.size()).uniqueElements(),
            jsonValue(2).list().ofSize(keys.size()))
        .as((ks, vs) -> {
          StringBuilder sb = new StringBuilder("{");
          for (int i = 0; i < ks.size(); i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(ks.get(i)).append("\":").append(vs.get(i));
          }
          return new Body(sb.append('}').toString().getBytes(StandardCharsets.UTF_8), "application/json", "wrong types",
              false);
        });
  }

  private static Arbitrary<Body> malformed(String valid) {
    Arbitrary<Body> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(600)
        .flatMap(b -> Arbitraries.of("application/json", "text/plain", "application/x-www-form-urlencoded")
            .map(t -> new Body(b, t, "random bytes")));
    Arbitrary<Body> truncated = Arbitraries.integers().between(0, valid.length() - 1)
        .map(n -> json(valid.substring(0, n), "truncated"));
    Arbitrary<Body> deep = Arbitraries.integers().between(50, 5000).flatMap(n -> Arbitraries.of(
        json("[".repeat(n) + "]".repeat(n), "deep arrays"),
        // a well-formed object (below the parser's depth limit) with an unknown key: an endpoint may ignore it
        new Body(("{\"a\":".repeat(n) + "1" + "}".repeat(n)).getBytes(StandardCharsets.UTF_8), "application/json",
            "deep objects", n > 1000),
        json("{\"sections\":" + "[".repeat(n), "deep, unclosed")));
    Arbitrary<Body> invalidUtf8 = Arbitraries.of(new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xFF, (byte) 0xFE},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {0})
        .flatMap(bad -> Arbitraries.integers().between(0, valid.length()).map(at -> {
          byte[] v = valid.getBytes(StandardCharsets.UTF_8);
          int cut = Math.min(at, v.length);
          Buffer b = Buffer.buffer().appendBytes(v, 0, cut).appendBytes(bad).appendBytes(v, cut, v.length - cut);
          return new Body(b.getBytes(), "application/json", "invalid UTF-8 or a raw NUL");
        }));
    Arbitrary<Body> odd = Arbitraries.of(json("", "empty"), json("null", "null"), json("[]", "array"),
        json("\"text\"", "string"), json("1e999999", "huge number"), new Body(valid.getBytes(StandardCharsets.UTF_8),
            null, "no content type", false));
    return Arbitraries.oneOf(bytes, truncated, deep, invalidUtf8, odd);
  }

  private static final java.util.concurrent.atomic.AtomicLong REV = new java.util.concurrent.atomic.AtomicLong(1000);

  /** Valid saves whose text holds NUL and other odd characters: stored (with U+FFFD for NUL), never a 5xx. */
  private static Arbitrary<Body> oddText() {
    return Arbitraries.strings().withChars('\u0000', 'a', '\uFFFD', '\u202E', '<', '\\', '"', '\n')
        .withCharRange('\uD800', '\uDFFF').ofMaxLength(40)
        .map(t -> new Body(new JsonObject().put("rev", REV.incrementAndGet())
            .put("sections", new JsonObject().put("summary", t)).toBuffer().getBytes(), "application/json", "odd text", false));
  }

  @Provide
  Arbitrary<Body> saveBodies() {
    return Arbitraries.oneOf(malformed("{\"rev\": 3, \"sections\": {\"summary\": \"text\"}}"),
        wrongTypes(List.of("rev", "sections")), oddText());
  }

  @Provide
  Arbitrary<Body> previewBodies() {
    return Arbitraries.oneOf(malformed("{\"markdown\": \"**bold**\"}"), wrongTypes(List.of("markdown")),
        oddText().map(b -> new Body(new JsonObject().put("markdown", new JsonObject(Buffer.buffer(b.bytes()))
            .getJsonObject("sections").getString("summary")).toBuffer().getBytes(), "application/json", "odd text", false)));
  }

  @Provide
  Arbitrary<Body> reviewBodies() {
    return Arbitraries.oneOf(malformed("{\"scores\": {\"analysis\": {\"level\": 3, \"note\": \"n\"}}, \"recommendation\": \"yes\"}"),
        wrongTypes(List.of("scores", "recommendation")));
  }

  @Provide
  Arbitrary<Body> decisionBodies() {
    return Arbitraries.oneOf(malformed("{\"decision\": \"advance\", \"rationale\": \"Strong analysis.\"}"),
        wrongTypes(List.of("decision", "rationale")));
  }

  @Provide
  Arbitrary<Body> anyBodies() {
    return Arbitraries.oneOf(malformed("{\"a\": 1}"), wrongTypes(List.of("a", "b")));
  }

  /** Form bodies: random bytes, or fields of random text (with NUL, %-escapes, huge values) and the right token. */
  @Provide
  Arbitrary<Body> loginBodies() {
    Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
        Arbitraries.of("%00", "%C3", "%FF%FE", "%", "%%", "a%2", "+", "&&&", "=", "x".repeat(70_000), "\u0000"));
    Arbitrary<Body> fields = Combinators.combine(Arbitraries.of("email", "password", "x", "email[]"), value,
            Arbitraries.of("password", "email", "y"), value, Arbitraries.of(true, false))
        .as((k1, v1, k2, v2, token) -> {
          String form = (token ? "_csrf=" + stranger.cookie("XSRF-TOKEN") + "&" : "") + k1 + "=" + v1 + "&" + k2 + "=" + v2;
          return new Body(form.getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded", "form fields", false);
        });
    Arbitrary<Body> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(400)
        .map(b -> new Body(b, "application/x-www-form-urlencoded", "random bytes", false));
    return Arbitraries.oneOf(fields, bytes);
  }

  // ---- properties

  @Property(tries = 80)
  void saveNeverFails(@ForAll("saveBodies") Body body) {
    check(candidate, HttpMethod.PUT, "/api/v1/candidate/answers/" + EX, body, true);
  }

  @Property(tries = 60)
  void previewNeverFails(@ForAll("previewBodies") Body body) {
    check(candidate, HttpMethod.POST, "/api/v1/candidate/preview", body, true);
  }

  @Property(tries = 40)
  void submitNeverFails(@ForAll("anyBodies") Body body) {
    // on a submitted invitation: whatever the body, the same receipt and nothing new
    String before = checksum(true);
    check(submitted, HttpMethod.POST, "/api/v1/candidate/submit", body, true, true, false);
    assertEquals(before, checksum(true), "a repeated submit changed nothing");
  }

  @Property(tries = 60)
  void reviewDraftNeverFails(@ForAll("reviewBodies") Body body) {
    check(reviewer, HttpMethod.PUT, "/api/v1/review/submissions/" + submissionId + "/exercises/" + EX + "/review", body, true);
  }

  @Property(tries = 60)
  void reviewSubmitNeverFails(@ForAll("reviewBodies") Body body) {
    check(reviewer, HttpMethod.POST, "/api/v1/review/submissions/" + submissionId + "/exercises/" + EX + "/review/submit",
        body, true);
  }

  @Property(tries = 60)
  void decisionNeverFails(@ForAll("decisionBodies") Body body) {
    check(admin, HttpMethod.POST, "/api/v1/review/submissions/" + submissionId + "/decision", body, true);
  }

  @Property(tries = 30)
  void loginFormNeverFails(@ForAll("loginBodies") Body body) {
    // a failed sign-in is recorded by design (throttling, audit): everything else must stay as it was
    check(stranger, HttpMethod.POST, "/login", body, false, false);
  }
}

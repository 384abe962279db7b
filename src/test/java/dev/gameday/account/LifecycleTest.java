package dev.gameday.account;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Disabling, enabling, role changes, deletion and withdrawn setup links, through the admin page and the API. */
@ExtendWith(PostgresExtension.class)
class LifecycleTest {
  static TestApp app;
  static Vertx vertx;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  static long id(String email) {
    return app.one("select id from accounts where email = $1", email).orElseThrow().getLong("id");
  }

  static HttpResponse<Buffer> form(Browser b, String path, String... fields) {
    MultiMap f = MultiMap.caseInsensitiveMultiMap().add("_csrf", b.cookie("XSRF-TOKEN"));
    for (int i = 0; i < fields.length; i += 2) {
      f.add(fields[i], fields[i + 1]);
    }
    return await(b.postForm(path, f));
  }

  static void assertRedirect(HttpResponse<Buffer> r, String location) {
    assertEquals(303, r.statusCode(), r.bodyAsString());
    assertEquals(location, r.getHeader("Location"));
  }

  static long audits(String action, long subject) {
    return app.one("select count(*) as n from audit_log where action = $1 and subject = $2", action, "account:" + subject)
        .orElseThrow().getLong("n");
  }

  @Test
  @DisplayName("disabling ends the account's live sessions at once and its API tokens stop working; enabling lets it sign in again")
  void disableEndsSessionsAndTokens() {
    Browser admin = app.signIn(vertx, app.account("admin"));
    String email = app.account("admin");
    Browser victim = app.signIn(vertx, email);
    assertEquals(200, await(victim.get("/admin/accounts")).statusCode());
    String secret = await(app.app.apiTokens.create(email, "lifecycle-token", List.of("invitations:read"), null)).getString("secret");
    WebClient client = WebClient.create(vertx);
    Future<HttpResponse<Buffer>> tokenCall = client.get(app.port, "localhost", "/api/v1/candidates")
        .putHeader("Authorization", "Bearer " + secret).send();
    assertEquals(200, await(tokenCall).statusCode());

    long id = id(email);
    String before = await(admin.get("/admin/accounts")).bodyAsString();
    String csrf = "<input type=\"hidden\" name=\"_csrf\" value=\"" + admin.cookie("XSRF-TOKEN") + "\">";
    assertTrue(before.contains("action=\"/admin/accounts/" + id + "/disable\" class=\"inline\" data-confirm=\"Disable Person ")
        && before.contains(csrf + "<button type=\"submit\" class=\"button\">Disable</button>"), "the page's own form, with its token");
    assertRedirect(form(admin, "/admin/accounts/" + id + "/disable"), "/admin/accounts?done=disabled");
    assertEquals(401, await(victim.get("/admin/accounts")).statusCode(), "the live session ended with the next request");
    assertEquals(401, await(client.get(app.port, "localhost", "/api/v1/candidates")
        .putHeader("Authorization", "Bearer " + secret).send()).statusCode(), "the account's token stopped working");
    assertEquals(0L, app.one("select count(*) as n from sessions where account_id = $1", id).orElseThrow().getLong("n"));
    assertEquals(1L, audits("account.disabled", id));
    String page = await(admin.get("/admin/accounts?done=disabled")).bodyAsString();
    assertTrue(page.contains("The account is disabled"), page);
    assertTrue(page.contains(email), "a disabled account is still listed");

    Browser again = new Browser(vertx, app.port);
    await(again.get("/login"));
    HttpResponse<Buffer> refused = form(again, "/login", "email", email, "password", TestApp.PASSWORD);
    assertEquals(401, refused.statusCode(), "a disabled account cannot sign in");

    assertRedirect(form(admin, "/admin/accounts/" + id + "/enable"), "/admin/accounts?done=enabled");
    assertEquals(1L, audits("account.enabled", id));
    app.signIn(vertx, email);
    assertEquals(401, await(client.get(app.port, "localhost", "/api/v1/candidates")
        .putHeader("Authorization", "Bearer " + secret).send()).statusCode(), "enabling does not bring a revoked token back");
  }

  @Test
  @DisplayName("a role change applies from the account's next request, in its live session")
  void roleChangeOnNextRequest() {
    Browser admin = app.signIn(vertx, app.account("admin"));
    String email = app.account("reviewer");
    Browser user = app.signIn(vertx, email);
    assertEquals(200, await(user.get("/api/v1/review/queue")).statusCode());
    assertEquals(403, await(user.get("/candidates")).statusCode());
    long id = id(email);
    assertRedirect(form(admin, "/admin/accounts/" + id + "/role", "role", "recruiter"), "/admin/accounts?done=role");
    assertEquals(403, await(user.get("/api/v1/review/queue")).statusCode(), "a recruiter never reaches review");
    assertEquals(200, await(user.get("/candidates")).statusCode());
    HttpResponse<Buffer> viaApi = await(admin.put("/api/v1/admin/accounts/" + id + "/role", new JsonObject().put("role", "admin")));
    assertEquals(200, viaApi.statusCode(), viaApi.bodyAsString());
    assertEquals("admin", viaApi.bodyAsJsonObject().getJsonObject("account").getString("role"));
    assertEquals(200, await(user.get("/admin/accounts")).statusCode());
    JsonObject audit = app.one("select detail from audit_log where action = 'account.role_changed' and subject = $1 order by id limit 1",
        "account:" + id).orElseThrow().getJsonObject("detail");
    assertEquals("reviewer", audit.getString("from"));
    assertEquals("recruiter", audit.getString("to"));
    HttpResponse<Buffer> bad = await(admin.put("/api/v1/admin/accounts/" + id + "/role", new JsonObject().put("role", "owner")));
    assertEquals(400, bad.statusCode());
    assertEquals("invalid_role", bad.bodyAsJsonObject().getString("error"));
    assertRedirect(form(admin, "/admin/accounts/" + id + "/role", "role", "owner"), "/admin/accounts?problem=invalid_role");
  }

  @Test
  @DisplayName("the last active admin can be neither disabled nor demoted, even by two admins demoting each other at once")
  void lastAdmin() {
    String a = app.account("admin");
    String b = app.account("admin");
    app.sql("update accounts set disabled = true where role = 'admin' and email <> all($1)", (Object) new String[] {a, b});
    Browser ba = app.signIn(vertx, a);
    Browser bb = app.signIn(vertx, b);
    // each demotes the other at the same moment: exactly one may win
    Future<HttpResponse<Buffer>> x = ba.put("/api/v1/admin/accounts/" + id(b) + "/role", new JsonObject().put("role", "reviewer"));
    Future<HttpResponse<Buffer>> y = bb.put("/api/v1/admin/accounts/" + id(a) + "/role", new JsonObject().put("role", "reviewer"));
    List<Integer> statuses = List.of(await(x).statusCode(), await(y).statusCode());
    assertTrue(statuses.contains(200) && (statuses.contains(409) || statuses.contains(403)), statuses.toString());
    assertEquals(1L, app.one("select count(*) as n from accounts where role = 'admin' and not disabled").orElseThrow().getLong("n"));
    String last = app.one("select email from accounts where role = 'admin' and not disabled").orElseThrow().getString("email");
    Browser lastB = last.equals(a) ? ba : bb;
    HttpResponse<Buffer> demoteSelf = await(lastB.put("/api/v1/admin/accounts/" + id(last) + "/role", new JsonObject().put("role", "recruiter")));
    assertEquals(409, demoteSelf.statusCode());
    assertEquals("last_admin", demoteSelf.bodyAsJsonObject().getString("error"));
    assertRedirect(form(lastB, "/admin/accounts/" + id(last) + "/role", "role", "reviewer"), "/admin/accounts?problem=last_admin");
    assertRedirect(form(lastB, "/admin/accounts/" + id(last) + "/disable"), "/admin/accounts?problem=own_account");
    assertTrue(await(lastB.get("/admin/accounts?problem=last_admin")).bodyAsString().contains("no active admin"));
    app.sql("update accounts set disabled = false where role = 'admin'");
  }

  @Test
  @DisplayName("an account that has done nothing is deleted; one with history is refused (409) and can be disabled instead")
  void deleteOnlyWithoutHistory() {
    Browser admin = app.signIn(vertx, app.account("admin"));
    String idle = app.account("reviewer");
    app.signIn(vertx, idle); // signing in is not history
    long idleId = id(idle);
    assertRedirect(form(admin, "/admin/accounts/" + idleId + "/delete"), "/admin/accounts?done=deleted");
    assertFalse(app.one("select 1 from accounts where id = $1", idleId).isPresent());
    assertEquals(1L, audits("account.deleted", idleId));

    String recruiter = app.account("recruiter");
    app.sql("insert into audit_log (actor, action, subject) values ($1, 'candidate.reminded', 'invitation:1')", recruiter);
    long rid = id(recruiter);
    assertRedirect(form(admin, "/admin/accounts/" + rid + "/delete"), "/admin/accounts?problem=has_history");
    HttpResponse<Buffer> api = await(admin.raw(HttpMethod.DELETE, "/api/v1/admin/accounts/" + rid, null, null));
    assertEquals(409, api.statusCode());
    assertEquals("has_history", api.bodyAsJsonObject().getString("error"));
    assertTrue(app.one("select 1 from accounts where id = $1", rid).isPresent(), "history stays attributable");
    assertEquals(200, await(admin.post("/api/v1/admin/accounts/" + rid + "/disable", null)).statusCode());
    assertEquals("disabled", await(admin.get("/api/v1/admin/accounts")).bodyAsJsonObject().getJsonArray("accounts").stream()
        .map(o -> (JsonObject) o).filter(o -> o.getLong("id") == rid).findFirst().orElseThrow().getString("status"));

    String another = app.account("reviewer");
    assertEquals(204, await(admin.raw(HttpMethod.DELETE, "/api/v1/admin/accounts/" + id(another), null, null)).statusCode());
    assertEquals(404, await(admin.raw(HttpMethod.DELETE, "/api/v1/admin/accounts/999999", null, null)).statusCode());
    assertEquals(404, await(admin.raw(HttpMethod.DELETE, "/api/v1/admin/accounts/abc", null, null)).statusCode());
  }

  @Test
  @DisplayName("a withdrawn setup link then gets the same page as an unknown link; the page lists links not yet used")
  void withdrawLink() {
    String adminEmail = app.account("admin");
    Browser admin = app.signIn(vertx, adminEmail);
    var me = await(app.app.accounts.byId(id(adminEmail)));
    String token = await(app.app.accounts.inviteToken("recruiter", me));
    long linkId = app.one("select id from setup_tokens where token_hash = $1", (Object) dev.gameday.web.Tokens.hash(token))
        .orElseThrow().getLong("id");
    assertTrue(await(admin.get("/admin/accounts")).bodyAsString().contains("/admin/setup-links/" + linkId + "/withdraw"));
    assertRedirect(form(admin, "/admin/setup-links/" + linkId + "/withdraw"), "/admin/accounts?done=withdrawn");
    assertEquals(404, await(new Browser(vertx, app.port).get("/setup/" + token)).statusCode());
    assertRedirect(form(admin, "/admin/setup-links/" + linkId + "/withdraw"), "/admin/accounts?problem=not_found");
    assertEquals(1L, app.one("select count(*) as n from audit_log where action = 'account.link_withdrawn' and subject = $1",
        "setup-link:" + linkId).orElseThrow().getLong("n"));
    String token2 = await(app.app.accounts.inviteToken("reviewer", me));
    long link2 = app.one("select id from setup_tokens where token_hash = $1", (Object) dev.gameday.web.Tokens.hash(token2))
        .orElseThrow().getLong("id");
    assertEquals(204, await(admin.raw(HttpMethod.DELETE, "/api/v1/admin/setup-links/" + link2, null, null)).statusCode());
    assertEquals(404, await(new Browser(vertx, app.port).get("/setup/" + token2)).statusCode());
  }

  @Test
  @DisplayName("lifecycle forms and JSON are for admins only: reviewers and recruiters 403, anonymous 401, nothing changes")
  void adminsOnly() {
    String target = app.account("reviewer");
    long id = id(target);
    for (String role : List.of("reviewer", "recruiter")) {
      Browser b = app.signIn(vertx, app.account(role));
      assertEquals(403, form(b, "/admin/accounts/" + id + "/disable").statusCode(), role);
      assertEquals(403, await(b.post("/api/v1/admin/accounts/" + id + "/disable", null)).statusCode(), role);
      assertEquals(403, await(b.get("/api/v1/admin/accounts")).statusCode(), role);
    }
    assertEquals(401, await(new Browser(vertx, app.port).get("/api/v1/admin/accounts")).statusCode());
    assertFalse(app.one("select disabled from accounts where id = $1", id).orElseThrow().getBoolean("disabled"));
  }

  @Test
  @DisplayName("with email off, an admin's password reset link is shown once on the accounts page, and works once")
  void adminResetWithoutEmail() {
    Browser admin = app.signIn(vertx, app.account("admin"));
    String email = app.account("recruiter");
    HttpResponse<Buffer> r = form(admin, "/admin/accounts/" + id(email) + "/password-reset");
    assertRedirect(r, "/admin/accounts?done=reset_link");
    String page = await(admin.get("/admin/accounts?done=reset_link")).bodyAsString();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("/password/reset/([A-Za-z0-9_-]{43})").matcher(page);
    assertTrue(m.find(), page);
    assertFalse(await(admin.get("/admin/accounts?done=reset_link")).bodyAsString().contains(m.group(1)), "shown only once");
    Browser owner = new Browser(vertx, app.port);
    assertEquals(303, await(owner.get("/password/reset/" + m.group(1))).statusCode());
    assertEquals(200, await(owner.get("/password/reset")).statusCode());
    HttpResponse<Buffer> set = form(owner, "/password/reset", "password", "another fine passphrase", "password2", "another fine passphrase");
    assertRedirect(set, "/login?done=password");
    assertEquals(404, await(new Browser(vertx, app.port).get("/password/reset/" + m.group(1))).statusCode());
    assertTrue(await(new Browser(vertx, app.port).get("/password/forgot")).bodyAsString().contains("This server sends no email"));
  }
}

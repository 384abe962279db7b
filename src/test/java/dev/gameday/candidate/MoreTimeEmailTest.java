package dev.gameday.candidate;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.Mailbox;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 20 defect 4: a candidate's request for more time reaches the recruiter by email as well as on the list: the
 * recruiter who sent the invitation when their account is active, else every active recruiter and admin.
 */
@ExtendWith(PostgresExtension.class)
class MoreTimeEmailTest {
  static GreenMail smtp;
  static TestApp app;
  static Vertx vertx;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    int port = TestApp.freePort();
    smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    smtp.start();
    app = TestApp.start(db, Path.of("exercises"), c -> c.withSmtp("smtp://127.0.0.1:" + port));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
    smtp.stop();
  }

  static List<MimeMessage> to(String address, int atLeast) throws Exception {
    return Mailbox.received(smtp, address, "A candidate asks for more time", atLeast);
  }

  static void ask(Created inv) {
    Browser b = new Browser(vertx, app.port);
    assertEquals(303, await(b.get("/i/" + inv.token())).statusCode());
    assertEquals(303, await(b.postForm("/candidate/more-time", MultiMap.caseInsensitiveMultiMap()
        .add("_csrf", b.cookie("XSRF-TOKEN")).add("reason", "My screen reader is slow with the tables."))).statusCode());
  }

  @Test
  @DisplayName("the inviting recruiter gets an email linking to the candidate's page; nobody else does")
  void toTheInviter() throws Exception {
    String inviter = app.account("recruiter");
    String other = app.account("recruiter");
    Created inv = app.invite("Ann Asker", "ann.asker@example.com");
    app.sql("update invitations set invited_by = $1 where id = $2", inviter, inv.id());
    ask(inv);
    List<MimeMessage> mail = to(inviter, 1);
    assertEquals(1, mail.size(), "one email to the recruiter who invited");
    String body = GreenMailUtil.getBody(mail.get(0));
    assertTrue(body.contains("Ann Asker asks for more time"), body);
    assertTrue(body.contains("/candidates/" + inv.id()), "the link opens the candidate's page: " + body);
    assertTrue(!body.contains("screen reader"), "the candidate's reason stays on the page, not in email");
    assertEquals(0, to(other, 0).size(), "no email to other recruiters");
  }

  @Test
  @DisplayName("when the inviter's account is disabled (or unknown), every active recruiter and admin is told")
  void toEveryoneWhenNoInviter() throws Exception {
    String gone = app.account("recruiter");
    String recruiter = app.account("recruiter");
    String admin = app.account("admin");
    String reviewer = app.account("reviewer");
    app.sql("update accounts set disabled_at = now() where email = $1", gone);
    Created inv = app.invite("Bo Asker", "bo.asker@example.com");
    app.sql("update invitations set invited_by = $1 where id = $2", gone, inv.id());
    ask(inv);
    assertEquals(1, to(recruiter, 1).size());
    assertEquals(1, to(admin, 1).size());
    assertEquals(0, to(reviewer, 0).size(), "reviewers are not told (they must not learn who the candidate is)");
    assertEquals(0, to(gone, 0).size(), "a disabled account gets nothing");
  }
}

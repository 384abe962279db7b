package dev.gameday.candidate;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.support.Browser;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import java.util.List;

/** A candidate in a test of saving answers: the invitation and a browser signed in through its link. */
record Saver(Created invitation, Browser browser) {
  static Saver invite(TestApp app, Vertx vertx, String name, String email) {
    Created c = app.invite(name, email);
    Browser b = new Browser(vertx, app.port);
    assertEquals(303, await(b.get("/i/" + c.token())).statusCode());
    return new Saver(c, b);
  }

  /** The section ids of the sre-senior track's first exercise (incident-postmortem), in order. */
  static List<String> sections(TestApp app) {
    return app.app.catalog.track("sre-senior").orElseThrow().versions().get(0).exercise().sections().stream()
        .map(s -> s.id()).toList();
  }
}

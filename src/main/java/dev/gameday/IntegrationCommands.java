package dev.gameday;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gameday token create|revoke} and {@code gameday webhook add}: the integrations from the command line. */
final class IntegrationCommands {
  /** How the audit log names what the command line does. */
  static final String ACTOR = "cli";

  private IntegrationCommands() {
  }

  @Command(name = "token", description = "Manage API tokens.", subcommands = {TokenCreate.class, TokenRevoke.class})
  static final class Token extends Main.Group {
  }

  @Command(name = "create", description = "Create an API token; prints its secret (shown only now) as the last line.")
  static final class TokenCreate implements Callable<Integer> {
    @Option(names = "--name", required = true, description = "A unique name, e.g. greenhouse (the audit log names the token by it).")
    String name;
    @Option(names = "--scope", required = true, arity = "1..*",
        description = "invitations:write, invitations:read, results:read (one or more).")
    List<String> scopes;
    @Option(names = "--expires-days", description = "Days until the token stops working (default: never).")
    Integer expiresDays;

    @Override
    public Integer call() throws Exception {
      try (Gameday app = Gameday.open(Main.config())) {
        JsonObject t = Gameday.await(app.apiTokens.create(ACTOR, name, scopes, expiresDays));
        System.out.println("Created the token " + t.getString("name") + " (id " + t.getLong("id") + ") with "
            + String.join(", ", t.getJsonArray("scopes").stream().map(String::valueOf).toList())
            + (t.getString("expiresAt") == null ? ", no expiry" : ", expires " + t.getString("expiresAt"))
            + ". Its secret, shown only now:");
        System.out.println(t.getString("secret"));
      }
      return 0;
    }
  }

  @Command(name = "revoke", description = "Revoke an API token by name; it stops working at once.")
  static final class TokenRevoke implements Callable<Integer> {
    @Parameters(index = "0", description = "The token's name.")
    String name;

    @Override
    public Integer call() throws Exception {
      try (Gameday app = Gameday.open(Main.config())) {
        JsonObject t = Gameday.await(app.apiTokens.revokeByName(ACTOR, name));
        System.out.println("Revoked the token " + t.getString("name") + " (id " + t.getLong("id") + ").");
      }
      return 0;
    }
  }

  @Command(name = "webhook", description = "Manage webhook endpoints.", subcommands = {WebhookAdd.class})
  static final class Webhook extends Main.Group {
  }

  @Command(name = "add", description = "Register a webhook endpoint; prints its signing secret (shown only now) as the last line.")
  static final class WebhookAdd implements Callable<Integer> {
    @Option(names = "--url", required = true, description = "Where to post events (http:// or https://).")
    String url;
    @Option(names = "--event", required = true, arity = "1..*",
        description = "invitation.opened, submission.created, decision.recorded (one or more).")
    List<String> events;
    @Option(names = "--include-identity", description = "Put the candidate's name and email in the events (default: id and pseudonym only).")
    boolean includeIdentity;

    @Override
    public Integer call() throws Exception {
      try (Gameday app = Gameday.open(Main.config())) {
        JsonObject e = Gameday.await(app.webhooks.add(ACTOR, url, events, includeIdentity));
        System.out.println("Added the webhook endpoint " + e.getLong("id") + " for " + String.join(", ",
            e.getJsonArray("events").stream().map(String::valueOf).toList()) + ". Its signing secret, shown only now:");
        System.out.println(e.getString("secret"));
      }
      return 0;
    }
  }
}

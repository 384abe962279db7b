package dev.gameday;

import dev.gameday.candidate.Invitations.Created;
import dev.gameday.exercise.ExerciseLoader;
import dev.gameday.web.Http.ClientError;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar gameday.jar [serve|invite|check]}: one jar, one configuration, one database. */
@Command(name = "gameday", mixinStandardHelpOptions = true, version = "gameday 0.1",
    description = "Self-paced SRE assessments. Configuration comes from GAMEDAY_* environment variables.",
    subcommands = {Main.Serve.class, Main.Invite.class, Main.Check.class, Main.Reviewer.class, OpsCommands.Migrate.class,
        OpsCommands.Export.class, OpsCommands.Import.class, IntegrationCommands.Token.class, IntegrationCommands.Webhook.class,
        AuditCommands.Audit.class})
public final class Main implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  public static void main(String[] args) {
    // serve blocks until the process is stopped; the other commands return their exit code
    System.exit(commandLine().execute(args));
  }

  /** The command line with its error handling: a client's mistake exits with 2 and one line, never a stack trace. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof Gameday.LibraryException le) {
        cmd.getErr().println("The exercise library has problems:");
        cmd.getErr().println(le.getMessage());
        return 1;
      }
      if (ex instanceof dev.gameday.db.Migrations.SchemaException) {
        cmd.getErr().println("gameday: " + ex.getMessage());
        return 1;
      }
      if (ex instanceof ClientError || ex instanceof IllegalArgumentException) {
        cmd.getErr().println("gameday: " + ex.getMessage());
        return 2;
      }
      LOG.error("gameday failed", ex);
      cmd.getErr().println("gameday: " + ex);
      return 1;
    });
    return cli;
  }

  /** No subcommand: serve. */
  @Override
  public Integer call() throws Exception {
    return new Serve().call();
  }

  /**
   * SIGTERM and SIGINT start a clean stop on the main thread, which then exits with status 0. A JVM shutdown hook
   * cannot do this: once the JVM's own handler has started the shutdown, the exit status is 128 + the signal (143)
   * whatever the hook does. {@code sun.misc.Signal} (module jdk.unsupported, available without flags on Java 17+)
   * replaces that handler. Where it is unavailable the shutdown hook still closes everything, with the JVM's status.
   * A second signal while stopping ends the process at once (status 1), for an operator who will not wait.
   */
  @SuppressWarnings("removal")
  static boolean onStopSignals(CountDownLatch stop) {
    try {
      for (String name : new String[] {"TERM", "INT"}) {
        sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
          if (stop.getCount() == 0) {
            LOG.warn("SIG{} received again while stopping: exiting now", sig.getName());
            Runtime.getRuntime().halt(1);
          }
          LOG.info("SIG{} received", sig.getName());
          stop.countDown();
        });
      }
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      LOG.warn("signal handlers not installed ({}); stopping relies on the shutdown hook", e.toString());
      return false;
    }
  }

  /** The environment commands read (a test may substitute its own). */
  static java.util.function.Supplier<java.util.Map<String, String>> environment = System::getenv;

  static Config config() {
    return Config.fromEnvironment(environment.get());
  }

  @Command(name = "serve", description = "Start the web server (the default).")
  static final class Serve implements Callable<Integer> {
    @Option(names = "--port", description = "HTTP port (overrides GAMEDAY_PORT).")
    Integer port;

    @Override
    public Integer call() throws Exception {
      Config config = port == null ? config() : config().withPort(port);
      Gameday app = Gameday.open(config);
      CountDownLatch stop = new CountDownLatch(1);
      onStopSignals(stop);
      // any other exit still closes in order (close() runs once; the hook returns at once after a clean stop)
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          app.close();
        } catch (Exception e) {
          LOG.warn("shutdown: {}", e.toString());
        }
      }));
      app.serve();
      PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
      out.println();
      out.println("Gameday is running at " + config.publicUrl() + "/");
      if (!Gameday.await(app.accounts.adminExists())) {
        String token = Gameday.await(app.accounts.newFirstAdminToken());
        out.println("Create the first admin account (one-time link, valid 24 hours): "
            + config.publicUrl() + "/setup/" + token);
      }
      if (config.embedded()) {
        out.println("Demo invitation (embedded database only): " + demoLink(app, config));
      }
      out.println("Data: " + (config.embedded() ? "embedded Postgres in " + config.dataDir().toAbsolutePath()
          : "GAMEDAY_DATABASE_URL") + ". Stop with Ctrl+C.");
      // without signal handlers this never returns: the JVM's own shutdown runs the hook
      stop.await();
      LOG.info("Stopping: no new connections; waiting up to {} s for requests in flight", HttpVerticle.DRAIN_SECONDS);
      long started = System.nanoTime();
      app.close();
      LOG.info("Stopped cleanly in {} ms", (System.nanoTime() - started) / 1_000_000);
      return 0;
    }

    /** The demo link is kept in the data directory so a restart can print it again (tokens are stored hashed). */
    private static String demoLink(Gameday app, Config config) throws Exception {
      Path file = config.dataDir().resolve("demo-invitation.txt");
      if (Files.isRegularFile(file)) {
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        boolean usable = Gameday.await(app.invitations.unstarted(token));
        if (usable) {
          return config.publicUrl() + "/i/" + token;
        }
      }
      String track = app.catalog.tracks().get(0).track().id();
      Created created = Gameday.await(app.invitations.create(track, "Demo Candidate", "demo@example.com", 30,
          BigDecimal.ONE, true));
      Files.createDirectories(config.dataDir());
      Files.writeString(file, created.token() + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system; the data directory's own permissions apply
      }
      return created.url(config.publicUrl());
    }
  }

  @Command(name = "invite", description = "Invite a candidate; prints the invitation URL as the last line.")
  static final class Invite implements Callable<Integer> {
    @Option(names = "--track", required = true, description = "Track id, e.g. sre-senior.")
    String track;
    @Option(names = "--name", required = true, description = "Candidate's name (never shown to reviewers).")
    String name;
    @Option(names = "--email", required = true, description = "Candidate's email (never shown to reviewers).")
    String email;
    @Option(names = "--deadline-days", description = "Days until the invitation closes (default: the track's).")
    Integer deadlineDays;
    @Option(names = "--time-multiplier", description = "Accommodation (1 to 5): multiplies the deadline window and any working-time limit. Private.")
    BigDecimal multiplier;
    @Option(names = "--untimed", description = "Accommodation: no working-time limit and no countdown; the deadline still applies. Private.")
    boolean untimed;

    @Override
    public Integer call() throws Exception {
      Config config = config();
      try (Gameday app = Gameday.open(config)) {
        Created created = Gameday.await(app.invitations.create(track, name, email, deadlineDays, multiplier, false, untimed));
        System.out.println("Invited " + name + " to " + track + " as " + created.pseudonym() + ".");
        System.out.println(created.url(config.publicUrl()));
      }
      return 0;
    }
  }

  @Command(name = "reviewer", description = "Manage reviewer, recruiter and admin accounts.", subcommands = {Main.ReviewerAdd.class})
  static final class Reviewer extends Group {
  }

  /** A command that only groups subcommands: alone, it prints its usage and exits 2. */
  abstract static class Group implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(System.err);
      return 2;
    }
  }

  @Command(name = "add", description = "Add an account; reads the password from standard input (first line).")
  static final class ReviewerAdd implements Callable<Integer> {
    @Option(names = "--email", required = true, description = "Sign-in email.")
    String email;
    @Option(names = "--name", required = true, description = "Name shown to other reviewers.")
    String name;
    @Option(names = "--role", description = "reviewer (the default: scores blind), recruiter (invites and follows candidates; never reviews) admin (everything) or compliance (adverse impact aggregates only).")
    String role;
    @Option(names = "--admin", description = "The same as --role admin.")
    boolean admin;

    @Override
    public Integer call() throws Exception {
      if (admin && role != null && !"admin".equals(role)) {
        System.err.println("gameday: --admin and --role " + role + " contradict each other");
        return 2;
      }
      String r = admin ? "admin" : role == null ? "reviewer" : role.strip().toLowerCase(java.util.Locale.ROOT);
      if (!dev.gameday.account.Accounts.ROLES.contains(r)) {
        System.err.println("gameday: --role must be reviewer, recruiter, admin or compliance");
        return 2;
      }
      String password;
      java.io.Console console = System.console();
      if (console != null) {
        char[] chars = console.readPassword("Password for %s: ", email);
        password = chars == null ? null : new String(chars);
      } else {
        password = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      }
      if (password == null || password.isEmpty()) {
        System.err.println("gameday: no password given on standard input");
        return 2;
      }
      try (Gameday app = Gameday.open(config())) {
        var account = Gameday.await(app.accounts.add(name, email, password, r));
        System.out.println("Added " + account.role() + " " + account.name() + " <" + account.email() + ">.");
      }
      return 0;
    }
  }

  @Command(name = "check", description = "Validate the exercise library; prints file:line: message per problem.")
  static final class Check implements Callable<Integer> {
    @Option(names = "--exercises", description = "Exercise folder (default: GAMEDAY_EXERCISES or exercises).")
    Path dir;

    @Option(names = "--seeds", description = "Variants checked per exercise after the library as written (default: 20).")
    int seeds = 20;

    @Override
    public Integer call() {
      if (seeds < 0 || seeds > 10_000) {
        System.err.println("--seeds must be a number of variants from 0 (the library as written only) to 10000, got " + seeds + ".");
        return 2;
      }
      Path root = dir != null ? dir : config().exercisesDir();
      ExerciseLoader.Result result = ExerciseLoader.load(root);
      result.problems().forEach(p -> System.out.println(p));
      if (!result.ok()) {
        System.err.println(result.problems().size() + " problem(s) in " + root);
        return 1;
      }
      long started = System.nanoTime();
      var variantProblems = ExerciseLoader.checkVariants(root, seeds);
      variantProblems.stream().limit(50).forEach(p -> System.out.println(p));
      if (!variantProblems.isEmpty()) {
        System.err.println(variantProblems.size() + " problem(s) in the variants of " + root);
        return 1;
      }
      System.out.println(result.exercises().size() + " exercises and " + result.tracks().size()
          + " track(s) in " + root + ": no problems; " + seeds + " variants of each checked in "
          + (System.nanoTime() - started) / 1_000_000 + " ms.");
      return 0;
    }
  }
}

package dev.gameday.faults;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;

/**
 * A Postgres that belongs to one fault test: its own temporary data directory and port (never the machine's
 * shared Postgres, never the suite's embedded one), so that the test may crash it and start it again.
 */
final class OwnPostgres implements AutoCloseable {
  final int port;
  final Path dataDir;
  private final EmbeddedPostgres pg;
  private final Path pgCtl;
  private final List<String> command; // the postmaster's own command line, from postmaster.opts

  private OwnPostgres(EmbeddedPostgres pg, int port, Path dataDir, Path pgCtl, List<String> command) {
    this.pg = pg;
    this.port = port;
    this.dataDir = dataDir;
    this.pgCtl = pgCtl;
    this.command = command;
  }

  static OwnPostgres start() throws Exception {
    Path dir = Files.createTempDirectory("gameday-fault-pg");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).setPort(port)
        .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("max_connections", "200")
        .setServerConfig("synchronous_commit", "on").start();
    // the binaries zonky extracted (bin/pg_ctl among them); the field is private, this is a test
    Field f = EmbeddedPostgres.class.getDeclaredField("pgDir");
    f.setAccessible(true);
    Path pgCtl = ((File) f.get(pg)).toPath().resolve("bin").resolve("pg_ctl");
    // "<bin>/postgres" "-D" "<dir>" "-p" "<port>" "-c" ...: how to start this postmaster again
    String opts = Files.readString(dir.resolve("postmaster.opts"), StandardCharsets.UTF_8).strip();
    List<String> command = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(opts);
    while (m.find()) {
      command.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return new OwnPostgres(pg, port, dir, pgCtl, command);
  }

  String url() {
    return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
  }

  Connection jdbc() throws Exception {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
  }

  /** {@code pg_ctl stop -m immediate}: every backend is killed at once, nothing is flushed beyond the WAL. */
  void crash() throws Exception {
    pgCtl("stop", "-D", dataDir.toString(), "-m", "immediate", "-w", "-t", "30");
  }

  /** Starts Postgres again on the same port and data directory (crash recovery replays the WAL). */
  void restart() throws Exception {
    pgCtl("start", "-D", dataDir.toString(), "-w", "-t", "60", "-l", dataDir.resolve("restart.log").toString(), "-o",
        String.join(" ", command.subList(3, command.size()).stream().map(a -> "'" + a + "'").toList()));
  }

  /**
   * pg_ctl refuses to run as root; like zonky itself, run it in a user namespace ({@code unshare -U}) then, where
   * root is mapped to an unprivileged user.
   */
  private void pgCtl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      cmd.addAll(List.of("unshare", "-U"));
    }
    cmd.add(pgCtl.toString());
    cmd.addAll(List.of(args));
    Result r = run(cmd);
    if (r.exit != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + r.output);
    }
  }

  private record Result(int exit, String output) {
  }

  private static Result run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws IOException {
    pg.close();
  }
}

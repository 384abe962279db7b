package dev.gameday;

import dev.gameday.db.EmbeddedDatabase;
import dev.gameday.db.Migrations;
import dev.gameday.ops.Backup;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The operations commands: {@code migrate}, {@code export}, {@code import}. */
final class OpsCommands {
  private OpsCommands() {
  }

  /** The database the configuration names (attaching to or starting the embedded one), for a blocking task. */
  interface Task<T> {
    T run(String url) throws Exception;
  }

  static <T> T withDatabase(Config config, Task<T> task) throws Exception {
    if (!config.embedded()) {
      return task.run(config.databaseUrl().get());
    }
    try (EmbeddedDatabase db = EmbeddedDatabase.startOrAttach(config.dataDir())) {
      return task.run(db.url());
    }
  }

  @Command(name = "migrate", description = "Apply pending database migrations and exit (for deploys that run them"
      + " as their own step; serve also migrates unless GAMEDAY_MIGRATE_ON_START=false).")
  static final class Migrate implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      String version = withDatabase(Main.config(), url -> Migrations.migrate(url, null));
      System.out.println("Database schema at version " + version + ".");
      return 0;
    }
  }

  @Command(name = "export", description = "Write invitations, answers, submissions, reviews, decisions and the audit"
      + " log as JSON Lines (identity replaced by placeholders unless --with-identity).")
  static final class Export implements Callable<Integer> {
    @Option(names = "--out", description = "File to write (created with mode 600; default: standard output).")
    Path out;
    @Option(names = "--with-identity", description = "Keep candidates' and accounts' names, emails and password hashes.")
    boolean withIdentity;

    @Override
    public Integer call() throws Exception {
      java.io.PrintStream stdout = System.out;
      if (out == null) {
        System.setOut(System.err); // standard output carries the export: log lines go to standard error
      }
      Backup.Counts counts = withDatabase(Main.config(), url -> {
        if (out == null) {
          Writer w = new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8));
          return Backup.export(url, w, withIdentity);
        }
        Files.deleteIfExists(out);
        try {
          Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
          Files.createFile(out);
        }
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8, StandardOpenOption.WRITE)) {
          return Backup.export(url, w, withIdentity);
        }
      });
      System.err.println("Exported " + counts.total() + " rows" + (withIdentity ? " with identity" : " without identity")
          + ": " + counts.rows());
      return 0;
    }
  }

  @Command(name = "import", description = "Restore an export into an empty database (migrating it first).")
  static final class Import implements Callable<Integer> {
    @Option(names = "--in", description = "File to read (default: standard input).")
    Path in;

    @Override
    public Integer call() throws Exception {
      Backup.Counts counts = withDatabase(Main.config(), url -> {
        Migrations.migrate(url, null);
        try (BufferedReader r = in == null
            ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
            : Files.newBufferedReader(in, StandardCharsets.UTF_8)) {
          return Backup.importInto(url, r);
        }
      });
      System.out.println("Imported " + counts.total() + " rows: " + counts.rows());
      return 0;
    }
  }
}

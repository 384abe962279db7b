package dev.gameday.db;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Flyway over JDBC, run once at start-up before the server listens (it blocks). A database already at this release's
 * schema is recognised without Flyway ({@link MigrationHistory}).
 */
public final class Migrations {
  private Migrations() {
  }

  public static void migrate(String postgresUrl) {
    migrate(postgresUrl, null);
  }

  /**
   * Applies pending migrations, after refusing a schema newer than this release knows (Flyway by default ignores
   * applied migrations it cannot find, so an old release would otherwise run against a schema it does not know).
   *
   * @param schema when not null, migrate into (and create) this schema instead of {@code public}
   * @return the schema version afterwards
   */
  public static String migrate(String postgresUrl, String schema) {
    if (schema == null) {
      Optional<String> current = MigrationHistory.upToDate(postgresUrl);
      if (current.isPresent()) {
        return current.get(); // nothing to apply, nothing Flyway would refuse
      }
    }
    Flyway flyway = flyway(postgresUrl, schema);
    refuseNewer(flyway.info());
    flyway.migrate();
    MigrationInfo current = flyway.info().current();
    return current == null ? "none" : current.getVersion().getVersion();
  }

  /**
   * For {@code GAMEDAY_MIGRATE_ON_START=false}: the schema must be exactly the one this release knows.
   *
   * @return the schema version
   */
  public static String verify(String postgresUrl) {
    Optional<String> upToDate = MigrationHistory.upToDate(postgresUrl);
    if (upToDate.isPresent()) {
      return upToDate.get();
    }
    // one look at the history table and the class path serves every check below
    MigrationInfoService info = flyway(postgresUrl, null).info();
    refuseNewer(info);
    MigrationInfo[] pending = info.pending();
    if (pending.length > 0) {
      MigrationInfo current = info.current();
      throw new SchemaException("The database schema is at version " + (current == null ? "none"
          : current.getVersion().getVersion()) + " but this release needs version "
          + pending[pending.length - 1].getVersion().getVersion() + " (" + pending.length
          + " migration(s) pending) and GAMEDAY_MIGRATE_ON_START is false: run `gameday migrate` first.");
    }
    MigrationInfo current = info.current();
    return current == null ? "none" : current.getVersion().getVersion();
  }

  /** Whether a library with this fingerprint passed every check against this database before (V45). */
  public static boolean libraryChecked(String postgresUrl, String fingerprint) {
    Jdbc jdbc = Jdbc.from(postgresUrl);
    try (var c = java.sql.DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password());
         var st = c.prepareStatement("select 1 from library_checks where fingerprint = ?")) {
      st.setString(1, fingerprint);
      try (var rs = st.executeQuery()) {
        return rs.next();
      }
    } catch (java.sql.SQLException e) {
      return false; // e.g. a schema without the table (migrations not run here yet): check everything
    }
  }

  /** Records that the library with this fingerprint passed every check (the next start need not check it again). */
  public static void markLibraryChecked(String postgresUrl, String fingerprint) {
    Jdbc jdbc = Jdbc.from(postgresUrl);
    try (var c = java.sql.DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password());
         var st = c.prepareStatement("insert into library_checks (fingerprint) values (?) on conflict do nothing")) {
      st.setString(1, fingerprint);
      st.executeUpdate();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("recording the library's check: " + e.getMessage(), e);
    }
  }

  private static Flyway flyway(String postgresUrl, String schema) {
    Jdbc jdbc = Jdbc.from(postgresUrl);
    var config = Flyway.configure()
        .dataSource(jdbc.url(), jdbc.user(), jdbc.password())
        .locations("classpath:db/migration")
        .loggers("slf4j");
    if (schema != null) {
      config = config.schemas(schema).defaultSchema(schema).createSchemas(true);
    }
    return config.load();
  }

  private static void refuseNewer(MigrationInfoService info) {
    MigrationVersion known = null;
    MigrationVersion applied = null;
    for (MigrationInfo i : info.all()) {
      if (i.getVersion() == null) {
        continue; // repeatable migrations have no version
      }
      if (i.getState().isResolved() && (known == null || i.getVersion().isNewerThan(known.getVersion()))) {
        known = i.getVersion();
      }
      if (i.getState().isApplied() && (applied == null || i.getVersion().isNewerThan(applied.getVersion()))) {
        applied = i.getVersion();
      }
    }
    if (applied != null && (known == null || applied.isNewerThan(known.getVersion()))) {
      throw new SchemaException("The database schema is at version " + applied.getVersion()
          + ", newer than this release of Gameday knows (" + (known == null ? "none" : known.getVersion())
          + "): a newer release has migrated it. Refusing to start so this one cannot misread or damage it; run"
          + " the newer release, or restore the backup taken before the upgrade.");
    }
  }

  /** The schema and this release do not fit; the message says what to do. */
  public static final class SchemaException extends IllegalStateException {
    public SchemaException(String message) {
      super(message);
    }
  }

  /** The JDBC view of a {@code postgresql://user:password@host:port/db?options} URL. */
  public record Jdbc(String url, String user, String password) {
    public static Jdbc from(String postgresUrl) {
      URI uri = URI.create(postgresUrl);
      String user = null;
      String password = null;
      if (uri.getRawUserInfo() != null) {
        String[] parts = uri.getRawUserInfo().split(":", 2);
        user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        if (parts.length > 1) {
          password = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
        }
      }
      int port = uri.getPort() > 0 ? uri.getPort() : 5432;
      String db = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "postgres" : uri.getRawPath().substring(1);
      String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
      return new Jdbc("jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + db + query, user, password);
    }
  }
}

package dev.gameday.db;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.flywaydb.core.Flyway;

/** Flyway over JDBC, run once at start-up before the server listens (it blocks). */
public final class Migrations {
  private Migrations() {
  }

  public static void migrate(String postgresUrl) {
    migrate(postgresUrl, null);
  }

  /** @param schema when not null, migrate into (and create) this schema instead of {@code public} */
  public static void migrate(String postgresUrl, String schema) {
    Jdbc jdbc = Jdbc.from(postgresUrl);
    var config = Flyway.configure()
        .dataSource(jdbc.url(), jdbc.user(), jdbc.password())
        .locations("classpath:db/migration")
        .loggers("slf4j");
    if (schema != null) {
      config = config.schemas(schema).defaultSchema(schema).createSchemas(true);
    }
    config.load().migrate();
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

package dev.gameday.support;

import dev.gameday.db.EmbeddedDatabase;
import dev.gameday.db.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * Supplies Postgres to every test that needs it, in this order: the URL in {@code GAMEDAY_TEST_DATABASE_URL};
 * Testcontainers' {@link PostgreSQLContainer} if a Docker engine answers; else the embedded Postgres. The server
 * is started once per test run; each test class gets a database of its own, freshly migrated, dropped after.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  /** Where the test Postgres came from. */
  public enum Source { ENVIRONMENT, TESTCONTAINERS, EMBEDDED }

  /** The choice itself, kept pure so that a test can check the order. */
  public static Source choose(Map<String, String> env, BooleanSupplier dockerAnswers) {
    String url = env.get("GAMEDAY_TEST_DATABASE_URL");
    if (url != null && !url.isBlank()) {
      return Source.ENVIRONMENT;
    }
    return dockerAnswers.getAsBoolean() ? Source.TESTCONTAINERS : Source.EMBEDDED;
  }

  /** A test class's own database. */
  public record TestDatabase(String url, String adminUrl, Source source) {
  }

  private static Source source;
  private static String serverUrl; // a postgresql:// URL to the server's maintenance database

  private static synchronized void startServer() throws Exception {
    if (serverUrl != null) {
      return;
    }
    source = choose(System.getenv(), PostgresExtension::dockerAnswers);
    switch (source) {
      case ENVIRONMENT -> serverUrl = System.getenv("GAMEDAY_TEST_DATABASE_URL");
      case TESTCONTAINERS -> {
        PostgreSQLContainer<?> pg = new PostgreSQLContainer<>("postgres:17-alpine");
        pg.start();
        Runtime.getRuntime().addShutdownHook(new Thread(pg::stop));
        serverUrl = "postgresql://" + pg.getUsername() + ":" + pg.getPassword() + "@" + pg.getHost() + ":"
            + pg.getMappedPort(5432) + "/" + pg.getDatabaseName();
      }
      case EMBEDDED -> {
        Path dir = Files.createTempDirectory("gameday-test-pg");
        EmbeddedDatabase db = EmbeddedDatabase.startOrAttach(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            db.close();
          } catch (Exception e) {
            // the JVM is exiting; nothing to do
          }
        }));
        serverUrl = db.url();
      }
    }
  }

  private static boolean dockerAnswers() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable e) {
      return false;
    }
  }

  public static Source source() {
    return source;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    startServer();
    String name = "gd_" + context.getRequiredTestClass().getSimpleName().toLowerCase().replaceAll("[^a-z0-9]", "")
        + "_" + Long.toHexString(System.nanoTime());
    Migrations.Jdbc admin = Migrations.Jdbc.from(serverUrl);
    try (Connection c = DriverManager.getConnection(admin.url(), admin.user(), admin.password());
         Statement s = c.createStatement()) {
      s.execute("create database " + name);
    }
    String url = withDatabase(serverUrl, name);
    Migrations.migrate(url);
    context.getStore(ExtensionContext.Namespace.GLOBAL).put(PostgresExtension.class,
        new TestDatabase(url, serverUrl, source));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    TestDatabase db = context.getStore(ExtensionContext.Namespace.GLOBAL).remove(PostgresExtension.class, TestDatabase.class);
    if (db == null) {
      return;
    }
    Migrations.Jdbc admin = Migrations.Jdbc.from(serverUrl);
    String name = Optional.of(db.url()).map(u -> u.substring(u.lastIndexOf('/') + 1)).get();
    try (Connection c = DriverManager.getConnection(admin.url(), admin.user(), admin.password());
         Statement s = c.createStatement()) {
      s.execute("drop database if exists " + name + " with (force)");
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == TestDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return e.getStore(ExtensionContext.Namespace.GLOBAL).get(PostgresExtension.class, TestDatabase.class);
  }

  /** A freshly migrated database of its own, for test engines without Jupiter extensions (jqwik). */
  public static TestDatabase newDatabase(String owner) throws Exception {
    startServer();
    String name = "gd_" + owner.toLowerCase().replaceAll("[^a-z0-9]", "") + "_" + Long.toHexString(System.nanoTime());
    Migrations.Jdbc admin = Migrations.Jdbc.from(serverUrl);
    try (Connection c = DriverManager.getConnection(admin.url(), admin.user(), admin.password());
         Statement s = c.createStatement()) {
      s.execute("create database " + name);
    }
    String url = withDatabase(serverUrl, name);
    Migrations.migrate(url);
    return new TestDatabase(url, serverUrl, source);
  }

  public static void dropDatabase(TestDatabase db) throws Exception {
    Migrations.Jdbc admin = Migrations.Jdbc.from(serverUrl);
    String name = db.url().substring(db.url().lastIndexOf('/') + 1);
    try (Connection c = DriverManager.getConnection(admin.url(), admin.user(), admin.password());
         Statement s = c.createStatement()) {
      s.execute("drop database if exists " + name + " with (force)");
    }
  }

  static String withDatabase(String url, String db) {
    int q = url.indexOf('?');
    String query = q < 0 ? "" : url.substring(q);
    String noQuery = q < 0 ? url : url.substring(0, q);
    int slash = noQuery.indexOf('/', noQuery.indexOf("//") + 2);
    return (slash < 0 ? noQuery : noQuery.substring(0, slash)) + "/" + db + query;
  }
}

package dev.gameday.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The start's shortcut past Flyway: when the database's history holds exactly this release's migrations (each applied
 * with success, with the same version, description and checksum, and nothing else), Flyway would find nothing to apply
 * and nothing to complain about, so the start need not load it (configuring Flyway alone loads some 900 classes,
 * Jackson's included, and costs seconds of CPU on a busy 2-core machine). Anything else (a fresh or older schema, a
 * newer one, a failed or edited migration, a baseline, a file this class does not understand) answers empty and
 * the caller runs Flyway, which migrates, or refuses with its own message.
 */
final class MigrationHistory {
  static final String LOCATION = "db/migration";
  private static final Pattern VERSIONED = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__(.+)\\.sql");

  private MigrationHistory() {
  }

  /** One versioned SQL migration as Flyway names and checksums it. */
  record Script(String version, String description, int checksum) {
  }

  /**
   * The schema version if the history matches this release's migrations exactly; empty when Flyway must look (any
   * doubt, including a database error, answers empty).
   */
  static Optional<String> upToDate(String postgresUrl) {
    Map<String, Script> known = onClassPath();
    if (known == null || known.isEmpty()) {
      return Optional.empty();
    }
    Migrations.Jdbc jdbc = Migrations.Jdbc.from(postgresUrl);
    Map<String, Script> applied = new TreeMap<>();
    try (var c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password());
         var st = c.createStatement();
         var rs = st.executeQuery("select version, description, type, checksum, success from flyway_schema_history")) {
      while (rs.next()) {
        String version = rs.getString(1);
        int checksum = rs.getInt(4);
        boolean noChecksum = rs.wasNull();
        if (version == null || noChecksum || !"SQL".equals(rs.getString(3)) || !rs.getBoolean(5)
            || applied.put(version, new Script(version, rs.getString(2), checksum)) != null) {
          return Optional.empty();
        }
      }
    } catch (SQLException e) {
      return Optional.empty(); // no history table yet, or no database: Flyway says what is wrong
    }
    if (!applied.equals(known)) {
      return Optional.empty();
    }
    return known.keySet().stream().max(MigrationHistory::compareVersions);
  }

  /**
   * This release's migrations by version, read from the class path as Flyway reads {@code classpath:db/migration};
   * null when there is anything other than versioned SQL files there, or the location cannot be listed.
   */
  static Map<String, Script> onClassPath() {
    Map<String, Script> scripts = new TreeMap<>();
    try {
      for (URL url : Collections.list(MigrationHistory.class.getClassLoader().getResources(LOCATION))) {
        Map<String, byte[]> files = switch (url.getProtocol()) {
          case "jar" -> inJar(url);
          case "file" -> inDirectory(Path.of(url.toURI()));
          default -> null;
        };
        if (files == null) {
          return null;
        }
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
          Matcher m = VERSIONED.matcher(f.getKey());
          if (!m.matches()) {
            return null;
          }
          String version = m.group(1).replace('_', '.');
          Script s = new Script(version, m.group(2).replace('_', ' '), checksum(f.getValue()));
          if (scripts.put(version, s) != null) {
            return null;
          }
        }
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return null;
    }
    return scripts;
  }

  private static Map<String, byte[]> inJar(URL url) throws IOException {
    var connection = url.openConnection();
    if (!(connection instanceof JarURLConnection jar)) {
      return null;
    }
    Map<String, byte[]> files = new TreeMap<>();
    JarFile file = jar.getJarFile();
    String prefix = LOCATION + "/";
    for (JarEntry e : Collections.list(file.entries())) {
      String name = e.getName();
      if (name.startsWith(prefix) && !e.isDirectory()) {
        String rest = name.substring(prefix.length());
        if (rest.contains("/")) {
          return null; // Flyway reads sub-folders too: leave them to it
        }
        try (InputStream in = file.getInputStream(e)) {
          files.put(rest, in.readAllBytes());
        }
      }
    }
    return files;
  }

  private static Map<String, byte[]> inDirectory(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.toList()) {
        if (!Files.isRegularFile(p)) {
          return null;
        }
        files.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  /**
   * Flyway's checksum of a SQL file: CRC-32 over the UTF-8 bytes of each line without its line ending, a byte-order
   * mark on the first line left out (so it does not depend on line endings). MigrationHistoryTest compares it with
   * Flyway's own for every migration.
   */
  static int checksum(byte[] bytes) {
    CRC32 crc = new CRC32();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new java.io.ByteArrayInputStream(bytes),
        StandardCharsets.UTF_8))) {
      String line = r.readLine();
      if (line != null && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      while (line != null) {
        crc.update(line.getBytes(StandardCharsets.UTF_8));
        line = r.readLine();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e); // a byte array cannot fail to read
    }
    return (int) crc.getValue();
  }

  /** Flyway's order of versions: part by part, numerically. */
  static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      var p = i < x.length ? new java.math.BigInteger(x[i]) : java.math.BigInteger.ZERO;
      var q = i < y.length ? new java.math.BigInteger(y[i]) : java.math.BigInteger.ZERO;
      int c = p.compareTo(q);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}

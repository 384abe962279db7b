package dev.gameday.exercise;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Hashes that say whether something changed: the whole library with the checking code (so a library that passed every
 * check is not checked again at start-up), and one exercise's files (its content hash).
 */
final class LibraryFingerprint {
  /** The checking code, part of the fingerprint: a new release re-checks a library its rules have not seen. */
  private static final List<Class<?>> CHECKERS = List.of(ExerciseLoader.class, LibraryFiles.class, LibraryChecks.class,
      RubricLoader.class, LibraryFingerprint.class, EvidenceRules.class, MetricRules.class, DocumentChecks.class, World.class, Claims.class,
      Findings.class, ScenarioFacts.class, Csv.class, Yaml.class);

  private LibraryFingerprint() {
  }

  /**
   * SHA-256 over every file of the library (path and bytes, in order) and the checking code's class files. Reads
   * the files: call it off the event loop. Null when the library cannot be read (then everything is checked).
   */
  static String of(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        sha.update(root.relativize(p).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(Files.readAllBytes(p));
        sha.update((byte) 0);
      }
      for (Class<?> c : CHECKERS) {
        try (var in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
          if (in == null) {
            return null;
          }
          sha.update(in.readAllBytes());
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      return null;
    }
  }

  /** SHA-256 over an exercise's files (path, length and bytes, in path order). */
  static String contentHash(Map<String, byte[]> files) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
        md.update(f.getKey().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(Long.toString(f.getValue().length).getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(f.getValue());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

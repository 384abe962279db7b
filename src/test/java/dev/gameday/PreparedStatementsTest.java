package dev.gameday;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The pool keeps every statement prepared on each connection (issue 28). The client's default keeps only statements
 * shorter than 2,048 characters; the autosave's is longer, so every save was parsed, described and planned again.
 */
class PreparedStatementsTest {
  static final Path CLASSES = Path.of("target", "classes");

  /** Every static String constant in Gameday's classes that is an SQL statement, by class and field. */
  static TreeMap<String, String> statements() throws IOException {
    TreeMap<String, String> out = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(CLASSES.resolve("dev/gameday"))) {
      files = s.filter(p -> p.toString().endsWith(".class")).toList();
    }
    for (Path f : files) {
      String name = CLASSES.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
      Class<?> c;
      try {
        c = Class.forName(name, true, PreparedStatementsTest.class.getClassLoader());
      } catch (Throwable e) { // a class whose start-up needs more than a class path: it holds no statement we miss below
        continue;
      }
      for (Field field : c.getDeclaredFields()) {
        if (field.getType() != String.class || !Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        try {
          field.setAccessible(true);
          String v = (String) field.get(null);
          String head = v == null ? "" : v.stripLeading().toLowerCase(Locale.ROOT);
          if (head.matches("(?s)(select|insert|update|delete|with)\\s.*")) {
            out.put(name + "." + field.getName(), v);
          }
        } catch (ReflectiveOperationException | RuntimeException e) {
          // not readable: not a constant
        }
      }
    }
    return out;
  }

  @Test
  @DisplayName("every SQL statement held as a constant, the autosave's included, is kept prepared by the pool's options")
  void everyStatementKept() throws IOException {
    Predicate<String> kept = Gameday.connectOptions("postgresql://u@localhost:5432/db").getPreparedStatementCacheSqlFilter();
    TreeMap<String, String> all = statements();
    String save = all.get("dev.gameday.candidate.Answers.SAVE");
    assertTrue(save != null && save.length() > 2048,
        "the autosave's statement is found, and is longer than the client's default limit (which this test is about)");
    assertTrue(all.size() > 50, "statements found: " + all.size());
    List<String> notKept = new ArrayList<>();
    all.forEach((field, sql) -> {
      if (!kept.test(sql)) {
        notKept.add(field + " (" + sql.length() + " characters)");
      }
    });
    assertEquals(List.of(), notKept, "statements the pool would parse and plan again on every execution");
  }
}

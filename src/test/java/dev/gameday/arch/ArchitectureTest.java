package dev.gameday.arch;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The structure docs/architecture.md describes, enforced on the compiled classes and the sources (issue 22): each
 * package depends only on the packages below it in the table, route classes hold no SQL, and no main source file
 * grows past 500 lines.
 */
class ArchitectureTest {
  /** Each package and the packages it may use (besides itself). The table in docs/architecture.md is this one. */
  static final Map<String, List<String>> ALLOWED = Map.ofEntries(
      Map.entry("db", List.of()),
      Map.entry("web", List.of()),
      Map.entry("exercise", List.of("web")),
      Map.entry("audit", List.of("web")),
      Map.entry("ops", List.of("db", "web", "exercise", "audit")),
      Map.entry("candidate", List.of("web", "exercise", "audit")),
      Map.entry("account", List.of("web", "audit")),
      Map.entry("review", List.of("web", "exercise", "audit", "candidate")),
      Map.entry("compliance", List.of("web", "exercise", "audit", "candidate")),
      Map.entry("recruiter", List.of("db", "web", "exercise", "audit", "ops", "candidate", "account", "review")),
      Map.entry("integration", List.of("db", "web", "exercise", "audit", "ops", "candidate", "account", "review", "recruiter")));

  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.gameday");
  }

  static String layer(String pkg) {
    return Character.toUpperCase(pkg.charAt(0)) + pkg.substring(1);
  }

  @Test
  @DisplayName("each package uses only the packages below it; nothing uses the composition root")
  void layers() {
    var arch = layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("Root").definedBy("dev.gameday");
    for (String pkg : ALLOWED.keySet()) {
      arch = arch.layer(layer(pkg)).definedBy("dev.gameday." + pkg + "..");
    }
    arch = arch.whereLayer("Root").mayNotBeAccessedByAnyLayer();
    for (var e : ALLOWED.entrySet()) {
      String[] below = e.getValue().stream().map(ArchitectureTest::layer).toArray(String[]::new);
      arch = below.length == 0 ? arch.whereLayer(layer(e.getKey())).mayNotAccessAnyLayer()
          : arch.whereLayer(layer(e.getKey())).mayOnlyAccessLayers(below);
    }
    arch.check(classes);
  }

  @Test
  @DisplayName("every package is in the table (a new package states its place)")
  void everyPackageHasAPlace() {
    List<String> unknown = new ArrayList<>();
    classes.forEach(c -> {
      String p = c.getPackageName();
      if (!p.equals("dev.gameday")) {
        String top = p.substring("dev.gameday.".length()).split("\\.")[0];
        if (!ALLOWED.containsKey(top) && !unknown.contains(top)) {
          unknown.add(top);
        }
      }
    });
    assertEquals(List.of(), unknown, "packages missing from ArchitectureTest.ALLOWED and docs/architecture.md");
  }

  @Test
  @DisplayName("route classes reach the database only through their feature's store or service")
  void routesHoldNoDatabaseClient() {
    noClasses().that().haveSimpleNameEndingWith("Routes")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx.sqlclient..", "io.vertx.pgclient..")
        .because("SQL belongs to the feature's store or service, not its routes (docs/architecture.md)")
        .check(classes);
  }

  /** A string literal that starts like a statement: what SQL text in Java looks like here. */
  static final Pattern SQL = Pattern.compile("\"(\"\"\\s*\\n)?\\s*(select\\s+[\\w*(]|insert\\s+into\\s|update\\s+\\w+\\s+set\\s"
      + "|delete\\s+from\\s|with\\s+\\w+\\s+as\\s*\\()", Pattern.CASE_INSENSITIVE);

  @Test
  @DisplayName("no SQL text in route classes or the composition root; no main source file over 500 lines")
  void sources() throws IOException {
    Path main = Path.of("src/main/java/dev/gameday");
    List<String> sql = new ArrayList<>();
    List<String> long_ = new ArrayList<>();
    try (Stream<Path> files = Files.walk(main)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(f);
        if (lines.size() > 500) {
          long_.add(main.relativize(f) + " (" + lines.size() + " lines)");
        }
        boolean root = f.getParent().equals(main);
        if (root || f.getFileName().toString().endsWith("Routes.java")) {
          String text = String.join("\n", lines);
          var m = SQL.matcher(text);
          while (m.find()) {
            int line = (int) text.substring(0, m.end()).chars().filter(ch -> ch == '\n').count();
            sql.add(main.relativize(f) + ":" + (line + 1) + ": " + lines.get(line).strip());
          }
        }
      }
    }
    assertTrue(sql.isEmpty(), "SQL text outside a store or service:\n" + String.join("\n", sql));
    assertTrue(long_.isEmpty(), "main source files over 500 lines:\n" + String.join("\n", long_));
  }
}

package dev.gameday.exercise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.exercise.Model.Exercise;
import dev.gameday.exercise.Model.LoadedExercise;
import dev.gameday.support.Library;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VariantTest {
  static final Map<String, LoadedExercise> library = Library.shipped();


  @Test
  @DisplayName("a seed always gives the same variant; seed 0 is the library as written")
  void deterministic() {
    Exercise ex = library.get("incident-postmortem").exercise();
    String log = Library.file("incident-postmortem", "evidence/registry-api.log");
    assertEquals(Variant.of(ex, 7).text(log), Variant.of(ex, 7).text(log));
    assertEquals(JsonObject.mapFrom(Variant.of(ex, 7).exercise(ex)), JsonObject.mapFrom(Variant.of(ex, 7).exercise(ex)));
    assertTrue(Variant.of(ex, 0).identity());
    assertSame(log, Variant.of(ex, 0).text(log));
    assertSame(ex, Variant.of(ex, 0).exercise(ex));
  }

  @Test
  @DisplayName("two seeds differ in the chart data, the log, the pods and the brief's times")
  void seedsDiffer() {
    Exercise ex = library.get("incident-postmortem").exercise();
    Variant a = Variant.of(ex, 1);
    Variant b = Variant.of(ex, 2);
    assertNotEquals(0, a.shiftMinutes());
    assertNotEquals(a.shiftMinutes(), b.shiftMinutes());
    for (String f : List.of("evidence/edge-metrics.csv", "evidence/registry-api.log", "evidence/registry-api-pods.csv",
        "evidence/incident-chat.md")) {
      String canonical = Library.file("incident-postmortem", f);
      assertNotEquals(a.text(canonical), b.text(canonical), f);
      assertNotEquals(canonical, a.text(canonical), f);
    }
    String pods = a.text(Library.file("incident-postmortem", "evidence/registry-api-pods.csv"));
    assertFalse(pods.contains("registry-api-6b7d4c9f5-"), "pod names are scrambled");
    // the brief quotes the chat's span (14:09-15:29): each variant quotes its own
    String brief = a.exercise(ex).brief();
    assertFalse(brief.contains("14:09–15:29"));
    assertTrue(brief.contains(hm(14 * 60 + 9 + a.shiftMinutes()) + "–" + hm(15 * 60 + 29 + a.shiftMinutes())), brief);
  }

  @Test
  @DisplayName("every variant keeps the planted findings, their count, the rubric and the sections; only figures change")
  void findingsPreserved() {
    for (long seed : List.of(3L, 4L, 5L)) {
      ExerciseLoader.Result r = ExerciseLoader.load(Path.of("exercises"), seed);
      assertTrue(r.ok(), r.problems().toString());
      for (LoadedExercise le : r.exercises()) {
        Exercise canonical = library.get(le.exercise().id()).exercise();
        Exercise variant = le.exercise();
        assertEquals(Library.findings(canonical.reviewerNotes()), Library.findings(variant.reviewerNotes()), variant.id());
        assertEquals(canonical.rubric().stream().map(c -> c.id() + ":" + c.weight()).toList(),
            variant.rubric().stream().map(c -> c.id() + ":" + c.weight()).toList());
        assertEquals(canonical.sections().stream().map(Model.Section::id).toList(),
            variant.sections().stream().map(Model.Section::id).toList());
        assertEquals(canonical.evidence().size(), variant.evidence().size());
        // what the server renders for the seed is what check verified
        assertEquals(variant.reviewerNotes(), Variant.of(canonical, seed).exercise(canonical).reviewerNotes());
        assertEquals(variant.brief(), Variant.of(canonical, seed).exercise(canonical).brief());
      }
    }
  }

  @Test
  @DisplayName("distinctive figures: the seed's own times and names, none of the library's, another seed's differ")
  void distinctiveFigures() {
    Exercise ex = library.get("incident-postmortem").exercise();
    Set<String> one = Variant.distinctiveFigures(ex, 1);
    Set<String> two = Variant.distinctiveFigures(ex, 2);
    assertTrue(Variant.distinctiveFigures(ex, 0).isEmpty());
    assertTrue(one.size() >= 5, one.toString());
    assertNotEquals(one, two);
    String written = ex.brief() + ex.reviewerNotes();
    one.forEach(f -> assertFalse(written.contains(f), f + " is in the library as written"));
    assertTrue(one.contains(hm(14 * 60 + 9 + Variant.of(ex, 1).shiftMinutes())), one.toString());
  }

  @Test
  @DisplayName("check fails when a variant loses a fact: a generated event the shift moves to another day")
  void mutationFails(@TempDir Path tmp) throws Exception {
    Path lib = Library.copy(tmp);
    // a generator's output with an event late on the incident's day: true as written, on the 15th in later variants
    Files.writeString(lib.resolve("incident-postmortem/evidence/metadata-db.log"),
        "2026-10-14T23:55:00.226Z INFO metadata-db host=mdb-primary pid=1187 user=- checkpoint starting: time\n", StandardOpenOption.APPEND);
    List<Model.Problem> problems = Library.variantProblems(lib, 20);
    assertFalse(problems.isEmpty());
    assertTrue(problems.stream().allMatch(p -> p.file().endsWith("incident-postmortem/exercise.yaml")
        && p.message().contains("moves times into another day") && p.message().contains("2026-10-14T23:55")), problems.toString());
  }

  @Test
  @DisplayName("check fails when a variant's renaming breaks the world: a scrambled id world.yaml gives to the exercise")
  void renameBreakingTheWorldFails(@TempDir Path tmp) throws Exception {
    Path lib = Library.copy(tmp);
    Library.replace(lib, "incident-postmortem/exercise.yaml", "  scramble:                        # the ReplicaSet hash, then each pod's own suffix\n",
        "  scramble:\n    - 'CHG-(?<x>\\d{4})'\n");
    List<Model.Problem> problems = Library.variantProblems(lib, 3);
    assertFalse(problems.isEmpty());
    assertTrue(problems.stream().anyMatch(p -> p.message().startsWith("variant seed 1: ") && p.message().contains("CHG-")),
        problems.toString());
  }

  @Test
  @DisplayName("check fails when a generator writes a picked version in a form the pick misses (the variant would show both)")
  void pickMissFails(@TempDir Path tmp) throws Exception {
    Path lib = Library.copy(tmp);
    Library.replace(lib, "incident-postmortem/evidence/changes.md", "v4.82.0", "release_4.82.0");
    List<Model.Problem> problems = Library.variantProblems(lib, 5);
    assertTrue(problems.stream().anyMatch(p -> p.message().contains("replaces 4.82.0 but the text still has it")),
        problems.toString());
  }

  private static String hm(int minutes) {
    return String.format("%02d:%02d", minutes / 60, minutes % 60);
  }
}

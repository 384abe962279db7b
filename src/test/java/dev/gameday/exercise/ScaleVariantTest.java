package dev.gameday.exercise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.exercise.Model.Exercise;
import dev.gameday.exercise.Model.LoadedExercise;
import dev.gameday.support.Library;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
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

/** The {@code scale} part of a variant (exercises/README.md, "variants"): magnitudes differ per seed, consistently. */
class ScaleVariantTest {
  private static final String CSV = "evidence/edge-traffic-hourly.csv";
  private static final String INVENTORY = "evidence/architecture-and-inventory.md";
  static final Map<String, LoadedExercise> library = Library.shipped();


  /** The column's values of the CSV's rows, as written. */
  private static List<String> column(String csv, String name) {
    String[] lines = csv.split("\n");
    int col = List.of(lines[0].split(",")).indexOf(name);
    List<String> out = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      out.add(lines[i].split(",")[col]);
    }
    return out;
  }

  private static double num(String s) {
    return Double.parseDouble(s.replace(",", ""));
  }

  /** The inventory's edge peak and the highest edge_total_rps of 23-29 August in the same variant's CSV. */
  private static double[] peakStatedAndMeasured(String inventory, String csv) {
    Matcher m = Pattern.compile("third-party CDN \\| ([\\d,]+) req/s").matcher(inventory);
    assertTrue(m.find(), inventory);
    String[] lines = csv.split("\n");
    int col = List.of(lines[0].split(",")).indexOf("edge_total_rps");
    double max = 0;
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(",");
      if (f[0].compareTo("2026-08-23") >= 0) {
        max = Math.max(max, Double.parseDouble(f[col]));
      }
    }
    return new double[] {num(m.group(1)), max};
  }

  @Test
  @DisplayName("two seeds of scaling-plan: other y-values in the same chart CSV, other prose figures agreeing with them, the same findings")
  void seedsScaleTheTraffic() {
    Exercise ex = library.get("scaling-plan").exercise();
    String csv = Library.file("scaling-plan", CSV);
    String inventory = Library.file("scaling-plan", INVENTORY);
    Variant a = Variant.of(ex, 1);
    Variant b = Variant.of(ex, 2);
    assertNotEquals(a.scaleFactors(), b.scaleFactors());
    String csvA = a.text(csv, CSV);
    String csvB = b.text(csv, CSV);
    List<String> totalA = column(csvA, "edge_total_rps");
    List<String> totalB = column(csvB, "edge_total_rps");
    assertNotEquals(totalA, totalB, "the requests chart's y-values differ between the seeds");
    assertNotEquals(column(csv, "registry_api_origin_rps"), column(csvA, "registry_api_origin_rps"));
    // counts stay whole numbers; what the scale does not name stays as written
    assertTrue(totalA.stream().allMatch(v -> v.matches("\\d+")), totalA.toString());
    assertEquals(column(csv, "registry_api_pods"), column(csvA, "registry_api_pods"));
    assertEquals(column(csv, "registry_api_p99_ms"), column(csvB, "registry_api_p99_ms"));
    assertEquals(column(csv, "time"), column(csvB, "time"));
    // the inventory restates each variant's own peak
    double[] pa = peakStatedAndMeasured(a.text(inventory, INVENTORY), csvA);
    double[] pb = peakStatedAndMeasured(b.text(inventory, INVENTORY), csvB);
    assertNotEquals(pa[0], pb[0], "the prose peak differs between the seeds");
    assertEquals(pa[1], pa[0], pa[1] * 0.01, "seed 1's stated peak is its CSV's");
    assertEquals(pb[1], pb[0], pb[1] * 0.01, "seed 2's stated peak is its CSV's");
    // the reviewer notes' forecast moves with the traffic; the planted findings do not
    String notes = ex.reviewerNotes();
    String notesA = a.exercise(ex).reviewerNotes();
    String notesB = b.exercise(ex).reviewerNotes();
    assertTrue(notes.contains("17,500 × 1.6 = 28,000 req/s"), notes);
    assertFalse(notesA.contains("28,000 req/s"), notesA);
    assertNotEquals(notesA, notesB);
    assertEquals(Library.findings(notes), Library.findings(notesA));
    assertEquals(Library.findings(notes), Library.findings(notesB));
    assertFalse(Library.findings(notes).isEmpty());
    // limits and capacities are not traffic
    assertTrue(notesA.contains("12,000 write-IOPS") && notesA.contains("30 × 450 = 13,500"), notesA);
  }

  @Test
  @DisplayName("a scaled figure keeps the original's format: decimals, thousands separators, a round figure stays round")
  void numberFormat() {
    assertEquals("124,500", Variant.scaled("120,000", 1.0374, true));
    assertEquals("124,488", Variant.scaled("120,000", 1.0374, false));
    assertEquals("18,130", Variant.scaled("17,500", 1.036, true));
    assertEquals("7,280", Variant.scaled("7,000", 1.04, true));
    assertEquals("311", Variant.scaled("305", 1.02, true));
    assertEquals("2.23", Variant.scaled("2.03", 1.1, false));
    assertEquals("1,234.5", Variant.scaled("1,122.3", 1.1, true));
    assertEquals("958", Variant.scaled("1000", 0.958, false));
  }

  @Test
  @DisplayName("seed 0 is the library as written: factor 1, no scaled figure")
  void seedZero() {
    Exercise ex = library.get("scaling-plan").exercise();
    Variant v = Variant.of(ex, 0);
    assertTrue(v.identity());
    String csv = Library.file("scaling-plan", CSV);
    assertEquals(csv, v.text(csv, CSV));
    assertTrue(Variant.distinctiveFigures(ex, 0).isEmpty());
  }

  @Test
  @DisplayName("a scaled figure a candidate reads marks the seed; the notes' forecasts, dense across seeds, do not")
  void distinctive() {
    Exercise ex = library.get("scaling-plan").exercise();
    Variant v = Variant.of(ex, 3);
    String organic = Variant.scaled("28,000", v.scaleFactors().get(0), true);
    assertNotEquals("28,000", organic);
    assertTrue(v.exercise(ex).reviewerNotes().contains(organic + " req/s"));
    assertFalse(Variant.distinctiveFigures(ex, 3).contains(organic), "a forecast is arithmetic any candidate may round to");
    // the same exercise with a brief that states the peak: that figure is what only seed 3's candidates read
    Exercise stating = new Exercise(ex.id(), ex.title(), ex.minutes(), ex.summary(),
        ex.brief() + "\nLast week's peak: edge 17,500 req/s.\n", ex.sections(), ex.evidence(), ex.rubric(),
        ex.reviewerNotes(), ex.calibration(), ex.variants());
    String peak = Variant.scaled("17,500", v.scaleFactors().get(0), true);
    assertTrue(Variant.of(stating, 3).exercise(stating).brief().contains("edge " + peak + " req/s"));
    Set<String> figures = Variant.distinctiveFigures(stating, 3);
    assertTrue(figures.contains(peak), peak + " in " + figures);
    assertFalse(figures.contains("17,500"));
    assertTrue(Variant.distinctiveFigures(stating, 0).isEmpty());
  }

  @Test
  @DisplayName("scaled figures of a Markdown evidence document (the inventory's peak rates) mark the seed when the document is given: at least two per seed, none of seed 0's")
  void documentFigures() throws Exception {
    Exercise ex = library.get("scaling-plan").exercise();
    String path = "evidence/architecture-and-inventory.md";
    Map<String, String> docs = Map.of(path, Library.file("scaling-plan", path));
    for (long seed = 1; seed <= 5; seed++) {
      Set<String> without = Variant.distinctiveFigures(ex, seed);
      Set<String> with = Variant.distinctiveFigures(ex, seed, docs);
      Set<String> added = new TreeSet<>(with);
      added.removeAll(without);
      assertTrue(added.size() >= 2, "seed " + seed + ": " + added);
      String inventory = Variant.of(ex, seed).text(docs.get(path), path);
      for (String figure : added) {
        assertTrue(inventory.contains(figure), figure + " is in seed " + seed + "'s inventory");
        assertFalse(docs.get(path).contains(figure), figure + " is not in the library's inventory");
      }
    }
    assertTrue(Variant.distinctiveFigures(ex, 0, docs).isEmpty());
  }

  @Test
  @DisplayName("oncall-triage's noisy node is one of the pool's otherwise unnamed workers, everywhere the same")
  void pickedWorker() {
    Exercise ex = library.get("oncall-triage").exercise();
    String queue = Library.file("oncall-triage", "evidence/queue.md");
    Set<String> seen = new TreeSet<>();
    for (long seed = 1; seed <= 12; seed++) {
      Variant v = Variant.of(ex, seed);
      String q = v.text(queue, "evidence/queue.md");
      Matcher m = Pattern.compile("DiskUsageCritical (kn-worker-\\d+)").matcher(q);
      assertTrue(m.find(), q);
      String node = m.group(1);
      seen.add(node);
      assertTrue(v.exercise(ex).evidence().stream().anyMatch(e -> e.description().contains(node + " disk")));
      assertEquals(node.equals("kn-worker-14"), q.contains("kn-worker-14"), q);
    }
    assertTrue(seen.size() > 1, seen.toString());
  }

  @Test
  @DisplayName("check fails at the prose's line when a scale misses a figure that restates the CSV")
  void missedFigureFails(@TempDir Path tmp) throws Exception {
    Path lib = Library.copy(tmp);
    Library.replace(lib, "scaling-plan/exercise.yaml", "        - 'tarball (?<x>[\\d,]+), metadata'", "");
    List<Model.Problem> problems = Library.variantProblems(lib, 3);
    assertFalse(problems.isEmpty());
    assertTrue(problems.stream().anyMatch(p -> p.file().endsWith("scaling-plan/" + INVENTORY) && p.line() == 46
        && p.message().startsWith("variant seed ") && p.message().contains("states 9,700")
        && p.message().contains("this variant multiplies edge_tarball_rps by")), problems.toString());
  }

  @Test
  @DisplayName("check fails when a scale pattern finds nothing (the figure it was written for would stay unscaled)")
  void stalePatternFails(@TempDir Path tmp) throws Exception {
    Path lib = Library.copy(tmp);
    Library.replace(lib, "scaling-plan/evidence/architecture-and-inventory.md", "7,350 req/s at origin", "7,350 req/s to origin");
    Library.replace(lib, "scaling-plan/exercise.yaml", "'(?<v>[\\d,]+) req/s at origin'", "'(?<v>[\\d,]+) req/s to origin'");
    List<Model.Problem> problems = Library.variantProblems(lib, 2);
    assertTrue(problems.stream().anyMatch(p -> p.file().endsWith("scaling-plan/exercise.yaml")
        && p.message().contains("req/s at origin") && p.message().contains("matches no figure")), problems.toString());
  }

  @Test
  @DisplayName("check fails when a variant would change an exercise's summary (lists show it as written)")
  void listedFieldsStayAsWritten(@TempDir Path tmp) throws Exception {
    Path lib = Library.copy(tmp);
    Library.replace(lib, "incident-postmortem/exercise.yaml", "during the daily peak.", "during the daily peak, from release 4.82.0.");
    List<Model.Problem> problems = Library.variantProblems(lib, 8);
    assertTrue(problems.stream().anyMatch(p -> p.file().endsWith("incident-postmortem/exercise.yaml") && p.line() == 4
        && p.message().contains("the variant changes the exercise's summary")), problems.toString());
  }
}

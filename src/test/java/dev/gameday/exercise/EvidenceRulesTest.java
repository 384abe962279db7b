package dev.gameday.exercise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.exercise.Model.Problem;
import dev.gameday.support.Library;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The causality rules of {@code check} (exercises/README.md, "rules"): each test plants one contradiction in a
 * temporary copy of the shipped library and expects it reported at the file and line where it shows.
 */
class EvidenceRulesTest {
  private static final String IP = "exercises/incident-postmortem/";
  private static final String OT = "exercises/oncall-triage/";

  @TempDir
  Path tmp;
  Path lib;

  @BeforeEach
  void copyLibrary() throws IOException {
    lib = Library.copy(tmp);
  }

  private List<String> problems() {
    return ExerciseLoader.load(lib).problems().stream().map(Problem::toString).toList();
  }

  private void replace(String file, String from, String to) throws IOException {
    Library.replace(lib, file, from, to);
  }

  private void prepend(String file, String line) throws IOException {
    Path p = lib.resolve(file);
    Files.writeString(p, line + "\n" + Files.readString(p));
  }

  private int lineOf(String file, String text) throws IOException {
    List<String> lines = Files.readAllLines(lib.resolve(file));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text + " not in " + file);
  }

  private static void assertReported(List<String> problems, String prefix, String fragment) {
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(prefix) && p.contains(fragment)),
        "expected '" + prefix + " ... " + fragment + "' in " + problems);
  }

  @Test
  @DisplayName("the shipped library passes every rule")
  void shippedLibraryPasses() {
    assertEquals(List.of(), ExerciseLoader.load(Path.of("exercises")).problems());
  }

  @Test
  @DisplayName("a version served before the line that publishes it is reported at the serving line")
  void servedBeforePublished() throws IOException {
    prepend("incident-postmortem/evidence/edge.log", "2026-10-14T12:05:00.000Z INFO edge pop=fra2 id=deadbeef "
        + "GET /@orbit/ui/-/ui-5.0.0.tgz 200 cache=HIT up=- up_ms=- ms=5 bytes=1000");
    int pub = lineOf("incident-postmortem/evidence/registry-api.log", "pkg=@orbit/ui reason=publish version=5.0.0");
    assertReported(problems(), IP + "evidence/edge.log:1: ",
        "@orbit/ui 5.0.0 is served at 2026-10-14T12:05:00Z, before it is published at 2026-10-14T14:04:07.214Z ("
            + IP + "evidence/registry-api.log:" + pub + ")");
  }

  @Test
  @DisplayName("a version published twice is reported at the second publish")
  void publishedTwice() throws IOException {
    replace("incident-postmortem/evidence/registry-api.log", "version=8.8.5 versions=311", "version=8.8.6 versions=311");
    int second = lineOf("incident-postmortem/evidence/registry-api.log", "version=8.8.6 versions=312");
    assertReported(problems(), IP + "evidence/registry-api.log:" + second + ": ", "lumen-date 8.8.6 is published again");
  }

  @Test
  @DisplayName("an event of an 'all kept' class without its line is reported at the triggering line")
  void allKeptClassIncomplete() throws IOException {
    prepend("incident-postmortem/evidence/edge.log", "2026-10-14T13:19:34.130Z INFO edge pop=iad1 id=cdea1b55 "
        + "PUT /@orbit/ui 200 cache=PASS up=publish-svc up_status=200 up_ms=2106 ms=2136 bytes=210");
    assertReported(problems(), IP + "evidence/edge.log:1: ", "within 120 s of this one (@orbit/ui), although that class is all kept");
  }

  @Test
  @DisplayName("an alert notified before its for: window has passed is reported at the notice")
  void alertBeforeForWindow() throws IOException {
    replace("oncall-triage/evidence/queue.md", "## Q10 14:30 Alert ReplicaLagHigh", "## Q10 14:29 Alert ReplicaLagHigh");
    int line = lineOf("oncall-triage/evidence/queue.md", "## Q10 14:29");
    assertReported(problems(), OT + "evidence/queue.md:" + line + ": ",
        "ReplicaLagHigh notified at 14:29, but its rule (metadata_db_replica2_lag_s above 10.0 for 1 min) fires at 14:30");
  }

  @Test
  @DisplayName("a missing alert repeat is reported at the alert rule")
  void alertRepeatMissing() throws IOException {
    replace("oncall-triage/evidence/queue.md", "Update 14:36: DiskUsageCritical repeated again (95.2 %), added to this item by the fallback rule.\n", "");
    int line = lineOf("oncall-triage/exercise.yaml", "- name: DiskUsageCritical");
    assertReported(problems(), OT + "exercise.yaml:" + line + ": ",
        "DiskUsageCritical fires or repeats at 14:36 by its rule, but evidence/queue.md has no notice of it");
  }

  @Test
  @DisplayName("a stated sampling rate that the line count contradicts is reported at the sampling rule")
  void samplingContradicted() throws IOException {
    replace("incident-postmortem/exercise.yaml", "      match: ' PUT /'\n      oneIn: 40000\n      perSecond: 0.75",
        "      match: ' PUT /'\n      oneIn: 40000\n      perSecond: 75");
    int line = lineOf("incident-postmortem/exercise.yaml", "match: ' PUT /'") - 1;
    assertReported(problems(), IP + "exercise.yaml:" + line + ": ", "evidence/edge.log has 0 lines matching ' PUT /', but 1 in 40000");
  }

  @Test
  @DisplayName("a row past a paging threshold without its page is reported at the row")
  void thresholdWithoutPage() throws IOException {
    replace("toil-automation/evidence/operations-log.csv", "2026-03-09T19:05:00Z,149,111,2,1,1,1,95,990",
        "2026-03-09T19:05:00Z,149,111,2,1,0,1,95,990");
    assertReported(problems(), "exercises/toil-automation/evidence/operations-log.csv:8: ",
        "disk_used_pct_at_start is 95 (at least 95) but pages_caused is 0, below 1");
  }

  @Test
  @DisplayName("a file the evidence mentions that is not in the evidence list is reported where it is mentioned")
  void referencedFileMissing() throws IOException {
    replace("incident-postmortem/exercise.yaml", "  - file: evidence/edge-errors.md\n    title: Runbook for the EdgeErrorRateHigh alert\n"
        + "    kind: markdown\n    description: The runbook the alert links to, as it was on the day of the incident.\n", "");
    int chat = lineOf("incident-postmortem/evidence/incident-chat.md", "Runbook: edge-errors.md");
    int brief = lineOf("incident-postmortem/brief.md", "edge-errors.md");
    List<String> ps = problems();
    assertReported(ps, IP + "evidence/incident-chat.md:" + chat + ": ", "mentions 'edge-errors.md', which is not in the evidence list");
    assertReported(ps, IP + "brief.md:" + brief + ": ", "mentions 'edge-errors.md'");
  }

  // ------------------------------------------------------------------------------------------------------
  // world.yaml

  @Test
  @DisplayName("a person whose role differs from world.yaml is reported at the declaration")
  void worldRoleDiffers() throws IOException {
    replace("postmortem-review/exercise.yaml", "Nadia: support desk}", "Nadia: SRE}");
    int line = lineOf("postmortem-review/exercise.yaml", "Nadia: SRE}");
    assertReported(problems(), "exercises/postmortem-review/exercise.yaml:" + line + ": ",
        "Nadia is 'SRE' here but 'support desk' in exercises/world.yaml");
  }

  @Test
  @DisplayName("a person of the world named in evidence but not declared by the exercise is reported where named")
  void worldPersonUndeclared() throws IOException {
    replace("postmortem-review/evidence/chat-excerpt.md", "| 15:20 |", "| 15:19 | #incident | priya | Thanks all. |\n| 15:20 |");
    int line = lineOf("postmortem-review/evidence/chat-excerpt.md", "| 15:19 |");
    assertReported(problems(), "exercises/postmortem-review/evidence/chat-excerpt.md:" + line + ": ",
        "names Priya (registry-api engineer in exercises/world.yaml), who is not declared");
  }

  @Test
  @DisplayName("an id another exercise owns is reported where it is reused")
  void worldIdReused() throws IOException {
    replace("postmortem-review/evidence/chat-excerpt.md", "Picking up OPS-1746", "Picking up OPS-2291");
    int line = lineOf("postmortem-review/evidence/chat-excerpt.md", "OPS-2291");
    assertReported(problems(), "exercises/postmortem-review/evidence/chat-excerpt.md:" + line + ": ",
        "uses id 2291, which belongs to oncall-triage");
  }

  @Test
  @DisplayName("a capacity figure that differs from world.yaml is reported at the declaration")
  void worldFigureDiffers() throws IOException {
    replace("scaling-plan/exercise.yaml", "    registry-api.pods: 24", "    registry-api.pods: 30");
    int line = lineOf("scaling-plan/exercise.yaml", "registry-api.pods: 30");
    assertReported(problems(), "exercises/scaling-plan/exercise.yaml:" + line + ": ",
        "registry-api.pods is 30 here but 24 in exercises/world.yaml");
  }

  @Test
  @DisplayName("two exercises on one day of the calendar are reported in world.yaml")
  void worldSameDay() throws IOException {
    replace("world.yaml", "  - date: 2026-09-22\n    exercise: postmortem-review", "  - date: 2026-10-06\n    exercise: postmortem-review");
    int line = lineOf("world.yaml", "exercise: oncall-triage") - 1;
    List<String> ps = problems();
    assertReported(ps, "exercises/world.yaml:" + line + ": ", "two exercises on 2026-10-06 (postmortem-review and oncall-triage)");
    assertReported(ps, "exercises/postmortem-review/exercise.yaml:", "date 2026-09-22 is not this exercise's day in exercises/world.yaml (2026-10-06)");
  }

  // world.yaml facts

  @Test
  @DisplayName("a measured ratio outside a fact's range is reported at the CSV row")
  void worldFactRatioOutside() throws IOException {
    // registry-api serving a fifth of the edge's requests at 13:00 contradicts fact registry-api-origin (0.38-0.46)
    String file = "incident-postmortem/evidence/backend-metrics.csv";
    String row = Files.readAllLines(lib.resolve(file)).stream().filter(l -> l.startsWith("2026-10-14T13:00:00Z,"))
        .findFirst().orElseThrow();
    String[] cells = row.split(",");
    cells[1] = "2600";
    replace(file, row, String.join(",", cells));
    int line = lineOf(file, "2026-10-14T13:00:00Z,");
    // the ratio the check computes, from the edge's own figure at that minute (the library's traffic may be rescaled)
    String edgeRow = Files.readAllLines(lib.resolve("incident-postmortem/evidence/edge-metrics.csv")).stream()
        .filter(l -> l.startsWith("2026-10-14T13:00:00Z,")).findFirst().orElseThrow();
    java.util.List<String> edgeHeader = java.util.List.of(Files.readAllLines(lib.resolve("incident-postmortem/evidence/edge-metrics.csv"))
        .get(0).split(","));
    double edge = Double.parseDouble(edgeRow.split(",")[edgeHeader.indexOf("requests_per_s")]);
    assertReported(problems(), IP + "evidence/backend-metrics.csv:" + line + ": ", "registry-api.requests / edge.requests is "
        + String.format(java.util.Locale.ROOT, "%.3f", 2600 / edge) + " at 2026-10-14T13:00:00Z, outside 0.380-0.460");
  }

  @Test
  @DisplayName("a peak outside a fact's range is reported at the row of the peak, with a constant from the world")
  void worldFactPeakOutside() throws IOException {
    // 12,000 req/s on the world's 24 pods is 500 per pod: more than fact registry-api-per-pod allows
    String file = "postmortem-review/evidence/registry-metrics.csv";
    String row = Files.readAllLines(lib.resolve(file)).stream().filter(l -> l.startsWith("2026-09-22T14:30:00Z,"))
        .findFirst().orElseThrow();
    String[] cells = row.split(",");
    cells[1] = "12000";
    replace(file, row, String.join(",", cells));
    int line = lineOf(file, "2026-09-22T14:30:00Z,");
    assertReported(problems(), "exercises/postmortem-review/evidence/registry-metrics.csv:" + line + ": ",
        "the highest registry-api.requests / registry-api.pods is 500 at 2026-09-22T14:30:00Z, outside 270-360");
  }

  @Test
  @DisplayName("the first edition's read path (registry-api reads from the replicas) is reported where it is written")
  void worldFactContradictedInEvidence() throws IOException {
    String file = "scaling-plan/evidence/architecture-and-inventory.md";
    replace(file, "- The edge caches tarballs (they never change)",
        "- registry-api sends its reads through PgBouncer to the metadata-db replicas.\n- The edge caches tarballs (they never change)");
    int line = lineOf(file, "registry-api sends its reads");
    assertReported(problems(), "exercises/scaling-plan/evidence/architecture-and-inventory.md:" + line + ": ",
        "contradicts fact read-path of exercises/world.yaml");
  }

  @Test
  @DisplayName("a contradiction in reviewer material is reported too, at the line where its sentence starts")
  void worldFactContradictedInReviewerNotes() throws IOException {
    String file = "incident-postmortem/reviewer-notes.md";
    replace(file, "## Red herrings\n", "## Red herrings\n\nThe package documents are\nbuilt from the replicas.\n");
    int line = lineOf(file, "The package documents are");
    assertReported(problems(), IP + "reviewer-notes.md:" + line + ": ", "contradicts fact read-path");
  }

  @Test
  @DisplayName("more registry-api clients in PgBouncer than the pods open is reported at the row (columns summed)")
  void worldFactPgBouncerClientsAtRow() throws IOException {
    // the first edition's 507 waiting besides the 60 holding server connections: 567 clients from 24 pods of 20
    String file = "incident-postmortem/evidence/backend-metrics.csv";
    String row = Files.readAllLines(lib.resolve(file)).stream().filter(l -> l.startsWith("2026-10-14T14:35:00Z,"))
        .findFirst().orElseThrow();
    String[] cells = row.split(",");
    assertEquals("60", cells[4], row); // pool_in_use
    cells[6] = "507"; // clients_waiting
    replace(file, row, String.join(",", cells));
    int line = lineOf(file, "2026-10-14T14:35:00Z,");
    assertReported(problems(), IP + "evidence/backend-metrics.csv:" + line + ": ",
        "pgbouncer.registryApiClients / registry-api.pods is 23.625 at 2026-10-14T14:35:00Z, outside 0.000-20.000"
            + " (fact pgbouncer-clients");
  }

  @Test
  @DisplayName("a PgBouncer client limit other than max_client_conn 1,000 is reported where it is written")
  void worldFactPgBouncerLimitContradicted() throws IOException {
    String file = "postmortem-review/evidence/chat-excerpt.md";
    replace(file, "PgBouncer waiting clients about 410, so nearly every registry-api connection is queued.",
        "PgBouncer waiting clients near 2000 (its limit).");
    int line = lineOf(file, "near 2000 (its limit)");
    assertReported(problems(), "exercises/postmortem-review/evidence/chat-excerpt.md:" + line + ": ",
        "contradicts fact pgbouncer-clients of exercises/world.yaml");
    String notes = "scaling-plan/reviewer-notes.md";
    replace(notes, "`max_client_conn` 1,000", "`max_client_conn` 2,000");
    assertReported(problems(), "exercises/scaling-plan/reviewer-notes.md:", "contradicts fact pgbouncer-clients");
  }

  @Test
  @DisplayName("a measure naming a column the CSV lacks is reported at the declaration")
  void worldMeasureUnknownColumn() throws IOException {
    replace("incident-postmortem/exercise.yaml", "column: api_requests_per_s}", "column: api_rps}");
    int line = lineOf("incident-postmortem/exercise.yaml", "column: api_rps}");
    assertReported(problems(), IP + "exercise.yaml:" + line + ": ",
        "registry-api.requests is measured in column 'api_rps', which evidence/backend-metrics.csv does not have");
  }

  @Test
  @DisplayName("a PR diff the change log names but the evidence list lacks is reported where it is named")
  void referencedDiffMissing() throws IOException {
    replace("incident-postmortem/exercise.yaml", "  - file: evidence/pr-4471.diff\n", "  - file: evidence/pr-4471-gone.diff\n");
    Files.move(lib.resolve("incident-postmortem/evidence/pr-4471.diff"), lib.resolve("incident-postmortem/evidence/pr-4471-gone.diff"));
    int line = lineOf("incident-postmortem/evidence/changes.md", "pr-4471.diff");
    assertReported(problems(), IP + "evidence/changes.md:" + line + ": ", "pr-4471.diff");
  }

  @Test
  @DisplayName("a brief whose minutes differ from exercise.yaml is reported at the brief's line")
  void briefMinutesDiffer() throws IOException {
    replace("incident-postmortem/brief.md", "Plan on about **60 minutes**", "Plan on about **50 minutes**");
    int line = lineOf("incident-postmortem/brief.md", "about **50 minutes**");
    assertReported(problems(), IP + "brief.md:" + line + ": ", "the brief says about 50 minutes but exercise.yaml says 60");
  }

  @Test
  @DisplayName("a brief whose word range the section limits do not fit is reported at the brief's line")
  void briefWordsDiffer() throws IOException {
    replace("oncall-triage/brief.md", "about 200 to 250 words in total", "about 300 to 400 words in total");
    int line = lineOf("oncall-triage/brief.md", "300 to 400 words");
    assertReported(problems(), OT + "brief.md:" + line + ": ", "the brief asks for 300-400 words but the sections' word limits add up to 250");
  }
}

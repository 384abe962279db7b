package dev.gameday;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Library;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One mutated copy of the shipped library per class of fact that `check` guards (issue 19): a person who is not
 * one of the world's or given another role, a restated world figure (a rate, a ratio, a capacity, a disk or WAL
 * figure, the day of an incident or a launch), a prose figure against the exercise's own CSV (its maximum, its
 * rate, the hour of its daily peak), an outage said to be in a window against the spike the CSV shows, and a
 * planted finding credited by two criteria. Each must fail `check` with the file, the line and both values.
 */
class WorldCheckMutationTest {
  @TempDir
  Path tmp;

  private record Run(int code, String out) {
  }

  private static Run check(Path dir) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new Main()).execute("check", "--exercises", dir.toString());
      return new Run(code, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(old);
    }
  }

  /** Replaces text in a file of the copy and returns the 1-based line where the replacement starts. */
  private static int plant(Path lib, String file, String from, String to) throws Exception {
    Library.replace(lib, file, from, to);
    List<String> lines = Files.readAllLines(lib.resolve(file));
    String first = to.split("\n", 2)[0];
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(first)) {
        return i + 1;
      }
    }
    throw new AssertionError(first + " not found in " + file);
  }

  private static void fails(Path lib, String... expected) {
    Run r = check(lib);
    assertEquals(1, r.code(), r.out());
    for (String e : expected) {
      assertTrue(r.out().contains(e), "expected '" + e + "' in:\n" + r.out());
    }
  }

  @Test
  @DisplayName("a chat speaker who is not one of the world's people fails check at the chat line")
  void unknownSpeaker() throws Exception {
    Path lib = Library.copy(tmp);
    String f = "incident-postmortem/evidence/incident-chat.md";
    int line = plant(lib, f, "**14:31 Marta:**", "**14:31 Jun:**");
    fails(lib, "exercises/" + f + ":" + line + ": Jun is not one of the people of exercises/world.yaml");
  }

  @Test
  @DisplayName("a person named only in the reviewer notes must be one of the world's people too")
  void unknownPersonInReviewerNotes() throws Exception {
    Path lib = Library.copy(tmp);
    String f = "toil-automation/reviewer-notes.md";
    int line = plant(lib, f, "(Lucía, 22 Sep)", "(Jun, 22 Sep)");
    fails(lib, "exercises/" + f + ":" + line + ": Jun is not one of the people of exercises/world.yaml");
  }

  @Test
  @DisplayName("a restated world figure outside its tolerance fails check with both values")
  void restatedWorldFigure() throws Exception {
    Path lib = Library.copy(tmp);
    String f = "oncall-triage/brief.md";
    int line = plant(lib, f, "about 7,000 requests per second on average", "about 9,500 requests per second on average");
    fails(lib, "exercises/" + f + ":" + line + ": states edge-average-rps as 9,500 but exercises/world.yaml says 7000");
  }

  @Test
  @DisplayName("a restated normal cache hit ratio that disagrees with the world fails check")
  void restatedHitRatio() throws Exception {
    Path lib = Library.copy(tmp);
    String f = "incident-postmortem/evidence/incident-chat.md";
    int line = plant(lib, f, "hit ratio is down from 0.93", "hit ratio is down from 0.97");
    fails(lib, "exercises/" + f + ":" + line + ": states redis-hit-ratio as 0.97 but exercises/world.yaml says 0.92");
  }

  @Test
  @DisplayName("a prose peak that is not the CSV's maximum fails check with both values")
  void proseMaximum() throws Exception {
    Path lib = Library.copy(tmp);
    String f = "scaling-plan/evidence/architecture-and-inventory.md";
    int line = plant(lib, f, "| 17,500 req/s (7-day mean 7,000)", "| 19,500 req/s (7-day mean 7,000)");
    fails(lib, "exercises/" + f + ":" + line + ": states 19,500 but the max of edge_total_rps in "
        + "exercises/scaling-plan/evidence/edge-traffic-hourly.csv is 17508");
  }

  @Test
  @DisplayName("a prose rate that is not the CSV's rate fails check with both values")
  void proseRate() throws Exception {
    Path lib = Library.copy(tmp);
    String f = "scaling-plan/evidence/architecture-and-inventory.md";
    int line = plant(lib, f, "| 2.5 MB/s written", "| 4.5 MB/s written");
    fails(lib, "exercises/" + f + ":" + line + ": states 4.5 but the max of feed_written_mb_per_s_peak");
  }

  @Test
  @DisplayName("a stated peak hour that is not the hour of the CSV's daily maxima fails check")
  void prosePeakHour() throws Exception {
    Path lib = Library.copy(tmp);
    String f = "scaling-plan/brief.md";
    int line = plant(lib, f, "busiest hour starts at 15:00 UTC", "busiest hour starts at 13:00 UTC");
    fails(lib, "exercises/" + f + ":" + line + ": states 13 but the hour of the daily maximum of edge_total_rps");
  }

  @Test
  @DisplayName("an outage said to be in the window without a spike, and a spike nobody names, both fail check")
  void outageInWindow() throws Exception {
    Path lib = Library.copy(tmp);
    String f = "scaling-plan/evidence/architecture-and-inventory.md";
    int line = plant(lib, f, "**15 August, 01:32–04:12.**", "**16 August, 01:32–04:12.**");
    fails(lib, "exercises/" + f + ":" + line + ": says 16 August but wal_retained_gb_peak in "
        + "exercises/scaling-plan/evidence/backend-daily.csv is not above 100 that day",
        "exercises/scaling-plan/evidence/backend-daily.csv:", "wal_retained_gb_peak is above 100 on 2026-08-15 but no "
        + "sentence matched by the claim names that day");
  }

  @Test
  @DisplayName("a diagram whose text description leaves out a component fails check at the diagram")
  void diagramDescription() throws Exception {
    Path lib = Library.copy(tmp);
    String f = "scaling-plan/evidence/architecture-and-inventory.md";
    Library.replace(lib, f, "from tarball-store (object storage)", "from tarball-store");
    int line = Files.readAllLines(lib.resolve(f)).indexOf("```") + 1;
    fails(lib, "exercises/" + f + ":" + line + ": the text description after this diagram does not name object, "
        + "storage");
    Library.replace(lib, f, "Text description of the diagram:", "In words:");
    fails(lib, "exercises/" + f + ":" + line + ": a diagram needs a paragraph right after it that starts \"Text "
        + "description\"");
  }

  private static int lineOf(Path lib, String file, String text) throws Exception {
    List<String> lines = Files.readAllLines(lib.resolve(file));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text + " not in " + file);
  }

  @Test
  @DisplayName("a planted finding credited by two criteria fails check at the second anchor")
  void findingCreditedTwice() throws Exception {
    Path lib = Library.copy(tmp);
    String f = "postmortem-review/rubric.yaml";
    // the first edition's double credit: Sam's unanswered 14:11 question under systemic causes and team learning
    Library.replace(lib, f, "load shedding, which cut the errors", "Sam's 14:11 question had no answer [F14]; load "
        + "shedding, which cut the errors");
    int anchor = lineOf(lib, f, "which nobody answered [F14]") - 2; // the later criterion's anchor
    fails(lib, "exercises/" + f + ":" + anchor + ": finding F14 (exercises/postmortem-review/reviewer-notes.md:",
        "is credited by systemic-causes and team-learning: one finding, one criterion");
  }

  @Test
  @DisplayName("a fix credited outside an action criterion, and an id the notes do not define, fail check")
  void fixOutsideActionAndUnknownId() throws Exception {
    Path lib = Library.copy(tmp);
    String f = "postmortem-review/rubric.yaml";
    Library.replace(lib, f, "should have a section for them [F13].", "should have a section for them [F13] [fix F2].");
    Library.replace(lib, f, "the Follow-up about Sam's apology [F12])", "the Follow-up about Sam's apology [F42])");
    fails(lib, "anchor of team-learning (reflection) credits a fix of F2: fixes belong to an action criterion",
        "anchor cites finding F42, which exercises/postmortem-review/reviewer-notes.md does not define");
  }

  @Test
  @DisplayName("the first double credit of incident-postmortem (the 13:27 near miss in timeline and reflection) fails check")
  void nearMissCreditedTwice() throws Exception {
    Path lib = Library.copy(tmp);
    String f = "incident-postmortem/rubric.yaml";
    Library.replace(lib, f, "from 12:32 [F9], while", "from 12:32 [F9] or the ferret-http near miss at 13:27 [F8], while");
    fails(lib, "finding F8 (exercises/incident-postmortem/reviewer-notes.md:",
        "is credited by timeline and reflection: one finding, one criterion");
  }

  @Test
  @DisplayName("every exercise must give its findings ids: notes without ids, or anchors that credit none, fail check")
  void findingIdsRequired() throws Exception {
    Path lib = Library.copy(tmp);
    Path notes = lib.resolve("toil-automation/reviewer-notes.md");
    Files.writeString(notes, Files.readString(notes).replaceAll("\\[(F\\d+)]", "($1)"));
    Path rubric = lib.resolve("oncall-triage/rubric.yaml");
    Files.writeString(rubric, Files.readString(rubric).replaceAll("\\[(fix )?F\\d+]", ""));
    fails(lib, "exercises/toil-automation/reviewer-notes.md:1: the reviewer notes define no finding ids",
        "exercises/oncall-triage/rubric.yaml:", "no anchor credits a finding of exercises/oncall-triage/reviewer-notes.md");
  }

  @Test
  @DisplayName("a level-4 descriptor that lists as many items as its anchor has findings fails check")
  void checklistDescriptor() throws Exception {
    Path lib = Library.copy(tmp);
    String f = "postmortem-review/rubric.yaml";
    int line = plant(lib, f, "Everything in Solid, and the corrections add up to a truer account of the incident than the draft",
        "Everything in Solid, plus: rebuilds the missing events; sizes the impact; explains a wrong figure; and the account");
    fails(lib, "exercises/" + f + ":" + (line - 1) + ": the level-4 descriptor of claims-vs-evidence lists 4 items for the 3 "
        + "findings its anchor credits");
  }

  @Test
  @DisplayName("calibration without a level-3 sample, or a reference level without its one-line reason, fails check")
  void calibrationAtEveryLevel() throws Exception {
    Path lib = Library.copy(tmp);
    Files.delete(lib.resolve("toil-automation/calibration/solid.yaml"));
    String f = "postmortem-review/calibration/solid.yaml";
    Library.replace(lib, f, "  team-learning: One thing that went well", "  other: One thing that went well");
    fails(lib, "exercises/toil-automation/calibration:1: no sample answer at overall level 3",
        "exercises/" + f + ":", "no rationale for criterion 'team-learning'");
  }

  @Test
  @DisplayName("a mitigation that has the edge serve stale package documents contradicts the world's topology")
  void edgeServesStaleMetadata() throws Exception {
    Path lib = Library.copy(tmp);
    String f = "postmortem-review/evidence/postmortem-draft.md";
    // the first two editions: the edge answered metadata from its own copies, which it never caches in this world
    int line = plant(lib, f, "| 14:57 | Amara turns on the edge rate limit for heavy metadata clients. |",
        "| 14:57 | Amara turns on serve-stale for metadata at the edge. |");
    fails(lib, "exercises/" + f + ":" + line + ": contradicts fact registry-api-origin of exercises/world.yaml");
  }

  @Test
  @DisplayName("a later exercise whose traffic is below the daily peak its brief states (the October/August "
      + "contradiction) fails check with both values")
  void trafficBelowStatedPeak() throws Exception {
    Path lib = Library.copy(tmp);
    // the second edition's 14 October: every edge rate 1.13 times lower, below August's busiest hour (17,500)
    Path csv = lib.resolve("incident-postmortem/evidence/edge-metrics.csv");
    List<String> rows = Files.readAllLines(csv);
    for (int i = 1; i < rows.size(); i++) {
      String[] c = rows.get(i).split(",", -1);
      c[1] = Long.toString(Math.round(Long.parseLong(c[1]) / 1.13));
      rows.set(i, String.join(",", c));
    }
    Files.write(csv, rows);
    fails(lib, "exercises/incident-postmortem/brief.md:4: states 7,000 x 2.5 = 17500 but the max of requests_per_s in "
        + "exercises/incident-postmortem/evidence/edge-metrics.csv is 16169 (tolerance 5%)");
  }

  @Test
  @DisplayName("a role given to a person in prose that is not the world's role fails check with both roles")
  void roleInProse() throws Exception {
    Path lib = Library.copy(tmp);
    String f = "oncall-triage/evidence/changes.md";
    int line = plant(lib, f, "| Secondary on-call SRE (Farid) |", "| Secondary on-call support (Farid) |");
    fails(lib, "exercises/" + f + ":" + line + ": gives Farid the role 'Secondary on-call support' but "
        + "exercises/world.yaml says SRE");
    String g = "toil-automation/brief.md";
    int brief = plant(lib, g, "Ana, the team lead", "Ana, the registry-api engineer");
    fails(lib, "exercises/" + g + ":" + brief + ": gives Ana the role 'registry-api engineer' but exercises/world.yaml "
        + "says SRE team lead");
  }

  @Test
  @DisplayName("a capacity restated in prose that differs from the world fails check with both values")
  void capacityInProse() throws Exception {
    Path lib = Library.copy(tmp);
    String f = "scaling-plan/evidence/architecture-and-inventory.md";
    int line = plant(lib, f, "documents to registry-api (24 pods)", "documents to registry-api (30 pods)");
    fails(lib, "exercises/" + f + ":" + line + ": states registry-api-pods as 30 but exercises/world.yaml says 24");
  }

  @Test
  @DisplayName("a WAL figure and a disk figure that differ from the world fail check with both values")
  void walAndDiskFigures() throws Exception {
    Path lib = Library.copy(tmp);
    String f = "toil-automation/evidence/failure-history.md";
    int wal = plant(lib, f, "about 70 GB more every hour", "about 150 GB more every hour");
    String g = "toil-automation/evidence/runbook.md";
    int disk = plant(lib, g, "its own 2.5 TB volume", "its own 4 TB volume");
    fails(lib, "exercises/" + f + ":" + wal + ": states wal-rate as 150 but exercises/world.yaml says 72 (tolerance 10%)",
        "exercises/" + g + ":" + disk + ": states feed-volume-tb as 4 but exercises/world.yaml says 2.5");
  }

  @Test
  @DisplayName("an incident or a launch restated on another day than the world's calendar fails check with both days")
  void calendarOfIncidentsAndLaunches() throws Exception {
    Path lib = Library.copy(tmp);
    // toil-automation's failure note and scaling-plan's inventory tell of the same night
    String f = "toil-automation/evidence/failure-history.md";
    int incident = plant(lib, f, "Volume full at night: Saturday 15 August", "Volume full at night: Saturday 22 August");
    String g = "scaling-plan/evidence/cost-and-lead-times.md";
    int launch = plant(lib, g, "| Mon 1 February 2027 |", "| Mon 1 March 2027 |");
    fails(lib, "exercises/" + f + ":" + incident + ": states feed-volume-full as 22 August but exercises/world.yaml says "
        + "2026-08-15", "exercises/" + g + ":" + launch + ": states provenance-launch as 1 March 2027 but "
        + "exercises/world.yaml says 2027-02-01");
  }

  @Test
  @DisplayName("a planted finding that no anchor credits fails check at its line in the notes")
  void findingCreditedByNone() throws Exception {
    Path lib = Library.copy(tmp);
    // postmortem-review's status page, left green while users saw errors: defined in the notes, credited by none
    Library.replace(lib, "postmortem-review/rubric.yaml", " [F16]", "");
    int line = lineOf(lib, "postmortem-review/reviewer-notes.md", "[F16]");
    fails(lib, "exercises/postmortem-review/reviewer-notes.md:" + line + ": finding F16 is planted but no anchor of the "
        + "rubric credits it");
  }
}

package dev.gameday.exercise;

import java.util.List;
import java.util.Map;

/** The exercise library as loaded from files. Immutable; stored as JSON in {@code exercise_versions}. */
public final class Model {
  private Model() {
  }

  public static final List<String> VALUES = List.of("analysis", "communication", "action", "sustainability", "reflection");
  public static final List<String> EVIDENCE_KINDS = List.of("log", "csv", "markdown", "text");

  public record Section(String id, String title, String prompt, int words) {
  }

  public record Chart(String title, String unit, List<String> columns) {
  }

  public record Annotation(String time, String label) {
  }

  /** @param index position in the exercise's evidence list; the URL names it, not the path */
  /** @param labels csv only: the text columns (pod, version, ...) by which the charts group and filter rows */
  public record Evidence(int index, String file, String name, String title, String kind, String description,
                         List<Chart> charts, List<Annotation> annotations, List<String> labels) {
  }

  /**
   * @param descriptor published: what quality looks like, in general terms, never a fact of the scenario
   * @param anchor     reviewers only: what that level means in this scenario (the answer key)
   */
  public record Level(int score, String label, String descriptor, String anchor) {
  }

  public record Criterion(String id, String title, String value, int weight, String description, List<Level> levels) {
  }

  public record Calibration(String name, String label, String kind, Map<String, String> sections,
                            Map<String, Integer> scores, Map<String, String> rationale) {
  }

  public record Exercise(String id, String title, int minutes, String summary, String brief, List<Section> sections,
                         List<Evidence> evidence, List<Criterion> rubric, String reviewerNotes,
                         List<Calibration> calibration) {

    public Section section(String sectionId) {
      return sections.stream().filter(s -> s.id().equals(sectionId)).findFirst().orElse(null);
    }
  }

  /** An exercise together with the content hash of every file it was loaded from. */
  public record LoadedExercise(Exercise exercise, String contentHash, Map<String, byte[]> files) {
  }

  /**
   * @param timeLimitMinutes working time after first opening (scaled by the invitation's multiplier); 0 = none
   * @param reminderHours    hours before the deadline at which a candidate who has not submitted is reminded by
   *                         email, once; 0 = no automatic reminder (the default)
   */
  public record Track(String id, String title, String description, int deadlineDays, int reviewsRequired,
                      int timeLimitMinutes, int reminderHours, List<String> exercises) {
  }

  public record Problem(String file, int line, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + message;
    }
  }
}

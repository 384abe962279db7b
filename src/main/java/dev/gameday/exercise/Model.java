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
    /**
     * The model of this file for the viewer (webroot/js/evidence.js): its kind, where to fetch it, its chart settings
     * as JSON, and for Markdown documents the sanitized HTML.
     */
    public Map<String, Object> view(String src, String html) {
      Map<String, Object> e = new java.util.HashMap<>();
      e.put("title", title);
      e.put("name", name);
      e.put("kind", kind);
      e.put("description", description);
      e.put("src", src);
      e.put("markdown", "markdown".equals(kind));
      e.put("html", html);
      e.put("config", new io.vertx.core.json.JsonObject().put("title", title)
          .put("charts", new io.vertx.core.json.JsonArray(charts.stream().map(io.vertx.core.json.JsonObject::mapFrom).toList()))
          .put("annotations", new io.vertx.core.json.JsonArray(annotations.stream().map(io.vertx.core.json.JsonObject::mapFrom).toList()))
          .put("labels", new io.vertx.core.json.JsonArray(labels == null ? List.of() : labels))
          .encode());
      return e;
    }
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
                         List<Calibration> calibration, Variants variants) {

    public Section section(String sectionId) {
      return sections.stream().filter(s -> s.id().equals(sectionId)).findFirst().orElse(null);
    }
  }

  /**
   * The exercise's {@code variants:} declaration (exercises/README.md, "variants"; applied by {@link Variant}).
   *
   * @param shiftMinutes [low, high]: the range a seed's time shift is drawn from (never 0); null: no shift
   * @param shiftDates   the dates whose ISO timestamps move (the scenario's days); empty: every date
   * @param scramble     regular expressions whose match (or group {@code x}) is an identifier to reshape per seed
   * @param picks        values replaced, per seed, by one of their alternatives
   * @param scales       quantities multiplied, per seed, by a factor: CSV columns and the prose figures restating them
   *                     (null in a definition stored before scales existed)
   */
  public record Variants(List<Integer> shiftMinutes, List<String> shiftDates, List<String> scramble, List<Pick> picks,
                         List<Scale> scales) {
  }

  /**
   * One scaled quantity of a variant (exercises/README.md, "variants"): per seed a factor drawn from {@code factor}
   * multiplies the listed CSV columns and every prose figure a pattern of {@code match} finds (its group {@code x}).
   *
   * @param factor  [low, high]
   * @param columns the CSV columns it multiplies, by file (evidence/x.csv)
   * @param match   regular expressions with a group x: the prose figures that restate the quantity
   */
  public record Scale(List<Double> factor, Map<String, List<String>> columns, List<String> match) {
  }

  /** @param to the alternatives, the value itself included when the library's value may stay */
  public record Pick(String from, List<String> to) {
  }

  /** An exercise together with the content hash of every file it was loaded from. */
  public record LoadedExercise(Exercise exercise, String contentHash, Map<String, byte[]> files) {
  }

  /**
   * @param timeLimitMinutes working time after first opening (scaled by the invitation's multiplier); 0 = none
   * @param reminderHours    hours before the deadline at which a candidate who has not submitted is reminded by
   *                         email, once; 0 = no automatic reminder (the default)
   * @param reviewerQualification null: every reviewer's reviews count; otherwise what a reviewer's calibration scores
   *                         must reach before their reviews of this track's submissions count (see
   *                         {@link ReviewerQualification})
   */
  /**
   * @param ai the track's rule on AI assistants (issue 25): {@code forbidden} (the default), {@code declared} (the
   *           exercise page offers an "AI assistance" section for the prompts and the output, reviewed with the
   *           answer) or {@code allowed} (used freely, nothing to declare)
   */
  public record Track(String id, String title, String description, int deadlineDays, int reviewsRequired,
                      int timeLimitMinutes, int reminderHours, List<String> exercises,
                      ReviewerQualification reviewerQualification, String ai) {
    public static final List<String> AI_RULES = List.of("forbidden", "declared", "allowed");

    /** A track stored before the rule existed has none: forbidden, as a track file without the key. */
    public String ai() {
      return ai == null ? "forbidden" : ai;
    }
  }

  /**
   * A track's requirement on its reviewers (issue 24): of the criteria a reviewer has scored on the calibration answers
   * of the track's exercises, at least {@code share} must be within {@code within} levels of the reference, over at
   * least {@code minCriteria} criteria scored. Until then their reviews of the track's submissions are practice.
   */
  public record ReviewerQualification(int within, double share, int minCriteria) {
  }

  public record Problem(String file, int line, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + message;
    }
  }
}

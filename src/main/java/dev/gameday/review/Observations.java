package dev.gameday.review;

import dev.gameday.candidate.Trails;
import dev.gameday.exercise.Model.Exercise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Neutral observations drawn from what a candidate did (issue 25, item 3): each is a question for the follow-up
 * interview with the facts it rests on, never a verdict or a score. {@link TrailQuestions} gathers them from every
 * {@link Source} and shows them to a reviewer only after their own review is submitted.
 */
public final class Observations {
  private Observations() {
  }

  /**
   * One source of observations. A source is pure (no I/O) and runs on a worker; it reads the {@link Material} and
   * returns its questions, or none. The sources of today are in {@link TrailObservations}; a source that needs more
   * than the material holds (the scenario variant of issue 25 item 1: figures of other variants quoted in the answer)
   * gets a field added to {@link Material}, filled by {@link TrailQuestions#material}, and one more entry in
   * {@link TrailQuestions#SOURCES}.
   */
  @FunctionalInterface
  public interface Source {
    List<Question> observe(Material material);
  }

  /**
   * What the sources read, all of it sealed or saved before submission.
   *
   * @param answer  the sealed answer, section id to Markdown (personal details masked)
   * @param trail   the sealed investigation trail, oldest first; null when it was not recorded for this submission
   * @param history the answer's history rows of this exercise, per section in the order they were written
   *                (at most one row per section per minute, see {@code Answers.SAVE})
   */
  public record Material(Exercise exercise, Map<String, String> answer, List<Trails.Event> trail, List<Revision> history,
                         OffsetDateTime submittedAt, Variants variants) {
    /** Material without the variants of the scenario (no other-variant observation). */
    public Material(Exercise exercise, Map<String, String> answer, List<Trails.Event> trail, List<Revision> history,
                    OffsetDateTime submittedAt) {
      this(exercise, answer, trail, history, submittedAt, Variants.NONE);
    }
  }

  /**
   * The scenario variants around an answer (issue 25, item 1): the exercise as the library writes it, the id of its
   * stored version, this candidate's seed, the seeds other candidates were given for the same version, and the
   * library's Markdown evidence by path (scaled figures a candidate reads there mark a variant too).
   */
  public record Variants(Exercise library, long versionId, long seed, List<Long> otherSeeds, Map<String, String> documents) {
    public static final Variants NONE = new Variants(null, 0, 0, List.of(), Map.of());

    public Variants(Exercise library, long versionId, long seed, List<Long> otherSeeds) {
      this(library, versionId, seed, otherSeeds, Map.of());
    }
  }

  /**
   * One history row: the section's text at its latest save of a window; {@code startedAt} is the window's first save,
   * {@code savedAt} its latest (equal when the window holds one save).
   */
  public record Revision(String sectionId, long rev, String text, OffsetDateTime startedAt, OffsetDateTime savedAt) {
  }

  /**
   * A question for the interview. {@code kind}: a stable code (cited_unopened, paste, pace, other_variant);
   * {@code question}: the sentence for the interviewer; {@code basis}: the facts it rests on, each a sentence.
   */
  public record Question(String kind, String question, List<String> basis) {
    public JsonObject toJson() {
      return new JsonObject().put("kind", kind).put("question", question).put("basis", new JsonArray(basis));
    }

    public Map<String, Object> view() {
      return Map.of("kind", kind, "question", question, "basis", basis);
    }
  }
}

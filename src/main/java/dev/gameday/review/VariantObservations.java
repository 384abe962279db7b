package dev.gameday.review;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gameday.candidate.AiAssistance;
import dev.gameday.exercise.Variant;
import dev.gameday.review.Observations.Material;
import dev.gameday.review.Observations.Question;
import dev.gameday.review.Observations.Variants;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Issue 25, item 3 (d): figures quoted in the answer that belong to another candidate's variant of the scenario and
 * to neither this candidate's variant nor the library as written: the strongest sign of a shared answer. A figure is
 * one of {@link Variant#distinctiveFigures} (a shifted clock time, a scrambled instance name, a picked version, a
 * scaled figure of the brief or a Markdown evidence document). One
 * such figure can be a coincidence (a clock time rounded, a version guessed), so the question is asked only when the
 * answer quotes at least {@value #MIN_FIGURES} figures of one other variant; it names them and says where this
 * candidate's own evidence differs, never who the other candidate is.
 */
final class VariantObservations {
  static final int MIN_FIGURES = 2;

  /** Each (version, seed)'s figures: a seed's variant never changes, and rendering it costs milliseconds. */
  private static final Cache<String, Set<String>> FIGURES = Caffeine.newBuilder().maximumSize(20_000).build();

  private VariantObservations() {
  }

  static List<Question> otherVariant(Material m) {
    Variants v = m.variants();
    if (v.library() == null || v.otherSeeds().isEmpty()) {
      return List.of();
    }
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, String> e : m.answer().entrySet()) {
      if (!AiAssistance.SECTION_ID.equals(e.getKey()) && e.getValue() != null) { // an assistant's output is declared
        text.append(e.getValue()).append('\n');
      }
    }
    String answer = text.toString();
    Set<String> own = figures(v, v.seed());
    List<String> best = List.of();
    for (long seed : v.otherSeeds()) {
      if (seed == v.seed()) {
        continue;
      }
      List<String> quoted = new ArrayList<>();
      for (String figure : figures(v, seed)) {
        if (!own.contains(figure) && quotes(answer, figure)) {
          quoted.add(figure);
        }
      }
      if (quoted.size() > best.size()) {
        best = quoted;
      }
    }
    if (best.size() < MIN_FIGURES) {
      return List.of();
    }
    String list = String.join(", ", best.subList(0, best.size() - 1)) + " and " + best.get(best.size() - 1);
    return List.of(new Question("other_variant",
        "Ask how they arrived at " + list + ": these figures are not in the evidence they were given.",
        List.of("The answer quotes " + list + ".",
            "Each candidate reads their own variant of this scenario (times, instance names and versions differ); "
                + "these figures belong to another candidate's variant and appear nowhere in this candidate's "
                + "evidence or in the exercise as written.",
            "This is a question to ask, not a finding: let them explain where the figures came from.")));
  }

  private static Set<String> figures(Variants v, long seed) {
    return FIGURES.get(v.versionId() + "~" + seed,
        k -> new LinkedHashSet<>(Variant.distinctiveFigures(v.library(), seed, v.documents())));
  }

  /** The figure as a token of its own: not part of a longer word, number or clock time ("14:18" in "14:18:05" counts, "4.84.0" in "v4.84.0"). */
  static boolean quotes(String answer, String figure) {
    return Pattern.compile("(?:(?<![\\w.:-])|(?<=\\bv))" + Pattern.quote(figure) + "(?![\\w]|[.:-]\\w)").matcher(answer).find()
        || (figure.matches("\\d\\d:\\d\\d") && Pattern.compile("(?<![\\w.:])" + Pattern.quote(figure) + ":\\d\\d(?!\\d)")
            .matcher(answer).find());
  }
}

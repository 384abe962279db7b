package dev.gameday.candidate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.exercise.ExerciseLoader;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.exercise.Model.LoadedExercise;
import dev.gameday.web.Pages;
import dev.gameday.web.Spliced;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The exercise page's answer sections are rendered once per version and filled in per request (issue 28, item 4):
 * whatever the candidate wrote, the filled-in bytes are exactly what the sections' template gives when applied to
 * the texts, and a second request with other texts applies the template no more.
 */
class WriteSectionsProperties {
  private static Vertx vertx;
  private static Pages pages;
  private static List<Exercise> library;

  @BeforeContainer
  static void load() {
    vertx = Vertx.vertx();
    pages = new Pages(vertx);
    library = ExerciseLoader.loadVerified(Path.of("exercises")).exercises().stream().map(LoadedExercise::exercise).toList();
  }

  @AfterContainer
  static void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Provide
  Arbitrary<String> texts() {
    // markup, NULs, the markers themselves and characters beyond Latin-1 and the BMP, among ordinary prose
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200),
        Arbitraries.strings().withChars("&<>\"'`=\u0000 aé€\n").withChars(Spliced.marker(0) + Spliced.marker(1)).ofMaxLength(80),
        Arbitraries.of("", Spliced.marker(0), Spliced.marker(3) + "</textarea><script>x</script>", "\uD83D\uDE80 launch"));
  }

  @Property(tries = 300)
  void filledInEqualsTheTemplateApplied(@ForAll("texts") String a, @ForAll("texts") String b, @ForAll boolean open,
                                        @ForAll boolean declared) {
    for (Exercise ex : library) {
      ExercisePage page = new ExercisePage(null, null, pages, null);
      String rule = declared ? "declared" : "forbidden";
      JsonObject stored = new JsonObject();
      for (int i = 0; i < ex.sections().size(); i++) {
        if (i % 3 != 2) { // some sections unwritten
          stored.put(ex.sections().get(i).id(), i % 2 == 0 ? a : b);
        }
      }
      if (declared) {
        stored.put(AiAssistance.SECTION_ID, b + a);
      }
      Answers.Answer answer = Answers.Answer.of(ex, 1, null, stored);
      List<String> texts = ExercisePage.texts(ex, rule, answer);
      byte[] applied = page.sectionsHtml(ex, open, rule, texts::get).getBytes(StandardCharsets.UTF_8);
      assertArrayEquals(applied, page.writeSections(ex, ex.id() + "@v", open, rule, answer), ex.id() + ": first request");
      assertEquals(1, page.sectionRenders(), "the template applied once, with the markers");
      // another candidate's texts: filled in, the template not applied again
      Answers.Answer other = Answers.Answer.of(ex, 2, null, new JsonObject().put(ex.sections().get(0).id(), b + "<&>" + a));
      byte[] otherApplied = page.sectionsHtml(ex, open, rule, ExercisePage.texts(ex, rule, other)::get).getBytes(StandardCharsets.UTF_8);
      assertArrayEquals(otherApplied, page.writeSections(ex, ex.id() + "@v", open, rule, other), ex.id() + ": second request");
      assertEquals(1, page.sectionRenders(), "a second request applies no template");
    }
  }

  @Example
  void everySectionHasItsTextarea() {
    for (Exercise ex : library) {
      ExercisePage page = new ExercisePage(null, null, pages, null);
      Answers.Answer answer = Answers.Answer.of(ex, 1, null, new JsonObject().put(ex.sections().get(0).id(), "a < b & c"));
      String html = new String(page.writeSections(ex, ex.id() + "@v", true, "declared", answer), StandardCharsets.UTF_8);
      assertEquals(ex.sections().size() + 1, html.split("<textarea ", -1).length - 1, ex.id() + ": the sections and the AI section");
      assertTrue(html.contains(">a &lt; b &amp; c</textarea>"), html);
      assertTrue(!html.contains("\u0000"), "no marker left");
    }
  }

  @Example
  void aMarkerInTheLibrarysTextIsNotSplitAt() {
    String html = "<p>" + Spliced.marker(0) + "</p><p>" + Spliced.marker(0) + "</p>";
    assertEquals(null, Spliced.of(html, 1), "a marker twice: no split, the template is applied to each request's texts");
    assertEquals(null, Spliced.of(Spliced.marker(1) + Spliced.marker(0), 2), "out of order");
    assertArrayEquals("<p>x&amp;</p>".getBytes(StandardCharsets.UTF_8), Spliced.of("<p>" + Spliced.marker(0) + "</p>", 1).fill(List.of("x&")));
  }
}

package dev.gameday.candidate;

import dev.gameday.candidate.CandidateService.ExerciseStatus;
import dev.gameday.candidate.CandidateService.Overview;
import dev.gameday.exercise.Catalog;
import dev.gameday.exercise.Catalog.Version;
import dev.gameday.exercise.Model;
import dev.gameday.exercise.Model.Evidence;
import dev.gameday.exercise.Model.Exercise;
import dev.gameday.web.Access;
import dev.gameday.web.Flash;
import dev.gameday.web.MarkdownRenderer;
import dev.gameday.web.Pages;
import dev.gameday.web.Session;
import dev.gameday.web.Spliced;
import dev.gameday.web.Tokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The candidate's exercise page (issue 28, item 4). What depends only on the pinned exercise version (brief, evidence,
 * the rubric's public criteria) is rendered once per (version, open) into bytes and kept; a request renders only the
 * small part around it (chrome, the exercise menu, the candidate's answer and status) and copies the bytes in.
 *
 * <p>Revisits are answered {@code 304} when nothing the page shows has changed. The ETag is a hash of everything the
 * request part shows: the session (so one candidate's page is never another's), every exercise's revision and words
 * (the menu shows them), the invitation's state and closing time, the "more time" state and the time left, counted
 * in steps (a page kept for a revisit counts down from the time left when it was rendered: at most one step off).
 * A page carrying a one-time flash message gets no ETag.
 */
final class ExercisePage {
  /**
   * The templates the page applies itself: with every partial they include ({@link #fingerprint}), a change to any of
   * them changes every ETag.
   */
  private static final List<String> TEMPLATES = List.of("candidate-exercise", "candidate-exercise-read", "candidate-exercise-sections");
  /** A partial's name where a template includes it: {@code {{> name}}} or {@code {{#> name}}}. */
  private static final java.util.regex.Pattern PARTIAL = java.util.regex.Pattern.compile("\\{\\{#?>\\s*([\\w-]+)");
  private static final String SLOT = "readPane";
  private static final String SECTIONS_SLOT = "writeSections";

  private final CandidateService service;
  private final Catalog catalog;
  private final Pages pages;
  private final MarkdownRenderer markdown;
  private final String fingerprint;
  /**
   * The reading pane's UTF-8 bytes per "versionId:open", kept only when every part of it is final. Bounded: every
   * candidate has a variant of their own, so the keys grow with the candidates (unbounded, 10,000 candidates' panes
   * filled the 512 MiB heap in bench/run and the server spent its time collecting garbage).
   */
  private final com.github.benmanes.caffeine.cache.Cache<String, byte[]> readPanes =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumWeight(READ_PANES_BYTES)
          .<String, byte[]>weigher((k, v) -> v.length).build();
  /** At most this many bytes of kept reading panes: a sixteenth of the heap (32 MiB, about 700 panes, in 512 MiB). */
  static final long READ_PANES_BYTES = dev.gameday.web.MemoryBudget.readPanes();
  /**
   * The answer's sections (labels, prompts, write and preview buttons, word targets) per "versionId:open:aiRule",
   * rendered once with a marker for each text ({@link Spliced}): a request fills in the candidate's texts instead of
   * applying the sections' template (its loop was a quarter of the page's template time). About 8 KiB each, within a
   * quarter of the reading panes' budget.
   */
  private final com.github.benmanes.caffeine.cache.Cache<String, Spliced> writeParts =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumWeight(READ_PANES_BYTES / 4)
          .<String, Spliced>weigher((k, v) -> v.weight()).build();
  private final java.util.concurrent.atomic.AtomicLong sectionRenders = new java.util.concurrent.atomic.AtomicLong();

  ExercisePage(CandidateService service, Catalog catalog, Pages pages, MarkdownRenderer markdown) {
    this.service = service;
    this.catalog = catalog;
    this.pages = pages;
    this.markdown = markdown;
    this.fingerprint = fingerprint(); // constructed at start-up, before serving: reading seven small resources is fine
  }

  void page(RoutingContext ctx) {
    long id = Access.invitation(ctx);
    String exerciseId = ctx.pathParam("exerciseId");
    // one statement: the invitation with its "more time" state, every exercise's progress and this one's answer
    service.overviewAnd(id, exerciseId).compose(oa -> {
      Overview o = oa.overview();
      ExerciseStatus status = o.exercise(exerciseId).orElse(null);
      if (status == null) {
        return Future.failedFuture(Answers.unknownExercise(exerciseId));
      }
      MoreTime.State more = o.moreTime();
      boolean open = o.open() && !o.submitted();
      long secondsLeft = Math.max(0, Duration.between(OffsetDateTime.now(), o.closesAt()).getSeconds());
      JsonObject flash = ctx.get(Flash.KEY);
      String etag = flash == null ? etag(Access.session(ctx), o, oa.answer(), more, open && !more.untimed() ? secondsLeft : -1) : null;
      String key = status.version().key() + ":" + open;
      String asked = ctx.request().getHeader("If-None-Match");
      if (etag != null && readPanes.getIfPresent(key) != null && asked != null && asked.contains(etag)) {
        ctx.response().setStatusCode(304).putHeader("ETag", etag).putHeader("Cache-Control", "private, no-cache").end();
        return Future.succeededFuture();
      }
      return readPane(status.version(), open).map(pane -> {
        Map<String, Object> m = model(o, status, oa.answer(), open, secondsLeft, more);
        Map<String, byte[]> slots = new java.util.LinkedHashMap<>();
        slots.put(SLOT, pane);
        slots.put(SECTIONS_SLOT, writeSections(status.version().exercise(), status.version().key(), open,
            AiAssistance.rule(catalog, o.track().getString("id")), oa.answer()));
        // an ETag only for a page that is final (a pane rendered with a fallback is not kept, so may change)
        pages.renderAround(ctx, "candidate-exercise", m, slots, readPanes.getIfPresent(key) == pane ? etag : null);
        return null;
      });
    }).onFailure(ctx::fail);
  }

  private Map<String, Object> model(Overview o, ExerciseStatus status, Answers.Answer answer, boolean open, long secondsLeft,
                                    MoreTime.State more) {
    Exercise ex = status.version().exercise();
    Map<String, Object> m = CandidatePages.base(o);
    m.put("title", ex.title());
    m.put("exercise", CandidatePages.exerciseItem(status));
    m.put("hasCharts", ex.evidence().stream().anyMatch(ev -> "csv".equals(ev.kind()))); // links uPlot's stylesheet
    m.put("hasEvidence", !ex.evidence().isEmpty()); // the "Evidence" jump link
    // the time left by the server's clock (timeleft.js counts it down; a reload asks again)
    m.put("secondsLeft", secondsLeft);
    m.put("rev", answer.rev());
    m.put("savedAtIso", answer.savedAt() == null ? "" : answer.savedAt().toString());
    m.put("maxChars", Answers.MAX_SECTION_CHARS);
    List<ExerciseStatus> all = o.exercises();
    int i = all.indexOf(status);
    m.put("previous", i > 0 ? CandidatePages.exerciseItem(all.get(i - 1)) : null);
    m.put("next", i < all.size() - 1 ? CandidatePages.exerciseItem(all.get(i + 1)) : null);
    m.put("menu", CandidatePages.menu(o, ex.id()));
    m.put("position", i + 1);
    m.put("count", all.size());
    m.put("timeRequested", more.requested());
    if (more.untimed()) {
      m.put("untimed", true);
      m.put("timeLimitMinutes", 0);
    }
    return m;
  }

  /**
   * The answer's sections with the candidate's texts: the kept parts filled in, or, when the sections' template
   * could not be split at its markers, the template applied to the texts.
   */
  byte[] writeSections(Exercise ex, String versionId, boolean open, String aiRule, Answers.Answer answer) {
    List<String> texts = texts(ex, aiRule, answer);
    Spliced parts = writeParts.get(versionId + ":" + open + ":" + aiRule, k -> {
      sectionRenders.incrementAndGet();
      Spliced made = Spliced.of(sectionsHtml(ex, open, aiRule, Spliced::marker), texts.size());
      return made == null ? NOT_SPLIT : made;
    });
    if (parts != NOT_SPLIT) {
      return parts.fill(texts);
    }
    sectionRenders.incrementAndGet();
    return sectionsHtml(ex, open, aiRule, texts::get).getBytes(StandardCharsets.UTF_8);
  }

  /** Kept for a version whose sections' template does not split at its markers: it is applied to each request's texts. */
  private static final Spliced NOT_SPLIT = Spliced.of("", 0);

  /**
   * The texts in the order the sections' template shows them: the exercise's sections, then the AI section's on a
   * track that declares AI use (elsewhere the template shows no AI section).
   */
  static List<String> texts(Exercise ex, String aiRule, Answers.Answer answer) {
    List<String> texts = new ArrayList<>(ex.sections().size() + 1);
    ex.sections().forEach(s -> texts.add(answer.sections().get(s.id())));
    if (AiAssistance.declared(aiRule)) {
      texts.add(answer.sections().get(AiAssistance.SECTION_ID));
    }
    return texts;
  }

  /** The sections' template applied with text {@code i} from {@code text} (the markers, or a request's texts). */
  String sectionsHtml(Exercise ex, boolean open, String aiRule, java.util.function.IntFunction<String> text) {
    Map<String, Object> m = new HashMap<>();
    m.put("open", open);
    List<Map<String, Object>> sections = new ArrayList<>();
    for (int i = 0; i < ex.sections().size(); i++) {
      Model.Section s = ex.sections().get(i);
      Map<String, Object> one = new HashMap<>();
      one.put("id", s.id());
      one.put("title", s.title());
      one.put("prompt", s.prompt());
      one.put("words", s.words());
      one.put("text", text.apply(i));
      sections.add(one);
    }
    m.put("sections", sections);
    // the "AI assistance" section, after the exercise's own, on a track that declares AI use (issue 25)
    m.put("ai", AiAssistance.view(aiRule, AiAssistance.declared(aiRule) ? text.apply(ex.sections().size()) : null));
    try {
      return pages.html("candidate-exercise-sections", m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How often the sections' template was applied since start-up (once per version kept, then only on a miss). */
  long sectionRenders() {
    return sectionRenders.get();
  }

  /**
   * The time left in steps of a minute while more than an hour is left (the page shows hours and minutes), of ten
   * seconds in the last hour (it warns at 10 and at 2 minutes); -1 when no time left is shown.
   */
  static long timeStep(long secondsLeft) {
    return secondsLeft < 0 ? -1 : secondsLeft > 3600 ? 100_000 + secondsLeft / 60 : secondsLeft / 10;
  }

  private String etag(Session s, Overview o, Answers.Answer answer, MoreTime.State more, long secondsLeft) {
    StringBuilder b = new StringBuilder(256).append(fingerprint).append('|').append(HexFormat.of().formatHex(s.idHash()))
        .append('|').append(s.csrfToken()).append('|').append(o.invitationId()).append('|').append(o.pseudonym())
        .append('|').append(o.state()).append('|').append(o.deadline()).append('|').append(o.closesAt()).append('|')
        .append(o.open()).append('|').append(o.submittedAt()).append('|').append(o.timeLimitMinutes()).append('|')
        .append(o.track().getString("title")).append('|').append(more.requested()).append(more.untimed()).append('|')
        .append(timeStep(secondsLeft)).append('|').append(answer.rev()).append('|').append(answer.savedAt());
    for (ExerciseStatus e : o.exercises()) {
      b.append('|').append(e.version().exercise().id()).append(':').append(e.version().key()).append(':').append(e.rev())
          .append(':').append(e.savedAt()).append(':').append(e.wordsWritten());
    }
    return "\"" + Tokens.sha256Hex(b.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 32) + "\"";
  }

  /**
   * The exercise page's reading pane (brief, criteria, evidence with its chart settings) for a version: fixed content,
   * rendered once per (version, open) into bytes and kept, so a request renders and escapes only the candidate's part.
   */
  private Future<byte[]> readPane(Version version, boolean open) {
    String key = version.key() + ":" + open;
    byte[] hit = readPanes.getIfPresent(key);
    if (hit != null) {
      return Future.succeededFuture(hit);
    }
    Exercise ex = version.exercise();
    String versionId = version.key(); // the invitation's variant: brief and evidence with its own figures
    Map<Integer, String> sources = new ConcurrentHashMap<>();
    List<Future<String>> docs = ex.evidence().stream()
        .map(ev -> "markdown".equals(ev.kind()) ? catalog.text(version, ev.file())
            .compose(t -> {
              sources.put(ev.index(), t);
              return markdown.cached("evidence:" + versionId + ":" + ev.index(), t);
            })
            : Future.succeededFuture((String) null)).toList();
    Future<String> brief = markdown.cached("brief:" + versionId, ex.brief());
    return Future.all(docs).compose(d -> brief).map(b -> {
      Map<String, Object> m = new HashMap<>();
      m.put("brief", b);
      m.put("open", open);
      List<Map<String, Object>> evidence = new ArrayList<>();
      for (Evidence ev : ex.evidence()) {
        evidence.add(ev.view("/candidate/exercises/" + ex.id() + "/evidence/" + ev.index(),
            docs.get(ev.index()).result()));
      }
      m.put("evidence", evidence);
      m.put("criteria", ex.rubric().stream().map(c -> Map.of("title", c.title(), "description", c.description(),
          "value", c.value())).toList());
      try {
        byte[] html = pages.html("candidate-exercise-read", m).getBytes(StandardCharsets.UTF_8);
        // a fallback (Markdown too complex to render) is kept for a while only: keep the pane only when every part is final
        if (markdown.isFinal("brief:" + versionId, ex.brief()) && sources.entrySet().stream()
            .allMatch(en -> markdown.isFinal("evidence:" + versionId + ":" + en.getKey(), en.getValue()))) {
          return readPanes.asMap().computeIfAbsent(key, k -> html);
        }
        return html;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * A hash of the page's templates and, found in their text, every partial they include, as shipped (a list kept by
   * hand had missed candidate-ai-section).
   */
  private static String fingerprint() {
    StringBuilder b = new StringBuilder();
    java.util.Deque<String> todo = new java.util.ArrayDeque<>(TEMPLATES);
    java.util.Set<String> seen = new java.util.HashSet<>();
    while (!todo.isEmpty()) {
      String t = todo.poll();
      if (!seen.add(t)) {
        continue;
      }
      try (InputStream in = ExercisePage.class.getResourceAsStream("/templates/" + t + ".hbs")) {
        String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        b.append(t).append(':').append(text).append('\n');
        java.util.regex.Matcher m = PARTIAL.matcher(text);
        while (m.find()) {
          todo.add(m.group(1));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Tokens.sha256Hex(b.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
  }


}

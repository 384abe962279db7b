package dev.gameday.candidate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gameday.exercise.Catalog;
import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The track's rule on AI assistants and the "AI assistance" section (issue 25, item 4). On a track whose rule is
 * {@code declared}, every exercise page offers the section after the exercise's own, for the prompts the candidate gave
 * an assistant and what it answered. It is saved like any section (same autosave, same history), sealed at submit and
 * shown to reviewers with the answer, under {@link #SECTION_ID}. On any other track the page does not show it and a
 * save that carries it is refused (422 {@code ai_not_declared}).
 */
public final class AiAssistance {
  public static final String SECTION_ID = "ai-assistance";
  public static final String TITLE = "AI assistance";
  public static final String PROMPT = "Paste the prompts you gave an AI assistant for this exercise and what it answered, "
      + "in order, and say what you kept, changed or checked. Reviewers read this section with your answer.";
  public static final int WORDS = 1000;
  /** What the start page says, per rule. */
  private static final Map<String, String> RULES = Map.of(
      "forbidden", "Do not use AI assistants (ChatGPT, Copilot, Claude and the like) for this assessment: write and reason on your own. Spelling and grammar checkers are fine.",
      "declared", "You may use AI assistants (ChatGPT, Copilot, Claude and the like) if you declare it: each exercise page has an \u201cAI assistance\u201d section where you paste the prompts you gave and what the assistant answered, and say what you kept, changed or checked. Reviewers read it with your answer. Leave it empty if you used none.",
      "allowed", "You may use AI assistants (ChatGPT, Copilot, Claude and the like) as you would at work, without declaring it. You answer for everything you submit, and the follow-up interview asks about it.");

  private static final String TRACK = "select track_id from invitations where id = $1";

  private final Pool pool;
  private final Catalog catalog;
  /** An invitation's track never changes; the track's rule is read from the catalog each time (a reload may change it). */
  private final Cache<Long, String> tracks = Caffeine.newBuilder().maximumSize(100_000).build();

  AiAssistance(Pool pool, Catalog catalog) {
    this.pool = pool;
    this.catalog = catalog;
  }

  /** The rule of a track: forbidden, declared or allowed (forbidden for a track no longer in the library). */
  public static String rule(Catalog catalog, String trackId) {
    return catalog.track(trackId).map(t -> t.track().ai()).orElse("forbidden");
  }

  /** The start page's sentence for a rule. */
  static String sentence(String rule) {
    return RULES.getOrDefault(rule, RULES.get("forbidden"));
  }

  /** Whether a rule asks candidates to declare their AI use: then the exercise page has the AI section. */
  static boolean declared(String rule) {
    return "declared".equals(rule);
  }

  /** The model of the start page's paragraph and of the exercise page's section. */
  static Map<String, Object> view(String rule, String text) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rule", rule);
    m.put("declared", declared(rule));
    m.put("sentence", sentence(rule));
    m.put("id", SECTION_ID);
    m.put("title", TITLE);
    m.put("prompt", PROMPT);
    m.put("words", WORDS);
    m.put("text", text == null ? "" : text);
    return m;
  }

  /** Succeeds when a save may carry these sections: without the AI section always, with it only on a declared track. */
  Future<Void> allows(long invitationId, JsonObject sections) {
    if (sections == null || !sections.containsKey(SECTION_ID)) {
      return Future.succeededFuture();
    }
    String cached = tracks.getIfPresent(invitationId);
    Future<String> track = cached != null ? Future.succeededFuture(cached)
        : pool.preparedQuery(TRACK).execute(Tuple.of(invitationId)).map(rows -> rows.iterator().next().getString("track_id"))
            .onSuccess(t -> tracks.put(invitationId, t));
    return track.compose(t -> "declared".equals(rule(catalog, t)) ? Future.succeededFuture()
        : Future.failedFuture(new ClientError(422, "ai_not_declared", "This assessment has no \u201cAI assistance\u201d "
            + "section: its rule is that AI assistants are " + ("allowed".equals(rule(catalog, t))
            ? "allowed without declaring them." : "not used.") + " Leave out '" + SECTION_ID + "'.")));
  }
}

package dev.gameday.web;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.web.Http.ClientError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MarkdownRendererTest {
  static Vertx vertx;
  static final String SLOW = "<".repeat(200_000);

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  static ClientError failure(Future<?> f) {
    Throwable err = f.toCompletionStage().toCompletableFuture().handle((v, e) -> e).join();
    assertTrue(err != null && err.getCause() instanceof ClientError || err instanceof ClientError, String.valueOf(err));
    return (ClientError) (err instanceof ClientError ? err : err.getCause());
  }

  @Test
  @DisplayName("a text past its budget is shown escaped in <pre> on a page, and is 422 too_complex for a preview")
  void budget() {
    MarkdownRenderer r = new MarkdownRenderer(vertx, 1, 4, 1, 1 << 20);
    String page = await(r.cached("k", SLOW + "<script>"));
    assertTrue(page.startsWith("<pre>&lt;&lt;") && page.endsWith("&lt;script&gt;</pre>"), page.substring(0, 20));
    ClientError e = failure(r.preview(SLOW));
    assertEquals(422, e.status());
    assertEquals("too_complex", e.code());
  }

  @Test
  @DisplayName("when every place on the pool is taken a preview is 503 busy and a page gets the text at once")
  void busy() {
    MarkdownRenderer r = new MarkdownRenderer(vertx, 1, 1, 10_000, 1 << 20);
    Future<String> first = r.preview(SLOW);
    ClientError e = failure(r.preview("*second*"));
    assertEquals(503, e.status());
    assertEquals("busy", e.code());
    assertEquals("<pre>*third*</pre>", await(r.cached("third", "*third*")));
    await(first);
    assertEquals("<p><em>fourth</em></p>\n", await(r.preview("*fourth*")), "the place is free again");
  }

  @Test
  @DisplayName("a cached text is not rendered again; the same key with another text is")
  void cache() {
    MarkdownRenderer r = new MarkdownRenderer(vertx);
    String a = await(r.cached("answer:1:summary", "*one*"));
    assertSame(a, await(r.cached("answer:1:summary", "*one*")));
    assertEquals(1, r.cachedEntries());
    String b = await(r.cached("answer:1:summary", "*two*"));
    assertNotEquals(a, b);
    assertEquals("<p><em>two</em></p>\n", b);
  }
}

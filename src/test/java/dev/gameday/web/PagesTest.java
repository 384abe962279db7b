package dev.gameday.web;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PagesTest {
  @Test
  @DisplayName("templates and partials are parsed once at start-up; rendering a page parses nothing")
  void compiledOnce() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Pages pages = new Pages(vertx);
      await(pages.warm());
      long afterWarm = pages.parses();
      long lookedUp = pages.sourceLookups();
      // every template plus the layout partial
      assertTrue(afterWarm >= Pages.TEMPLATES.size() + 1, "parsed at warm-up: " + afterWarm);
      for (int i = 0; i < 3; i++) {
        for (String t : Pages.TEMPLATES) {
          pages.html(t, new HashMap<>(Map.of("title", "T")));
        }
      }
      assertEquals(afterWarm, pages.parses(), "rendering must not lex or parse templates again");
      // Handlebars asks for a partial's source each time it applies it: the jar is searched once per template only
      assertEquals(lookedUp, pages.sourceLookups(), "rendering must not search the class path for templates again");
    } finally {
      await(vertx.close());
    }
  }

  @Test
  @DisplayName("values in {{ }} are HTML-escaped")
  void escapes() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Pages pages = new Pages(vertx);
      await(pages.warm());
      String html = pages.html("error", new HashMap<>(Map.of("title", "<b>T</b>", "status", 404, "message", "a <script>")));
      assertTrue(html.contains("&lt;b&gt;T&lt;/b&gt;"), html);
      assertTrue(html.contains("a &lt;script&gt;"), html);
      assertTrue(!html.contains("<script>"), html);
    } finally {
      await(vertx.close());
    }
  }
}

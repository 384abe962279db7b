package dev.gameday.review;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.support.Browser;
import dev.gameday.support.PostgresExtension;
import dev.gameday.support.PostgresExtension.TestDatabase;
import dev.gameday.support.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The review queue pages by keyset (issue 28): "Older" and "Newer" carry the item a page ends at, so a deep page
 * reads only its own rows. Paging must still show every item once, in the queue's order, submissions sent in the
 * same instant included.
 */
@ExtendWith(PostgresExtension.class)
class QueuePagingTest {
  static TestApp app;
  static Vertx vertx;
  static Browser reviewer;

  @BeforeAll
  static void start(TestDatabase db) throws Exception {
    app = TestApp.start(db);
    vertx = Vertx.vertx();
    // 23 submissions of 5 exercises each: 115 items, three pages of the whole queue
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      ids.add(app.submitted(vertx, "Paging Candidate " + i));
    }
    // seven submissions sent in one instant, so that the page boundaries fall inside a tie
    for (String id : ids.subList(5, 12)) {
      app.sql("update review_items set submitted_at = '2026-12-01T10:00:00.123456Z' where submission_id = $1::uuid", id);
    }
    // flags for the disagreement and decided filters (their statements take the admin flag and the cursor both)
    for (String id : ids.subList(0, 8)) {
      app.sql("update review_items set disagreement = true where submission_id = $1::uuid", id);
    }
    for (String id : ids.subList(10, 16)) {
      app.sql("update review_items set decided = true where submission_id = $1::uuid", id);
    }
    reviewer = app.signIn(vertx, app.account("reviewer"));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    await(vertx.close());
  }

  /** Every item as "submission/exercise", in the queue's order as the database gives it. */
  static List<String> expected(String exercise) {
    List<String> out = new ArrayList<>();
    String sql = exercise == null
        ? "select submission_id, exercise_id from review_items order by submitted_at desc, submission_id, position"
        : "select submission_id, exercise_id from review_items where exercise_id = $1 order by submitted_at desc, submission_id";
    (exercise == null ? app.sql(sql) : app.sql(sql, exercise)).forEach(r -> out.add(r.getUUID(0) + "/" + r.getString(1)));
    return out;
  }

  static JsonObject json(String query) {
    var r = await(reviewer.get("/api/v1/review/queue?" + query));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static List<String> ids(JsonObject page) {
    List<String> out = new ArrayList<>();
    JsonArray items = page.getJsonArray("items");
    for (int i = 0; i < items.size(); i++) {
      out.add(items.getJsonObject(i).getString("submissionId") + "/" + items.getJsonObject(i).getString("exerciseId"));
    }
    return out;
  }

  @Test
  @DisplayName("following 'older' from the first page shows every item once, in order, ties included; 'newer' walks back the same pages")
  void olderThenNewer() {
    for (String exercise : new String[] {null, "incident-postmortem"}) {
      String base = "status=all" + (exercise == null ? "" : "&exercise=" + exercise);
      List<String> all = expected(exercise);
      List<List<String>> pages = new ArrayList<>();
      JsonObject page = json(base);
      assertNull(page.getString("newer"), "the first page has nothing newer");
      pages.add(ids(page));
      while (page.getString("older") != null) {
        assertTrue(page.getBoolean("hasMore"));
        page = json(base + "&after=" + page.getString("older"));
        pages.add(ids(page));
        assertTrue(pages.size() <= all.size(), "paging ends");
      }
      assertFalse(page.getBoolean("hasMore"));
      List<String> seen = pages.stream().flatMap(List::stream).toList();
      assertEquals(all, seen, "every item once, in the queue's order (" + base + ")");
      for (int i = 0; i < pages.size() - 1; i++) {
        assertEquals(ReviewQueue.PAGE_SIZE, pages.get(i).size(), "full pages before the last");
      }
      // the same pages as offsets give
      for (int i = 0; i < pages.size(); i++) {
        assertEquals(pages.get(i), ids(json(base + "&page=" + i)), "page " + i + " by offset");
      }
      // back from the last page with "newer": the pages before it, in order, and the first page at the end
      for (int i = pages.size() - 2; i >= 0; i--) {
        page = json(base + "&before=" + page.getString("newer"));
        assertEquals(pages.get(i), ids(page), "page " + i + " reached by newer");
        assertNotNull(page.getString("older"), "a page reached by newer has older items");
      }
      assertNull(page.getString("newer"), "newer ends on the first page");
    }
  }

  @Test
  @DisplayName("'newer' from a page near the top ends on a full first page, not a short one")
  void newerFillsTheFirstPage() {
    List<String> all = expected(null);
    // the cursor of the fifth item: only four items are newer than it
    var fifth = app.sql("select submitted_at, submission_id, position from review_items"
        + " order by submitted_at desc, submission_id, position offset 4 limit 1").iterator().next();
    String cursor = new ReviewQueue.Cursor(false, fifth.getOffsetDateTime(0), fifth.getUUID(1), fifth.getInteger(2)).toString();
    JsonObject page = json("status=all&before=" + cursor);
    assertEquals(all.subList(0, ReviewQueue.PAGE_SIZE), ids(page), "the whole first page");
    assertNull(page.getString("newer"));
    // and from the sixth item's page onwards, 'newer' of a cursor with a page's worth above it is that page
    JsonObject second = json("status=all&after=" + json("status=all").getString("older"));
    JsonObject back = json("status=all&before=" + second.getString("newer"));
    assertEquals(all.subList(0, ReviewQueue.PAGE_SIZE), ids(back));
  }

  @Test
  @DisplayName("the queue page's Older and Newer links carry cursors and lead to the neighbouring pages")
  void pageLinks() {
    String first = await(reviewer.get("/review?status=all")).bodyAsString();
    Matcher older = Pattern.compile("href=\"(/review\\?[^\"]*after&#x3D;[^\"]+)\">Older").matcher(first);
    assertTrue(older.find(), "the first page links to older items");
    assertFalse(first.contains(">&larr; Newer<"), "the first page has no newer link");
    String second = await(reviewer.get(older.group(1).replace("&amp;", "&").replace("&#x3D;", "="))).bodyAsString();
    List<String> all = expected(null);
    String firstOfSecond = "href=\"/review/" + all.get(ReviewQueue.PAGE_SIZE).substring(0, 36) + "\"";
    assertTrue(second.contains(firstOfSecond), "the second page lists the 51st item's submission");
    assertFalse(first.contains(firstOfSecond), "which the first page does not");
    Matcher newer = Pattern.compile("href=\"(/review\\?[^\"]*before&#x3D;[^\"]+)\">&larr; Newer").matcher(second);
    assertTrue(newer.find(), "the second page links to newer items");
    String back = await(reviewer.get(newer.group(1).replace("&amp;", "&").replace("&#x3D;", "="))).bodyAsString();
    assertFalse(back.contains(">&larr; Newer<"), "newer leads back to the first page");
    assertTrue(back.contains("href=\"/review/" + all.get(0).substring(0, 36) + "\""));
    assertFalse(back.contains(firstOfSecond));
  }

  @Test
  @DisplayName("every filter pages by cursor both ways: the page just past an item is the offset page's tail")
  void everyFilter() {
    String admin = app.account("admin");
    Browser a = app.signIn(vertx, admin);
    for (String status : ReviewQueue.STATUSES) {
      for (String filter : new String[] {"", "&track=sre-senior", "&exercise=scaling-plan", "&track=sre-senior&exercise=scaling-plan"}) {
        for (Browser who : new Browser[] {reviewer, a}) {
          String base = "/api/v1/review/queue?status=" + status + filter;
          JsonObject first = await(who.get(base)).bodyAsJsonObject();
          List<String> firstIds = ids(first);
          if (firstIds.size() < 3) {
            assertTrue("disagreement".equals(status) && who == reviewer, base + " lists too few items to page: " + firstIds);
            continue;
          }
          // a cursor at the second item: 'after' gives the offset page from the third item on
          String cursorOfSecond = cursorOf(firstIds.get(1), true);
          var older = await(who.get(base + "&after=" + cursorOfSecond));
          assertEquals(200, older.statusCode(), base + " " + older.bodyAsString());
          assertEquals(firstIds.subList(2, firstIds.size()), ids(older.bodyAsJsonObject()).subList(0, firstIds.size() - 2), base);
          var newer = await(who.get(base + "&before=" + cursorOfSecond));
          assertEquals(200, newer.statusCode(), base + " " + newer.bodyAsString());
          assertEquals(firstIds, ids(newer.bodyAsJsonObject()), base + ": newer than the second item is the first page");
        }
      }
    }
  }

  /** The cursor of one item ("submission/exercise") as the queue writes it. */
  static String cursorOf(String item, boolean older) {
    var r = app.sql("select submitted_at, submission_id, position from review_items where submission_id = $1::uuid and exercise_id = $2",
        item.substring(0, 36), item.substring(37)).iterator().next();
    return new ReviewQueue.Cursor(older, r.getOffsetDateTime(0), r.getUUID(1), r.getInteger(2)).toString();
  }

  @Test
  @DisplayName("a cursor the queue did not make is refused with 400 and a sentence, as JSON and as a page")
  void badCursor() {
    for (String q : new String[] {"after=zz", "before=1.2.3", "after=99999999999999999999.8d7e0a46-1b8e-4a51-9d45-2b1a1c1d1e1f.0",
        "after=1796429359597943.not-a-uuid.4", "after=9223372036854775807.8d7e0a46-1b8e-4a51-9d45-2b1a1c1d1e1f.0",
        "before=9999999999999999999.8d7e0a46-1b8e-4a51-9d45-2b1a1c1d1e1f.0", "after=1796429359597943.8d7e0a46-1b8e-4a51-9d45-2b1a1c1d1e1f.9999999999", "after=1796429359597943.8d7e0a46-1b8e-4a51-9d45-2b1a1c1d1e1f.0"
            + "&before=1796429359597943.8d7e0a46-1b8e-4a51-9d45-2b1a1c1d1e1f.0"}) {
      var r = await(reviewer.get("/api/v1/review/queue?status=all&" + q));
      assertEquals(400, r.statusCode(), q);
      assertEquals("invalid_cursor", r.bodyAsJsonObject().getString("error"), q);
      var p = await(reviewer.get("/review?status=all&" + q));
      assertEquals(400, p.statusCode(), q);
      assertTrue(p.bodyAsString().contains("open the queue from its first page"), q);
    }
    // a well-formed cursor past the end is an empty page, not an error
    JsonObject past = json("status=all&after=0.8d7e0a46-1b8e-4a51-9d45-2b1a1c1d1e1f.0");
    assertTrue(past.getJsonArray("items").isEmpty());
    assertFalse(past.getBoolean("hasMore"));
  }
}

package dev.gameday.review;

import dev.gameday.web.Account;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The review queue's pages: newest first, 50 a page, filtered by track, exercise and status, paged by keyset
 * ("Older" and "Newer" carry the item a page ends at) or, in the API's older form, by offset.
 */
public final class ReviewQueue {
  public static final int PAGE_SIZE = 50;
  public static final Set<String> STATUSES = Set.of("all", "mine", "more", "disagreement", "decided");

  /**
   * The queue's statement for one combination of filters and one way of paging: a predicate only for a filter that
   * is given, so each combination is its own prepared statement with a plan that reads the matching index in order.
   * Parameters: $1 me, then the track and exercise when given, then the cursor's three (two with an exercise, whose
   * order has no position), then the admin flag (only for "disagreement"), then the limit and, without a cursor, the
   * offset.
   * <p>A cursor pages by keyset (issue 28): the rows just past one item in the queue's order are read straight from
   * the index, so page 100 costs what page 1 does. An offset reads and drops every row before its page (5,000 on
   * page 100 of one exercise: 24 ms where the first page takes 5).
   */
  private static Query query(Account me, String track, String exercise, String status, int page, Cursor cursor) {
    Tuple args = Tuple.of(me.id());
    StringBuilder where = new StringBuilder(" where true");
    if (track != null) {
      where.append(" and ri.track_id = $").append(args.size() + 1);
      args.addString(track);
    }
    if (exercise != null) {
      where.append(" and ri.exercise_id = $").append(args.size() + 1);
      args.addString(exercise);
    }
    boolean backwards = cursor != null && !cursor.older();
    if (cursor != null) {
      // the submission time bounds the index scan; the rest orders items submitted at the same instant
      int t = args.size() + 1;
      String cmp = cursor.older() ? ">" : "<";
      where.append(" and ri.submitted_at ").append(cursor.older() ? "<=" : ">=").append(" $").append(t)
          .append(" and (ri.submitted_at ").append(cursor.older() ? "<" : ">").append(" $").append(t)
          .append(" or ri.submission_id ").append(cmp).append(" $").append(t + 1);
      args.addOffsetDateTime(cursor.submittedAt()).addUUID(cursor.submissionId());
      if (exercise == null) {
        where.append(" or ri.submission_id = $").append(t + 1).append(" and ri.position ").append(cmp).append(" $").append(t + 2);
        args.addInteger(cursor.position());
      }
      where.append(')');
    }
    switch (status) {
      case "mine" -> where.append(" and not ri.decided and r.state is distinct from 'submitted'"
          + " and (r.id is not null or ri.reviews_active < ri.reviews_required)");
      case "more" -> where.append(" and not ri.decided and ri.reviews_submitted < ri.reviews_required");
      case "disagreement" -> where.append(" and ri.disagreement and (r.state = 'submitted' or $").append(args.size() + 1)
          .append(" and r.id is null)");
      case "decided" -> where.append(" and ri.decided");
      default -> { }
    }
    if ("disagreement".equals(status)) {
      args.addBoolean(me.admin());
    }
    String order = backwards
        ? (exercise != null ? "ri.submitted_at, ri.submission_id desc" : "ri.submitted_at, ri.submission_id desc, ri.position desc")
        : (exercise != null ? "ri.submitted_at desc, ri.submission_id" : "ri.submitted_at desc, ri.submission_id, ri.position");
    String limit = " limit $" + (args.size() + 1);
    args.addInteger(PAGE_SIZE + 1);
    if (cursor == null) {
      limit += " offset $" + (args.size() + 1);
      args.addInteger(Math.max(0, page) * PAGE_SIZE);
    }
    // no variant seed here: the queue shows titles from the library's version (ReviewService.item with the library's version), and a
    // subquery in this select list ran for every row an offset skips (5,000 on page 100)
    return new Query("""
        select ri.submission_id, ri.exercise_id, ri.version_id, ri.track_id, ri.pseudonym, ri.submitted_at, ri.position,
               ri.reviews_required, ri.reviews_active, ri.reviews_submitted, ri.disagreement, ri.decided, ri.no_answer, r.state as my_state
          from review_items ri
          left join reviews r on r.submission_id = ri.submission_id and r.exercise_id = ri.exercise_id and r.reviewer_id = $1
        """ + where + "\n order by " + order + "\n" + limit, args);
  }

  private record Query(String sql, Tuple args) {
  }

  /**
   * Where a page of the queue starts: just past one item, towards older items ({@code older}, the "Older" link) or
   * towards newer ones. Written into links as {@code <microseconds since 1970>.<submission id>.<position>}.
   */
  public record Cursor(boolean older, OffsetDateTime submittedAt, UUID submissionId, int position) {
    private static final long LATEST_MICROS = java.time.Instant.parse("9999-12-31T23:59:59.999999Z").toEpochMilli() * 1000L + 999L;
    private static final java.util.regex.Pattern FORM =
        java.util.regex.Pattern.compile("(\\d{1,19})\\.([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\\.(\\d{1,9})");

    static Cursor of(Row r, boolean older) {
      return new Cursor(older, r.getOffsetDateTime("submitted_at"), r.getUUID("submission_id"), r.getInteger("position"));
    }

    /** The cursor a link carries, or null when {@code text} is not one (a hand-edited or truncated address). */
    public static Cursor parse(String text, boolean older) {
      var m = text == null ? null : FORM.matcher(text);
      if (m == null || !m.matches()) {
        return null;
      }
      try {
        long micros = Long.parseLong(m.group(1));
        if (micros > LATEST_MICROS) { // beyond the year 9999: no item was submitted then
          return null;
        }
        java.time.Instant at = java.time.Instant.ofEpochSecond(micros / 1_000_000L, micros % 1_000_000L * 1000L);
        return new Cursor(older, at.atOffset(java.time.ZoneOffset.UTC), UUID.fromString(m.group(2)), Integer.parseInt(m.group(3)));
      } catch (NumberFormatException e) { // a number beyond a long
        return null;
      }
    }

    @Override
    public String toString() {
      java.time.Instant at = submittedAt.toInstant();
      return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1000) + "." + submissionId + "." + position;
    }
  }

  /**
   * One page of the queue, newest first, and where the pages beside it start: {@code newer} and {@code older} are
   * null when there is nothing that way. {@code first}: this is the queue's top page.
   */
  public record Page(List<ReviewService.Item> items, Cursor newer, Cursor older, boolean first) {
  }

  private final Pool pool;
  private final ReviewService service;

  ReviewQueue(Pool pool, ReviewService service) {
    this.pool = pool;
    this.service = service;
  }

  /**
   * A page of the queue, newest first: the {@code page}-th by offset when {@code cursor} is null, else the page just
   * past the cursor. One more row than the page is read to know whether another page exists that way. Paging towards
   * newer items reads the index backwards; when fewer than a page's worth are newer, the top page is read instead,
   * so that "Newer" always ends on a full first page.
   */
  public Future<Page> page(Account me, String track, String exercise, String status, int page, Cursor cursor) {
    String s = status == null || !STATUSES.contains(status) ? "all" : status;
    String t = ReviewService.blank(track);
    String e = ReviewService.blank(exercise);
    Query q = query(me, t, e, s, page, cursor);
    return pool.preparedQuery(q.sql()).execute(q.args()).compose(rows -> {
      List<Row> list = new ArrayList<>();
      rows.forEach(list::add);
      boolean more = list.size() > PAGE_SIZE;
      if (cursor != null && !cursor.older()) {
        if (!more) {
          return page(me, track, exercise, status, 0, null);
        }
        list = new ArrayList<>(list.subList(0, PAGE_SIZE));
        java.util.Collections.reverse(list);
      } else if (more) {
        list = list.subList(0, PAGE_SIZE);
      }
      boolean top = cursor == null && page <= 0;
      // a page reached by "Newer" always has older items: at least the one its cursor names
      boolean olderExist = more || cursor != null && !cursor.older();
      Cursor newer = top || list.isEmpty() ? null : Cursor.of(list.get(0), false);
      Cursor older = olderExist && !list.isEmpty() ? Cursor.of(list.get(list.size() - 1), true) : null;
      List<Future<ReviewService.Item>> all = new ArrayList<>();
      list.forEach(r -> all.add(service.item(r, me, false)));
      return Future.all(all).map(f -> new Page(f.list(), newer, older, top));
    });
  }
}

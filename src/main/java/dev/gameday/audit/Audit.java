package dev.gameday.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The append-only audit log: who did what to which object, when. Rows are only ever inserted. */
public final class Audit {
  public static final int PAGE_SIZE = 100;
  private static final String INSERT = "insert into audit_log (actor, action, subject, detail) values ($1, $2, $3, $4)";
  private static final String LIST = """
      select id, at, actor, action, subject, detail from audit_log
       where ($1::text is null or action like $1 || '%')
         and ($2::text is null or actor ilike '%' || $2 || '%' or subject ilike '%' || $2 || '%')
         and ($3::bigint is null or id < $3)
         and ($5::text is null or lower(actor) = lower($5))
         and ($6::timestamptz is null or at >= $6)
         and ($7::timestamptz is null or at < $7)
       order by id desc limit $4""";

  private Audit() {
  }

  public static Future<Void> record(SqlClient client, String actor, String action, String subject, JsonObject detail) {
    return client.preparedQuery(INSERT).execute(Tuple.of(actor, action, subject, detail == null ? new JsonObject() : detail))
        .mapEmpty();
  }

  /**
   * One entry per subject, in one statement (an export may reveal thousands of identities at once); {@code details}
   * pairs up with {@code subjects}.
   */
  public static Future<Void> recordEach(SqlClient client, String actor, String action, List<String> subjects,
                                        List<JsonObject> details) {
    if (subjects.size() != details.size()) {
      throw new IllegalArgumentException(subjects.size() + " subjects but " + details.size() + " details");
    }
    if (subjects.isEmpty()) {
      return Future.succeededFuture();
    }
    return client.preparedQuery("""
            insert into audit_log (actor, action, subject, detail)
            select $1, $2, u.subject, u.detail::jsonb from unnest($3::text[], $4::text[]) with ordinality as u(subject, detail, n)
             order by u.n""")
        .execute(Tuple.of(actor, action, subjects.toArray(String[]::new), details.stream().map(JsonObject::encode).toArray(String[]::new)))
        .mapEmpty();
  }

  public record Entry(long id, String at, String actor, String action, String subject, JsonObject detail) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("at", at).put("actor", actor).put("action", action)
          .put("subject", subject).put("detail", detail);
    }
  }

  /**
   * What the audit page and its CSV export show: an action prefix, text in the actor or subject, one actor (exact, any
   * case), and a range of UTC days, both ends included; a null or blank part does not filter.
   */
  public record Filter(String actionPrefix, String text, String actor, LocalDate from, LocalDate to) {
    public static final Filter NONE = new Filter(null, null, null, null, null);
  }

  /** Newest first; {@code before} pages backwards by id. */
  public static Future<List<Entry>> list(SqlClient client, String actionPrefix, String text, Long before) {
    return list(client, new Filter(actionPrefix, text, null, null, null), before, PAGE_SIZE);
  }

  /** At most {@code limit} entries matching {@code f}, newest first, with ids below {@code before} when it is set. */
  public static Future<List<Entry>> list(SqlClient client, Filter f, Long before, int limit) {
    Tuple args = Tuple.of(blank(f.actionPrefix()), blank(f.text()), before, limit, blank(f.actor()),
        f.from() == null ? null : f.from().atStartOfDay().atOffset(ZoneOffset.UTC),
        f.to() == null ? null : f.to().plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
    return client.preparedQuery(LIST).execute(args).map(rows -> {
      List<Entry> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new Entry(r.getLong("id"), r.getOffsetDateTime("at").toString(), r.getString("actor"), r.getString("action"),
            r.getString("subject"), r.getJsonObject("detail")));
      }
      return out;
    });
  }

  /**
   * An entry's detail as readable lines for the audit page: nested objects become dotted keys
   * ({@code scores.analysis.level: 3}), arrays comma-separated values.
   */
  public static List<java.util.Map<String, String>> readable(JsonObject detail) {
    List<java.util.Map<String, String>> out = new ArrayList<>();
    flatten("", detail, out);
    return out;
  }

  private static void flatten(String prefix, JsonObject o, List<java.util.Map<String, String>> out) {
    for (String k : o.fieldNames()) {
      Object v = o.getValue(k);
      if (v instanceof JsonObject nested && !nested.isEmpty()) {
        flatten(prefix + k + ".", nested, out);
      } else {
        String text = v == null ? "-" : v instanceof JsonArray a
            ? String.join(", ", a.stream().map(String::valueOf).toList()) : String.valueOf(v);
        out.add(java.util.Map.of("key", prefix + k, "value", text.isEmpty() ? "(empty)" : text));
      }
    }
  }

  public static JsonArray toJson(List<Entry> entries) {
    return new JsonArray(entries.stream().map(Entry::toJson).toList());
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}

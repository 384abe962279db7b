package dev.gameday.web;

import dev.gameday.web.Http.ClientError;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Input that Postgres cannot store. A {@code text} or {@code jsonb} value cannot hold U+0000, so a NUL reaching a
 * query fails the statement. NUL is never part of a valid id or filter: a path or query containing one (raw or as
 * {@code %00}) is refused with 400 {@code invalid_characters} before any route runs. In text a person wrote (form
 * fields, strings in a JSON body) it is replaced with U+FFFD, so the rest of the text is kept; a JSON answer says
 * so with {@code "replaced": ["nul"]}. A JSON body must be valid UTF-8: a malformed byte is a 400
 * {@code malformed_json}, never silently replaced.
 */
public final class Input {
  /** Set on the routing context when a NUL in the request body was replaced. */
  public static final String REPLACED_NUL = "gameday.replacedNul";
  public static final char REPLACEMENT = '\uFFFD';

  private Input() {
  }

  /** Route handler, mounted after the body handlers. */
  /**
   * Before any route with a path: a path with a broken %-escape ('/%', '%zz') cannot be decoded, so no route could
   * match it; it is answered 400 here like any other address that cannot be understood, instead of failing inside the
   * router.
   */
  public static void decodable(RoutingContext ctx) {
    try {
      ctx.normalizedPath();
    } catch (IllegalArgumentException e) {
      ctx.fail(400, new ClientError(400, "bad_request", "The address could not be understood: it has a broken %-escape."));
      return;
    }
    ctx.next();
  }

  public static void guard(RoutingContext ctx) {
    String uri = ctx.request().uri();
    if (uri != null && (uri.indexOf('\0') >= 0 || uri.contains("%00"))) {
      ctx.fail(400, new ClientError(400, "invalid_characters",
          "The address contains a NUL character, which no id or filter may contain."));
      return;
    }
    String type = ctx.request().getHeader("Content-Type");
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      MultiMap form = ctx.request().formAttributes();
      List<Map.Entry<String, String>> dirty = new ArrayList<>();
      for (Map.Entry<String, String> e : form) {
        if (e.getKey().indexOf('\0') >= 0 || e.getValue().indexOf('\0') >= 0) {
          dirty.add(e);
        }
      }
      for (Map.Entry<String, String> e : dirty) {
        List<String> values = form.getAll(e.getKey());
        form.remove(e.getKey());
        for (String v : values) {
          form.add(replaceNul(e.getKey()), replaceNul(v));
        }
        ctx.put(REPLACED_NUL, true);
      }
    }
    ctx.next();
  }

  public static String replaceNul(String s) {
    return s.indexOf('\0') < 0 ? s : s.replace('\0', REPLACEMENT);
  }

  /**
   * Whether a JSON text may hold what Postgres cannot store: the escape of U+0000, or the escape of a surrogate
   * (JSON can spell a lone one, {@code \\ud800}, which has no UTF-8 form: the driver's encoding of it turned the
   * next character into bytes Postgres refuses). Raw bytes cannot: {@link #decodeUtf8} refuses malformed ones.
   */
  public static boolean mayNeedCleaning(String json) {
    for (int i = json.indexOf("\\u"); i >= 0 && i + 5 < json.length(); i = json.indexOf("\\u", i + 2)) {
      char a = json.charAt(i + 2);
      char b = json.charAt(i + 3);
      if (json.startsWith("0000", i + 2) || ((a == 'd' || a == 'D') && "89abcdefABCDEF".indexOf(b) >= 0)) {
        return true;
      }
    }
    return false;
  }

  /** Every surrogate that is not half of a pair replaced with U+FFFD (a pair, an emoji say, is kept). */
  public static String replaceLoneSurrogates(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean lone = Character.isHighSurrogate(c) ? !(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
          : Character.isLowSurrogate(c) && !(i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
      if (lone && out == null) {
        out = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (out != null) {
        out.append(lone ? REPLACEMENT : c);
      }
    }
    return out == null ? s : out.toString();
  }

  /** The bytes decoded as UTF-8, or null when they are not well-formed (no overlong forms, surrogates, truncation). */
  public static String decodeUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }


  /** The object with every NUL in its keys and strings replaced by U+FFFD; the flag is set when one was found. */
  public static JsonObject replaceNul(JsonObject o, boolean[] replaced) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : o) {
      String key = e.getKey();
      if (key.indexOf('\0') >= 0) {
        replaced[0] = true;
        key = replaceNul(key);
      }
      out.put(replaceLoneSurrogates(key), clean(e.getValue(), replaced));
    }
    return out;
  }

  private static Object clean(Object v, boolean[] replaced) {
    if (v instanceof String s) {
      if (s.indexOf('\0') >= 0) {
        replaced[0] = true;
        s = replaceNul(s);
      }
      return replaceLoneSurrogates(s);
    }
    if (v instanceof JsonObject o) {
      return replaceNul(o, replaced);
    }
    if (v instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      for (Object x : a) {
        out.add(clean(x, replaced));
      }
      return out;
    }
    return v;
  }
}

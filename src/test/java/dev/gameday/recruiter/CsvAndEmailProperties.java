package dev.gameday.recruiter;

import static dev.gameday.Gameday.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gameday.web.Emails;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailConfig;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 27, beyond the fixes: the CSV importer and the email builder under arbitrary Unicode (every code point that
 * is a character, control characters, quotes, commas and line breaks included) and arbitrary encodings.
 */
class CsvAndEmailProperties {
  static Vertx vertx;
  static Mailer mailer;

  @BeforeContainer
  static void start() {
    vertx = Vertx.vertx();
    mailer = new Mailer(vertx, new MailConfig(), "gameday@localhost");
  }

  @AfterContainer
  static void stop() {
    await(mailer.close());
    await(vertx.close());
  }

  /** Any text of valid characters: every plane, surrogate pairs whole, control characters and CSV syntax often. */
  @Provide
  Arbitrary<String> text() {
    Arbitrary<String> any = Arbitraries.strings().ofMaxLength(12).withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFF');
    Arbitrary<String> syntax = Arbitraries.of("\"", ",", "\r\n", "\n", "\r", "\u0000", "\uFFFD", " ", "\u2028", "\u0085", "😀", "é");
    return Arbitraries.oneOf(any, syntax, Arbitraries.strings().alpha().ofMaxLength(6)).list().ofMaxSize(5)
        .map(parts -> String.join("", parts));
  }

  @Provide
  Arbitrary<List<List<String>>> table() {
    return text().list().ofMinSize(1).ofMaxSize(4).list().ofMinSize(1).ofMaxSize(6);
  }

  /** RFC 4180 as a spreadsheet writes it: every field quoted, quotes doubled, CRLF or LF at random per record. */
  static String write(List<List<String>> table, List<Integer> starts, boolean crlf) {
    StringBuilder out = new StringBuilder();
    for (List<String> record : table) {
      starts.add(out.length());
      for (int i = 0; i < record.size(); i++) {
        out.append(i == 0 ? "" : ",").append('"').append(record.get(i).replace("\"", "\"\"")).append('"');
      }
      out.append(crlf ? "\r\n" : "\n");
    }
    return out.toString();
  }

  @Property(tries = 1000)
  void everyFileIsReadBackExactlyOrRefusedAtTheRightLine(@ForAll("table") List<List<String>> table, @ForAll boolean crlf) {
    List<Integer> starts = new ArrayList<>();
    String text = write(table, starts, crlf);
    int bad = -1;
    for (int i = 0; i < text.length() && bad < 0; i++) {
      if (text.charAt(i) == '\u0000' || text.charAt(i) == '\uFFFD') {
        bad = i;
      }
    }
    try {
      List<CandidateCsv.Record> records = CandidateCsv.parse(text.getBytes(StandardCharsets.UTF_8));
      assertEquals(-1, bad, "a NUL or replacement character must be refused");
      // a record of one blank field is a blank line, which is no record (as in the importer before)
      List<Integer> kept = new ArrayList<>();
      for (int r = 0; r < table.size(); r++) {
        if (!(table.get(r).size() == 1 && table.get(r).get(0).isBlank())) {
          kept.add(r);
        }
      }
      assertEquals(kept.size(), records.size());
      for (int k = 0; k < kept.size(); k++) {
        assertEquals(table.get(kept.get(k)), records.get(k).fields());
        assertEquals(CandidateCsv.lineAt(text, starts.get(kept.get(k))), records.get(k).line(), "record " + k + " of " + text);
      }
    } catch (CandidateCsv.Malformed e) {
      assertTrue(bad >= 0, "refused a good file: " + e.getMessage());
      assertEquals(CandidateCsv.lineAt(text, bad), e.line, e.getMessage());
    }
  }

  @Provide
  Arbitrary<Charset> charsets() {
    return Arbitraries.of(StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1, Charset.forName("windows-1252"),
        StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE);
  }

  @Property(tries = 1000)
  void aFileIsReadAsUtf8OrRefusedNeverWithReplacementCharacters(@ForAll("table") List<List<String>> table,
                                                                @ForAll("charsets") Charset charset) {
    String text = write(table, new ArrayList<>(), false);
    byte[] bytes = text.getBytes(charset);
    try {
      List<CandidateCsv.Record> records = CandidateCsv.parse(bytes);
      // accepted: then exactly these bytes are UTF-8 and the fields are what they say, nothing replaced
      String decoded = new String(bytes, StandardCharsets.UTF_8);
      assertArrayEquals(bytes, decoded.getBytes(StandardCharsets.UTF_8));
      for (CandidateCsv.Record r : records) {
        r.fields().forEach(f -> assertFalse(f.contains("\uFFFD") || f.contains("\u0000"), f));
      }
    } catch (CandidateCsv.Malformed e) {
      assertTrue(e.line >= 1, e.getMessage());
      assertFalse(e.getMessage().isBlank());
    }
  }

  @Property(tries = 1000)
  void aNameIsOneTidyLine(@ForAll("text") String a, @ForAll("text") String b) {
    String name = Emails.name(a + b + a);
    assertTrue(name.length() <= Emails.MAX_NAME);
    assertEquals(name.strip(), name);
    assertFalse(name.contains("  "), name);
    assertTrue(name.codePoints().noneMatch(c -> Character.getType(c) == Character.CONTROL
        || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR), name);
    assertFalse(!name.isEmpty() && Character.isHighSurrogate(name.charAt(name.length() - 1)), name);
    assertEquals(name, Emails.name(name), "normalising twice changes nothing");
  }

  @Property(tries = 200)
  void noValueOfAnEmailAddsALineToItsBody(@ForAll("text") String name, @ForAll("text") String title, @ForAll("text") String contact) {
    for (String kind : Mailer.KINDS) {
      Mailer.Message plain = await(mailer.render(kind, model("Ada", "SRE", "the recruiter")));
      Mailer.Message hostile = await(mailer.render(kind, model(name, title, contact)));
      String breaks = "\r\n|\r|\n|\u2028|\u2029|\u0085|\u000B|\u000C";
      assertEquals(plain.text().split(breaks, -1).length, hostile.text().split(breaks, -1).length, hostile.text());
      assertFalse(hostile.subject().matches("(?s).*[\r\n\u0000\u2028\u0085].*"), hostile.subject());
    }
  }

  static Map<String, Object> model(String name, String title, String contact) {
    Map<String, Object> m = new HashMap<>();
    m.put("name", name);
    m.put("trackTitle", title);
    m.put("contact", contact);
    m.put("link", "http://localhost/i/token");
    m.put("deadline", "Monday 7 December 2026, 17:00 UTC");
    m.put("expectedMinutes", 90);
    return m;
  }
}

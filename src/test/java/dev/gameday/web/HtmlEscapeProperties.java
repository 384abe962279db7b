package dev.gameday.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

/** The one-pass escaper gives exactly what Handlebars' default escaping gives, for any text. */
class HtmlEscapeProperties {
  @Property(tries = 2000)
  void sameAsHandlebarsDefault(@ForAll @StringLength(max = 300) String text) {
    assertEquals(EscapingStrategy.DEF.escape(text).toString(), HtmlEscape.INSTANCE.escape(text).toString());
  }

  @Property(tries = 2000)
  void sameOnMarkupHeavyText(@ForAll @StringLength(max = 200) @Chars({'&', '<', '>', '"', '\'', '`', '=', ';', '#', 'x'})
                             @CharRange(from = 'a', to = 'c') String text) {
    assertEquals(EscapingStrategy.DEF.escape(text).toString(), HtmlEscape.INSTANCE.escape(text).toString());
  }

  @Property(tries = 200)
  void safeStringsAndNullPassAsTheDefaultPassesThem(@ForAll @StringLength(max = 50) String text) {
    assertEquals(EscapingStrategy.DEF.escape(new Handlebars.SafeString(text)).toString(),
        HtmlEscape.INSTANCE.escape(new Handlebars.SafeString(text)).toString());
    assertEquals(EscapingStrategy.DEF.escape(null).toString(), HtmlEscape.INSTANCE.escape(null).toString());
  }
}

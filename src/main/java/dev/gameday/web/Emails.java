package dev.gameday.web;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.regex.Pattern;

/**
 * The one email check for candidates and accounts, and the one normalisation of a person's name for anything that
 * goes into an email.
 *
 * <p>An address is what Jakarta Mail's {@link InternetAddress} accepts in strict mode, and only a bare
 * {@code local@domain}: no display name, no angle brackets, no comment, no list, no quoted local part, no domain
 * literal. On top, the local part is a dot-atom (RFC 5322: no leading, trailing or double dot) and the domain is a
 * dot-atom of DNS labels (letters, digits, inner hyphens; at least two labels), within RFC 5321's lengths.
 */
public final class Emails {
  public static final int MAX_NAME = 200;
  private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  // control characters (C0, DEL, C1), line and paragraph separators, zero-width and bidi formatting characters
  private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}\\p{Cf}&&[^\\u200D]]");
  private static final Pattern SPACES = Pattern.compile("[\\s\\p{Z}]+");

  private Emails() {
  }

  public static boolean valid(String email) {
    if (email == null || email.isEmpty() || email.length() > 254) {
      return false;
    }
    InternetAddress parsed;
    try {
      parsed = new InternetAddress(email, true);
      parsed.validate();
    } catch (AddressException e) {
      return false;
    }
    if (!email.equals(parsed.getAddress()) || parsed.getPersonal() != null || parsed.isGroup()) {
      return false;
    }
    int at = email.lastIndexOf('@');
    if (at <= 0 || at != email.indexOf('@')) {
      return false;
    }
    String local = email.substring(0, at);
    String domain = email.substring(at + 1);
    if (local.length() > 64 || !LOCAL.matcher(local).matches()) {
      return false;
    }
    String[] labels = domain.split("\\.", -1);
    if (labels.length < 2 || domain.length() > 253) {
      return false;
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    // the top-level domain is never all digits (that would be an IP address)
    return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
  }

  /** {@link #name} without the length limit: for input, which refuses a name that is too long rather than cut it. */
  public static String clean(String name) {
    return name == null ? null : SPACES.matcher(INVISIBLE.matcher(name).replaceAll(" ")).replaceAll(" ").strip();
  }

  /**
   * A name as it may appear in an email or on a page: control characters, line breaks and invisible formatting
   * characters become spaces, runs of whitespace one space, no space at either end, at most {@link #MAX_NAME}
   * characters (never cutting a character in two). Null stays null.
   */
  public static String name(String name) {
    String s = clean(name);
    if (s != null && s.length() > MAX_NAME) {
      int end = MAX_NAME;
      if (Character.isHighSurrogate(s.charAt(end - 1))) {
        end--;
      }
      s = s.substring(0, end).strip();
    }
    return s;
  }
}

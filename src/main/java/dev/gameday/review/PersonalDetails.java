package dev.gameday.review;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks a candidate's personal details in their answer before a reviewer reads it (issue 24): their own name (in full,
 * and each part of three or more letters as written), their email, any email address, phone numbers and profile
 * links, each replaced by a visible marker. It errs towards masking: a word that is also part of the candidate's name
 * is masked wherever it stands capitalised as in the name. Pure: the caller supplies the name and email and never
 * passes them on.
 */
public final class PersonalDetails {
  public static final String NAME = "[name removed]";
  public static final String EMAIL = "[email removed]";
  public static final String PHONE = "[phone removed]";
  public static final String PROFILE = "[profile link removed]";

  private static final Pattern EMAILS = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
  /** Profile links, with or without the scheme: LinkedIn, GitHub, GitLab, X/Twitter, Facebook, Stack Overflow users. */
  private static final Pattern PROFILES = Pattern.compile("(?i)(?:https?://)?(?:www\\.)?(?:linkedin\\.com/in|github\\.com|gitlab\\.com"
      + "|twitter\\.com|x\\.com|facebook\\.com|stackoverflow\\.com/users|instagram\\.com)/[^\\s)\\]>\"']*[^\\s)\\]>\"'.,;:!?]");
  /**
   * Phone numbers: an international one (+ and 8 to 15 digits in groups), a bracketed area code, or the 3-3-4 form.
   * Dates (2026-11-20), times, versions and addresses have other shapes and are left alone.
   */
  private static final Pattern PHONES = Pattern.compile("(?<!\\w|\\d\\.)(?:\\+\\d{1,3}(?:[ .-]?\\(?\\d{1,4}\\)?){2,5}"
      + "|\\(\\d{2,5}\\)[ .-]?\\d{3,4}[ .-]?\\d{3,4}|\\d{3}[ .-]\\d{3}[ .-]\\d{4})(?!\\w|\\.\\d)");

  private PersonalDetails() {
  }

  /** The sections with every personal detail masked. */
  public static Map<String, String> mask(Map<String, String> sections, String name, String email) {
    Map<String, String> out = new LinkedHashMap<>();
    sections.forEach((k, v) -> out.put(k, mask(v, name, email)));
    return out;
  }

  public static String mask(String text, String name, String email) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String s = text;
    if (email != null && !email.isBlank()) {
      s = Pattern.compile(Pattern.quote(email.strip()), Pattern.CASE_INSENSITIVE).matcher(s).replaceAll(Matcher.quoteReplacement(EMAIL));
    }
    s = PROFILES.matcher(s).replaceAll(Matcher.quoteReplacement(PROFILE));
    s = EMAILS.matcher(s).replaceAll(Matcher.quoteReplacement(EMAIL));
    s = PHONES.matcher(s).replaceAll(m -> m.group().replaceAll("\\D", "").length() >= 8 ? Matcher.quoteReplacement(PHONE)
        : Matcher.quoteReplacement(m.group()));
    if (name != null && !name.isBlank()) {
      String full = name.strip().replaceAll("\\s+", " ");
      // the full name whatever its case, with any run of spaces between its parts
      s = Pattern.compile("(?<!\\p{L})" + Pattern.quote(full).replace(" ", "\\E\\s+\\Q") + "(?!\\p{L})",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(s).replaceAll(Matcher.quoteReplacement(NAME));
      List<String> parts = new ArrayList<>(List.of(full.split(" ")));
      parts.removeIf(p -> p.codePointCount(0, p.length()) < 3);
      parts.sort(Comparator.comparingInt(String::length).reversed());
      for (String part : parts) {
        // as written in the name (so "Will" is masked and "will" not), and in capitals
        for (String form : List.of(part, part.toUpperCase(Locale.ROOT))) {
          s = Pattern.compile("(?<!\\p{L})" + Pattern.quote(form) + "(?!\\p{L})").matcher(s).replaceAll(Matcher.quoteReplacement(NAME));
        }
      }
    }
    return s;
  }
}

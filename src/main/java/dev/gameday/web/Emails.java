package dev.gameday.web;

import java.util.regex.Pattern;

/** The one email check for candidates and accounts: a plausible address within RFC 5321 lengths, nothing more. */
public final class Emails {
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,189}\\.[^@\\s]{1,63}$");

  private Emails() {
  }

  public static String name(String name) {
    return name;
  }

  public static boolean valid(String email) {
    return email != null && email.length() <= 254 && EMAIL.matcher(email).matches();
  }
}

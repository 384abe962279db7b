package dev.gameday.web;

/** A signed-in staff account (or an API token acting as a recruiter), as the routes that serve it see it. */
public record Account(long id, String email, String name, String role) {
  public boolean admin() {
    return "admin".equals(role);
  }

  /** A recruiter, or an admin (who can do everything a recruiter can). */
  public boolean recruits() {
    return "recruiter".equals(role) || admin();
  }
}

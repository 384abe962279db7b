package dev.gameday.web;

/**
 * A signed-in visitor, resolved from the session cookie on every request.
 *
 * @param invitationId set for candidates
 * @param accountId    set for reviewers and admins
 */
public record Session(byte[] idHash, String kind, Long invitationId, Long accountId, String role, String csrfToken,
                      String email, String name) {
  public static final String KEY = "gameday.session";

  public boolean candidate() {
    return "candidate".equals(kind);
  }

  public boolean account() {
    return "account".equals(kind);
  }

  /** A recruiter (sees candidates' names, never reviews). */
  public boolean recruiter() {
    return account() && "recruiter".equals(role);
  }

  /** A recruiter, or an admin (who can do everything a recruiter can). */
  public boolean recruits() {
    return recruiter() || admin();
  }

  public boolean admin() {
    return account() && "admin".equals(role);
  }

  /** A reviewer or an admin: may see review pages and answer keys (not recruiters, not the compliance role). */
  public boolean reviews() {
    return account() && ("reviewer".equals(role) || "admin".equals(role));
  }

  /** The compliance role: sees the adverse impact aggregates, nothing else. */
  public boolean compliance() {
    return account() && "compliance".equals(role);
  }
}

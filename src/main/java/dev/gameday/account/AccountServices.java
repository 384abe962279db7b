package dev.gameday.account;

import dev.gameday.web.Sessions;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;

/**
 * The staff accounts feature's stores, built once and shared by its routes (sign-in, administration, the own account
 * page, password reset, two-factor and single sign-on), so that none of those routes holds a database client.
 */
public record AccountServices(Lifecycle lifecycle, TwoFactor twoFactor, PasswordResets passwordResets,
                              OwnSessions ownSessions, SsoLogins ssoLogins) {
  /** {@code twoFactorRoles}: the roles that must use a second factor (GAMEDAY_2FA_REQUIRED_ROLES). */
  public static AccountServices create(Vertx vertx, Pool pool, Sessions sessions, String publicUrl, List<String> twoFactorRoles) {
    return new AccountServices(new Lifecycle(pool), new TwoFactor(pool, twoFactorRoles), new PasswordResets(vertx, pool, publicUrl),
        new OwnSessions(sessions, pool), new SsoLogins(pool));
  }
}

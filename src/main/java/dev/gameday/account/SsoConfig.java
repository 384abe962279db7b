package dev.gameday.account;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Single sign-on with an OpenID Connect provider (issue 23): read by {@code Config} from GAMEDAY_OIDC_ISSUER,
 * GAMEDAY_OIDC_CLIENT_ID, GAMEDAY_OIDC_CLIENT_SECRET, GAMEDAY_OIDC_ALLOWED_DOMAINS and GAMEDAY_SSO_ONLY. Off ({@link #OFF})
 * unless the issuer and the client id are both set; a half-done or malformed setting fails start-up with a sentence
 * naming the variable.
 *
 * @param issuer         the provider's issuer URL, without a trailing slash (discovery reads
 *                       {@code issuer + "/.well-known/openid-configuration"}); null when off
 * @param clientId       Gameday's client id at the provider; null when off
 * @param clientSecret   its secret, if the provider gave one (a confidential client)
 * @param allowedDomains email domains whose verified addresses may create a reviewer account at their first sign-in;
 *                       empty: accounts are never created by signing in (an admin invites first)
 * @param ssoOnly        password sign-in and password reset are off for staff (setup links still work)
 */
public record SsoConfig(String issuer, String clientId, Optional<String> clientSecret, List<String> allowedDomains,
                        boolean ssoOnly) {
  public static final SsoConfig OFF = new SsoConfig(null, null, Optional.empty(), List.of(), false);

  public SsoConfig {
    clientSecret = clientSecret == null ? Optional.empty() : clientSecret;
    allowedDomains = allowedDomains == null ? List.of() : List.copyOf(allowedDomains);
    if (issuer == null || clientId == null) {
      if (issuer != null || clientId != null) {
        throw new IllegalArgumentException("single sign-on needs both GAMEDAY_OIDC_ISSUER and GAMEDAY_OIDC_CLIENT_ID");
      }
      if (ssoOnly) {
        throw new IllegalArgumentException("GAMEDAY_SSO_ONLY=true needs single sign-on: set GAMEDAY_OIDC_ISSUER and "
            + "GAMEDAY_OIDC_CLIENT_ID");
      }
      if (clientSecret.isPresent() || !allowedDomains.isEmpty()) {
        throw new IllegalArgumentException("GAMEDAY_OIDC_CLIENT_SECRET and GAMEDAY_OIDC_ALLOWED_DOMAINS need "
            + "GAMEDAY_OIDC_ISSUER and GAMEDAY_OIDC_CLIENT_ID");
      }
    } else {
      issuer = checkIssuer(issuer.strip());
      clientId = clientId.strip();
      if (clientId.isEmpty() || clientId.length() > 255 || !clientId.matches("\\p{Graph}+")) {
        throw new IllegalArgumentException("GAMEDAY_OIDC_CLIENT_ID must be the client id the provider gave (printable, "
            + "no spaces, at most 255 characters)");
      }
      if (clientSecret.isPresent() && (clientSecret.get().isBlank() || clientSecret.get().length() > 1000)) {
        throw new IllegalArgumentException("GAMEDAY_OIDC_CLIENT_SECRET must not be blank (at most 1000 characters)");
      }
      for (String d : allowedDomains) {
        if (!d.matches("^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$")) {
          throw new IllegalArgumentException("GAMEDAY_OIDC_ALLOWED_DOMAINS: '" + d + "' is not a domain name (e.g. "
              + "example.com; comma-separated)");
        }
      }
    }
  }

  /** The settings from the environment's values (each may be null or blank). */
  public static SsoConfig parse(String issuer, String clientId, String clientSecret, String allowedDomains, String ssoOnly) {
    String only = blankToNull(ssoOnly) == null ? "false" : ssoOnly.strip().toLowerCase(Locale.ROOT);
    if (!only.equals("true") && !only.equals("false")) {
      throw new IllegalArgumentException("GAMEDAY_SSO_ONLY must be true or false, got '" + ssoOnly.strip() + "'");
    }
    List<String> domains = blankToNull(allowedDomains) == null ? List.of()
        : java.util.Arrays.stream(allowedDomains.split(",")).map(d -> d.strip().toLowerCase(Locale.ROOT))
            .filter(d -> !d.isEmpty()).distinct().toList();
    return new SsoConfig(blankToNull(issuer), blankToNull(clientId), Optional.ofNullable(blankToNull(clientSecret)),
        domains, Boolean.parseBoolean(only));
  }

  /** True when the issuer and client id are set. */
  public boolean enabled() {
    return issuer != null;
  }

  /** True when a verified address in this domain may create a reviewer account by signing in. */
  public boolean allows(String email) {
    int at = email.lastIndexOf('@');
    return at > 0 && allowedDomains.contains(email.substring(at + 1).toLowerCase(Locale.ROOT));
  }

  private static String checkIssuer(String raw) {
    String issuer = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
    URI uri;
    try {
      uri = new URI(issuer);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("GAMEDAY_OIDC_ISSUER is not a valid URL: " + raw);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost();
    if (host == null || !(scheme.equals("https") || scheme.equals("http")) || uri.getRawQuery() != null
        || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("GAMEDAY_OIDC_ISSUER must be the provider's issuer URL, https://host[/path] "
          + "(no query, fragment or credentials), got " + raw);
    }
    boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    if (scheme.equals("http") && !loopback) {
      throw new IllegalArgumentException("GAMEDAY_OIDC_ISSUER must use https:// (plain http only for localhost), got " + raw);
    }
    return issuer;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Never prints the client secret. */
  @Override
  public String toString() {
    return enabled() ? "SsoConfig[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret="
        + (clientSecret.isPresent() ? "(set)" : "(none)") + ", allowedDomains=" + allowedDomains + ", ssoOnly=" + ssoOnly + "]"
        : "SsoConfig[off]";
  }
}

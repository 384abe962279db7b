package dev.gameday;

import dev.gameday.web.TrustedProxies;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the process is configured with, read once at start-up from the environment (and flags that
 * override it). Nothing else in the code base reads {@code System.getenv}.
 *
 * @param databaseUrl a {@code postgresql://} URL, or empty for the embedded Postgres kept under {@code dataDir}
 * @param dataDir     where the embedded Postgres keeps its data, so that a restart keeps everything
 * @param port        HTTP port
 * @param exercisesDir the exercise library
 * @param publicUrl   the URL people reach the server at (links printed by the CLI); defaults to localhost
 * @param contact     who candidates write to for more time or help
 * @param trustedProxies the proxies whose {@code X-Forwarded-For} names the client; none by default
 * @param ops         logging, metrics and migration settings
 * @param smtpUrl     {@code smtp://user:pass@host:587[?tls=required]} or {@code smtps://...}; empty: email is off
 * @param mailFrom    the sender of candidates' emails
 * @param retentionDays days after which undecided, closed invitations lose their personal data; 0: never
 * @param integrations the egress policy and the Greenhouse callback hosts
 * @param staff       staff accounts' sign-in policy (session timeouts)
 * @param sso         single sign-on with an OpenID Connect provider ({@link dev.gameday.account.SsoConfig#OFF} when off)
 * @param autosave    how many autosaves are admitted at once, and how fast one page may send them (load shedding)
 */
public record Config(Optional<String> databaseUrl, Path dataDir, int port, Path exercisesDir, String publicUrl,
                     String contact, TrustedProxies trustedProxies, Ops ops, Optional<String> smtpUrl, String mailFrom,
                     int retentionDays, Integrations integrations, Staff staff,
                     dev.gameday.account.SsoConfig sso,
                     dev.gameday.web.LoadShedding.Limits autosave) {

  public static final int DEFAULT_PORT = 8080;

  /** Every environment variable this record reads (the README's configuration table documents each). */
  public static final java.util.List<String> VARIABLES = java.util.List.of("GAMEDAY_DATABASE_URL", "GAMEDAY_DATA_DIR",
      "GAMEDAY_PORT", "GAMEDAY_EXERCISES", "GAMEDAY_PUBLIC_URL", "GAMEDAY_TRUSTED_PROXIES", "GAMEDAY_CONTACT",
      "GAMEDAY_LOG_FORMAT", "GAMEDAY_METRICS_TOKEN", "GAMEDAY_MIGRATE_ON_START", "GAMEDAY_SMTP_URL", "GAMEDAY_MAIL_FROM",
      "GAMEDAY_RETENTION_DAYS", "GAMEDAY_EGRESS_ALLOW", "GAMEDAY_GREENHOUSE_HOSTS",
      "GAMEDAY_SESSION_IDLE_MINUTES", "GAMEDAY_SESSION_HOURS", "GAMEDAY_2FA_REQUIRED_ROLES",
      "GAMEDAY_OIDC_ISSUER", "GAMEDAY_OIDC_CLIENT_ID", "GAMEDAY_OIDC_CLIENT_SECRET", "GAMEDAY_OIDC_ALLOWED_DOMAINS",
      "GAMEDAY_SSO_ONLY", "GAMEDAY_AUTOSAVE_MAX_IN_FLIGHT", "GAMEDAY_AUTOSAVE_MAX_WAITING",
      "GAMEDAY_AUTOSAVE_MAX_WAIT_MS", "GAMEDAY_AUTOSAVE_SESSION_RATE", "GAMEDAY_AUTOSAVE_RETRY_AFTER",
      "GAMEDAY_DATABASE_POOL");

  /**
   * @param egress          the ranges allowed beyond the public internet for webhooks and callbacks (none by default)
   * @param greenhouseHosts the hosts a Greenhouse completion callback may go to: {@code host} (HTTPS only) or
   *                        {@code http://host} (plain HTTP too, for a test receiver)
   */
  public record Integrations(dev.gameday.integration.Egress egress, java.util.List<String> greenhouseHosts) {
    public static final Integrations DEFAULT = new Integrations(dev.gameday.integration.Egress.DEFAULT,
        java.util.List.of("app.greenhouse.io"));

    public Integrations {
      greenhouseHosts = greenhouseHosts.stream().map(h -> h.strip().toLowerCase(java.util.Locale.ROOT))
          .filter(h -> !h.isEmpty()).toList();
      for (String h : greenhouseHosts) {
        if (!h.matches("^(https?://)?[a-z0-9.\\[\\]:-]+$") || h.endsWith("://")) {
          throw new IllegalArgumentException("GAMEDAY_GREENHOUSE_HOSTS: '" + h + "' is not a host name (or http://host)");
        }
      }
    }

    static Integrations fromEnvironment(Map<String, String> env) {
      String hosts = blankToNull(env.get("GAMEDAY_GREENHOUSE_HOSTS"));
      return new Integrations(dev.gameday.integration.Egress.parse(env.get("GAMEDAY_EGRESS_ALLOW")),
          hosts == null ? DEFAULT.greenhouseHosts() : java.util.List.of(hosts.split(",")));
    }
  }

  /**
   * Staff accounts' sign-in policy.
   *
   * @param idleMinutes   a staff session ends after this long without a request
   * @param absoluteHours a staff session ends this long after sign-in, however active
   * @param twoFactorRoles the roles that must use two-factor authentication (none by default)
   */
  public record Staff(int idleMinutes, int absoluteHours, java.util.List<String> twoFactorRoles) {
    public static final Staff DEFAULT = new Staff(120, 12);

    public Staff(int idleMinutes, int absoluteHours) {
      this(idleMinutes, absoluteHours, java.util.List.of());
    }

    public Staff {
      twoFactorRoles = twoFactorRoles.stream().map(r -> r.strip().toLowerCase(java.util.Locale.ROOT))
          .filter(r -> !r.isEmpty()).distinct().toList();
      for (String r : twoFactorRoles) {
        if (!dev.gameday.account.Accounts.ROLES.contains(r)) {
          throw new IllegalArgumentException("GAMEDAY_2FA_REQUIRED_ROLES: '" + r + "' is not a role (reviewer, recruiter, "
              + "admin, compliance)");
        }
      }
      // housekeeping deletes sessions idle for a day
      if (idleMinutes < 5 || idleMinutes > 24 * 60) {
        throw new IllegalArgumentException("GAMEDAY_SESSION_IDLE_MINUTES must be between 5 and 1440, got " + idleMinutes);
      }
      if (absoluteHours < 1 || absoluteHours > 24 * 30) {
        throw new IllegalArgumentException("GAMEDAY_SESSION_HOURS must be between 1 and 720, got " + absoluteHours);
      }
      if (idleMinutes > absoluteHours * 60) {
        throw new IllegalArgumentException("GAMEDAY_SESSION_IDLE_MINUTES must not be longer than GAMEDAY_SESSION_HOURS");
      }
    }

    static Staff fromEnvironment(Map<String, String> env) {
      String roles = blankToNull(env.get("GAMEDAY_2FA_REQUIRED_ROLES"));
      return new Staff(number(env, "GAMEDAY_SESSION_IDLE_MINUTES", DEFAULT.idleMinutes),
          number(env, "GAMEDAY_SESSION_HOURS", DEFAULT.absoluteHours),
          roles == null ? java.util.List.of() : java.util.List.of(roles.split(",")));
    }
  }

  /**
   * @param logFormat      {@code text} or {@code json} (read by logback.xml itself; checked here so a typo fails)
   * @param metricsToken   the bearer token {@code /metrics} requires; without it, loopback only
   * @param migrateOnStart run migrations when the server starts (else {@code gameday migrate} does, before)
   * @param databasePool   how many connections the server holds to Postgres at most (issue 28: 8 by default; with 16
   *                       on 2 cores the reviewer queue's p99 was 52-139 ms against 14-24 ms with 8, at 5% more of
   *                       its throughput, as more backends than cores contend for the CPU the queries need)
   */
  public record Ops(String logFormat, Optional<String> metricsToken, boolean migrateOnStart, int databasePool) {
    public static final int DEFAULT_DATABASE_POOL = 8;
    public static final Ops DEFAULT = new Ops("text", Optional.empty(), true, DEFAULT_DATABASE_POOL);

    public Ops {
      if (!"text".equals(logFormat) && !"json".equals(logFormat)) {
        throw new IllegalArgumentException("GAMEDAY_LOG_FORMAT must be text or json, got '" + logFormat + "'");
      }
      if (databasePool < 1 || databasePool > 500) {
        throw new IllegalArgumentException("GAMEDAY_DATABASE_POOL must be between 1 and 500 connections, got "
            + databasePool);
      }
    }

    static Ops fromEnvironment(Map<String, String> env) {
      String migrate = Optional.ofNullable(blankToNull(env.get("GAMEDAY_MIGRATE_ON_START"))).orElse("true").trim();
      if (!migrate.equals("true") && !migrate.equals("false")) {
        throw new IllegalArgumentException("GAMEDAY_MIGRATE_ON_START must be true or false, got '" + migrate + "'");
      }
      return new Ops(Optional.ofNullable(blankToNull(env.get("GAMEDAY_LOG_FORMAT"))).orElse("text").trim(),
          Optional.ofNullable(blankToNull(env.get("GAMEDAY_METRICS_TOKEN"))).map(String::trim),
          Boolean.parseBoolean(migrate), number(env, "GAMEDAY_DATABASE_POOL", DEFAULT_DATABASE_POOL));
    }
  }

  public Config {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("GAMEDAY_PORT must be between 0 and 65535, got " + port);
    }
    databaseUrl.ifPresent(Config::requirePostgresUrl);
    smtpUrl = smtpUrl == null ? Optional.empty() : smtpUrl;
    smtpUrl.ifPresent(dev.gameday.recruiter.Mailer::settings);
    if (mailFrom == null || !mailFrom.strip().matches("^([^<>@]*<[^<>@\\s]+@[^<>@\\s]+>|[^<>@\\s]+@[^<>@\\s]+)$")) {
      throw new IllegalArgumentException("GAMEDAY_MAIL_FROM must be an email address, optionally as Name <address>");
    }
    if (retentionDays < 0 || retentionDays > 36500) {
      throw new IllegalArgumentException("GAMEDAY_RETENTION_DAYS must be 0 (off) or a number of days");
    }
    trustedProxies = trustedProxies == null ? TrustedProxies.NONE : trustedProxies;
    ops = ops == null ? Ops.DEFAULT : ops;
    integrations = integrations == null ? Integrations.DEFAULT : integrations;
    staff = staff == null ? Staff.DEFAULT : staff;
    sso = sso == null ? dev.gameday.account.SsoConfig.OFF : sso;
    autosave = autosave == null ? dev.gameday.web.LoadShedding.Limits.DEFAULT : autosave;
    publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    if (!publicUrl.startsWith("http://") && !publicUrl.startsWith("https://")) {
      throw new IllegalArgumentException("GAMEDAY_PUBLIC_URL must start with http:// or https://, got " + publicUrl);
    }
  }

  public static Config fromEnvironment(Map<String, String> env) {
    int port = DEFAULT_PORT;
    String rawPort = blankToNull(env.get("GAMEDAY_PORT"));
    if (rawPort != null) {
      try {
        port = Integer.parseInt(rawPort.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("GAMEDAY_PORT must be a number, got '" + rawPort + "'");
      }
    }
    String publicUrl = Optional.ofNullable(blankToNull(env.get("GAMEDAY_PUBLIC_URL")))
        .orElse("http://localhost:" + port);
    return new Config(
        Optional.ofNullable(blankToNull(env.get("GAMEDAY_DATABASE_URL"))),
        Path.of(Optional.ofNullable(blankToNull(env.get("GAMEDAY_DATA_DIR"))).orElse(".gameday")),
        port,
        Path.of(Optional.ofNullable(blankToNull(env.get("GAMEDAY_EXERCISES"))).orElse("exercises")),
        publicUrl,
        Optional.ofNullable(blankToNull(env.get("GAMEDAY_CONTACT")))
            .orElse("the recruiter who sent you this invitation"),
        TrustedProxies.parse(env.get("GAMEDAY_TRUSTED_PROXIES")), Ops.fromEnvironment(env),
        Optional.ofNullable(blankToNull(env.get("GAMEDAY_SMTP_URL"))),
        Optional.ofNullable(blankToNull(env.get("GAMEDAY_MAIL_FROM"))).map(String::strip).orElse("gameday@localhost"),
        number(env, "GAMEDAY_RETENTION_DAYS", 0), Integrations.fromEnvironment(env), Staff.fromEnvironment(env),
        dev.gameday.account.SsoConfig.parse(env.get("GAMEDAY_OIDC_ISSUER"), env.get("GAMEDAY_OIDC_CLIENT_ID"),
            env.get("GAMEDAY_OIDC_CLIENT_SECRET"), env.get("GAMEDAY_OIDC_ALLOWED_DOMAINS"), env.get("GAMEDAY_SSO_ONLY")),
        autosave(env));
  }

  private static dev.gameday.web.LoadShedding.Limits autosave(Map<String, String> env) {
    dev.gameday.web.LoadShedding.Limits d = dev.gameday.web.LoadShedding.Limits.DEFAULT;
    return new dev.gameday.web.LoadShedding.Limits(number(env, "GAMEDAY_AUTOSAVE_MAX_IN_FLIGHT", d.maxInFlight()),
        number(env, "GAMEDAY_AUTOSAVE_MAX_WAITING", d.maxWaiting()), number(env, "GAMEDAY_AUTOSAVE_MAX_WAIT_MS", d.maxWaitMillis()),
        number(env, "GAMEDAY_AUTOSAVE_SESSION_RATE", d.sessionRate()), number(env, "GAMEDAY_AUTOSAVE_RETRY_AFTER", d.retryAfterSeconds()));
  }

  private static int number(Map<String, String> env, String name, int dflt) {
    String raw = blankToNull(env.get(name));
    try {
      return raw == null ? dflt : Integer.parseInt(raw.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got '" + raw + "'");
    }
  }

  /** True when candidates' emails are sent (GAMEDAY_SMTP_URL is set). */
  public boolean email() {
    return smtpUrl.isPresent();
  }

  public Config withSmtp(String url) {
    return new Config(databaseUrl, dataDir, port, exercisesDir, publicUrl, contact, trustedProxies, ops, Optional.ofNullable(url),
        mailFrom, retentionDays, integrations, staff, sso, autosave);
  }

  public Config withRetentionDays(int days) {
    return new Config(databaseUrl, dataDir, port, exercisesDir, publicUrl, contact, trustedProxies, ops, smtpUrl, mailFrom, days, integrations, staff, sso, autosave);
  }

  public Config withPort(int newPort) {
    String url = publicUrl.equals("http://localhost:" + port) ? "http://localhost:" + newPort : publicUrl;
    return new Config(databaseUrl, dataDir, newPort, exercisesDir, url, contact, trustedProxies, ops, smtpUrl, mailFrom, retentionDays, integrations, staff, sso, autosave);
  }

  public Config withDatabaseUrl(String url) {
    return new Config(Optional.of(url), dataDir, port, exercisesDir, publicUrl, contact, trustedProxies, ops, smtpUrl, mailFrom, retentionDays, integrations, staff, sso, autosave);
  }

  public Config withTrustedProxies(String csv) {
    return new Config(databaseUrl, dataDir, port, exercisesDir, publicUrl, contact, TrustedProxies.parse(csv), ops, smtpUrl, mailFrom, retentionDays, integrations, staff, sso, autosave);
  }

  public Config withOps(Ops newOps) {
    return new Config(databaseUrl, dataDir, port, exercisesDir, publicUrl, contact, trustedProxies, newOps, smtpUrl, mailFrom, retentionDays, integrations, staff, sso, autosave);
  }

  public Config withIntegrations(Integrations changed) {
    return new Config(databaseUrl, dataDir, port, exercisesDir, publicUrl, contact, trustedProxies, ops, smtpUrl, mailFrom, retentionDays,
        changed, staff, sso, autosave);
  }

  public Config withExercisesDir(Path dir) {
    return new Config(databaseUrl, dataDir, port, dir, publicUrl, contact, trustedProxies, ops, smtpUrl, mailFrom, retentionDays, integrations, staff, sso, autosave);
  }

  public Config withStaff(Staff newStaff) {
    return new Config(databaseUrl, dataDir, port, exercisesDir, publicUrl, contact, trustedProxies, ops, smtpUrl, mailFrom, retentionDays,
        integrations, newStaff, sso, autosave);
  }

  public Config withSso(dev.gameday.account.SsoConfig newSso) {
    return new Config(databaseUrl, dataDir, port, exercisesDir, publicUrl, contact, trustedProxies, ops, smtpUrl, mailFrom, retentionDays,
        integrations, staff, newSso, autosave);
  }

  public Config withAutosave(dev.gameday.web.LoadShedding.Limits limits) {
    return new Config(databaseUrl, dataDir, port, exercisesDir, publicUrl, contact, trustedProxies, ops, smtpUrl, mailFrom, retentionDays,
        integrations, staff, sso, limits);
  }

  /** True when cookies must carry {@code Secure} and the {@code __Host-} prefix. */
  public boolean https() {
    return publicUrl.startsWith("https://");
  }

  public boolean embedded() {
    return databaseUrl.isEmpty();
  }

  private static void requirePostgresUrl(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("GAMEDAY_DATABASE_URL is not a valid URL");
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new IllegalArgumentException("GAMEDAY_DATABASE_URL must be a postgresql:// URL");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}

package dev.gameday.recruiter;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Candidates' emails over SMTP ({@code vertx-mail-client}), with text and HTML bodies rendered by {@link EmailTemplates}. {@code smtp://user:pass@host:587} uses STARTTLS when the server offers it,
 * {@code ?tls=required} insists on it, {@code smtps://} is TLS from the start.
 */
public final class Mailer {
  public static final List<String> KINDS = List.of("invitation", "reminder", "receipt", "password-reset", "time-request", "review-due",
      "review-overdue");

  /** A rendered email. */
  public record Message(String subject, String text, String html) {
  }

  private final Vertx vertx;
  private final MailClient client;
  private final String from;
  private final EmailTemplates templates = new EmailTemplates();

  public Mailer(Vertx vertx, MailConfig config, String from) {
    this.vertx = vertx;
    this.client = MailClient.create(vertx, config);
    this.from = from;
  }

  /**
   * The mail client's settings from {@code GAMEDAY_SMTP_URL}; an IllegalArgumentException for a bad one, whose
   * message never repeats the URL (it may hold a password).
   */
  public static MailConfig settings(String url) {
    URI u;
    try {
      u = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("GAMEDAY_SMTP_URL is not a valid URL");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase();
    if (!scheme.equals("smtp") && !scheme.equals("smtps")) {
      throw new IllegalArgumentException("GAMEDAY_SMTP_URL must start with smtp:// or smtps://");
    }
    if (u.getHost() == null || u.getHost().isBlank()) {
      throw new IllegalArgumentException("GAMEDAY_SMTP_URL has no host");
    }
    boolean tls = scheme.equals("smtps");
    boolean required = false;
    if (u.getRawQuery() != null) {
      for (String pair : u.getRawQuery().split("&")) {
        if (pair.equalsIgnoreCase("tls=required")) {
          required = true;
        } else if (!pair.isBlank()) {
          throw new IllegalArgumentException("GAMEDAY_SMTP_URL accepts only ?tls=required");
        }
      }
    }
    MailConfig c = new MailConfig().setHostname(u.getHost()).setPort(u.getPort() > 0 ? u.getPort() : tls ? 465 : 587)
        .setSsl(tls).setStarttls(tls ? StartTLSOptions.DISABLED : required ? StartTLSOptions.REQUIRED : StartTLSOptions.OPTIONAL)
        .setConnectTimeout(10_000).setKeepAlive(true).setMaxPoolSize(4);
    String info = u.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      String user = URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), StandardCharsets.UTF_8);
      String pass = colon < 0 ? "" : URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8);
      c.setUsername(user).setPassword(pass).setLogin(LoginOption.REQUIRED);
    } else {
      c.setLogin(LoginOption.DISABLED);
    }
    return c;
  }

  /** Renders an email (off the event loop: templates are work), as {@link EmailTemplates} does. */
  public Future<Message> render(String kind, Map<String, Object> model) {
    return vertx.executeBlocking(() -> templates.render(kind, model));
  }

  /** Sends one email; the answer is the server's message id. */
  public Future<String> send(String to, Message m) {
    MailMessage msg = new MailMessage().setFrom(from).setTo(to).setSubject(m.subject()).setText(m.text()).setHtml(m.html());
    return client.sendMail(msg).map(r -> r.getMessageID());
  }

  public Future<Void> close() {
    return client.close();
  }
}

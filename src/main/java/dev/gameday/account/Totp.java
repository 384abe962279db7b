package dev.gameday.account;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1, 30-second steps, 6 digits, the
 * parameters every authenticator app assumes. Checked against RFC 6238 Appendix B's test vectors.
 *
 * <p>Not {@code vertx-auth-otp}: its 5.0.7 {@code TotpAuth.authenticate} compares the code of the current step only
 * (no step either side, so a code typed as the step turns is refused), keeps no used step (a code works again and
 * again within its 30 seconds) and counts attempts without a time window. The check here does all three.
 */
public final class Totp {
  public static final int STEP_SECONDS = 30;
  public static final int DIGITS = 6;
  /** Steps either side of the current one a code may come from (clocks drift, people type slowly). */
  public static final int WINDOW = 1;
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Totp() {
  }

  /** A new 160-bit secret (RFC 4226 recommends 160 bits for HMAC-SHA1). */
  public static byte[] newSecret() {
    byte[] b = new byte[20];
    RANDOM.nextBytes(b);
    return b;
  }

  /** The time step a moment (seconds since the epoch) falls in. */
  public static long step(long epochSeconds) {
    return Math.floorDiv(epochSeconds, STEP_SECONDS);
  }

  /** The code of one time step, with {@code digits} digits (RFC 4226 section 5.3's dynamic truncation). */
  public static String code(byte[] secret, long step, int digits, String algorithm) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(secret, algorithm));
      byte[] h = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(step).array());
      int o = h[h.length - 1] & 0xf;
      int bin = (h[o] & 0x7f) << 24 | (h[o + 1] & 0xff) << 16 | (h[o + 2] & 0xff) << 8 | h[o + 3] & 0xff;
      int mod = (int) Math.pow(10, digits);
      return String.format("%0" + digits + "d", bin % mod);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String code(byte[] secret, long step) {
    return code(secret, step, DIGITS, "HmacSHA1");
  }

  /**
   * The step a code matches, within {@link #WINDOW} steps of now, that is later than {@code lastStep} (a step whose
   * code was already accepted cannot be used again); -1 if none. Compares in constant time.
   */
  public static long verify(byte[] secret, String code, long epochSeconds, Long lastStep) {
    if (code == null) {
      return -1;
    }
    String c = code.replaceAll("\\s", "");
    if (!c.matches("\\d{" + DIGITS + "}")) {
      return -1;
    }
    long now = step(epochSeconds);
    long found = -1;
    for (long s = now - WINDOW; s <= now + WINDOW; s++) {
      boolean same = java.security.MessageDigest.isEqual(code(secret, s).getBytes(StandardCharsets.US_ASCII),
          c.getBytes(StandardCharsets.US_ASCII));
      if (same && found < 0 && (lastStep == null || s > lastStep)) {
        found = s;
      }
    }
    return found;
  }

  /** RFC 4648 base32 without padding: how authenticator apps take a secret typed by hand. */
  public static String base32(byte[] data) {
    StringBuilder sb = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = buffer << 8 | b & 0xff;
      bits += 8;
      while (bits >= 5) {
        sb.append(BASE32.charAt(buffer >> bits - 5 & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(BASE32.charAt(buffer << 5 - bits & 31));
    }
    return sb.toString();
  }

  /** RFC 4648 base32 decoded (spaces, padding and case ignored), as an app reads a typed secret. */
  public static byte[] fromBase32(String text) {
    String t = text.replaceAll("[\\s=]", "").toUpperCase(java.util.Locale.ROOT);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char ch : t.toCharArray()) {
      int v = BASE32.indexOf(ch);
      if (v < 0) {
        throw new IllegalArgumentException("not base32: " + ch);
      }
      buffer = buffer << 5 | v;
      bits += 5;
      if (bits >= 8) {
        out.write(buffer >> bits - 8 & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }

  /** The secret in groups of four characters, easier to read and type. */
  public static String grouped(byte[] secret) {
    return base32(secret).replaceAll("(.{4})(?!$)", "$1 ");
  }

  /** The {@code otpauth://} URI authenticator apps read from the QR code. */
  public static String uri(String issuer, String account, byte[] secret) {
    String label = enc(issuer) + ":" + enc(account);
    return "otpauth://totp/" + label + "?secret=" + base32(secret) + "&issuer=" + enc(issuer)
        + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The text as a QR code, an SVG image in a {@code data:} URL (no request leaves the page; CSP allows data: images). */
  public static String qrDataUrl(String text) {
    BitMatrix m;
    try {
      m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
          Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4));
    } catch (WriterException e) {
      throw new IllegalStateException(e);
    }
    int w = m.getWidth();
    int h = m.getHeight();
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (m.get(x, y)) {
          path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
        }
      }
    }
    String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + w + " " + h + "\" shape-rendering=\"crispEdges\">"
        + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
    return "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8));
  }

  /** A recovery code: 10 base32 characters (50 bits) as {@code xxxxx-xxxxx}, lower case. */
  public static String newRecoveryCode() {
    byte[] b = new byte[7];
    RANDOM.nextBytes(b);
    String s = base32(b).substring(0, 10).toLowerCase(java.util.Locale.ROOT);
    return s.substring(0, 5) + "-" + s.substring(5);
  }

  /** A recovery code as typed, normalised (case, spaces and dashes do not matter), or null if it cannot be one. */
  public static String normaliseRecovery(String typed) {
    if (typed == null) {
      return null;
    }
    String s = typed.replaceAll("[\\s-]", "").toLowerCase(java.util.Locale.ROOT);
    return s.matches("[a-z2-7]{10}") ? s : null;
  }
}

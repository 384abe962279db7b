package bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An open-loop autosave load: a fixed request rate, whatever the server's latency (wrk is closed-loop and hides
 * queueing). {@code openloop HOST PORT RATE SECONDS SESSIONS_FILE}: each line of the file is
 * {@code cookie csrf}; candidate i saves rev = base + n with ~2 KB of Markdown. Prints one JSON line: sent, ok,
 * errors, p50/p99/max in ms, and each candidate's last acknowledged rev (to check against the database).
 * {@code openloop HOST PORT RATE SECONDS SESSIONS_FILE ACKED_FILE WARMUP_SECONDS}: first sends WARMUP_SECONDS rising
 * evenly from 0 to RATE, whose latencies are reported apart ({@code warmup_p99_ms}: this client's own JIT and its connections
 * opening), then the SECONDS measured; every acknowledged revision of both counts for the lost-revision check. The
 * three measured seconds with the highest p99 are listed, so a tail from one stall shows as one; and for every measured
 * second its p99, this client's longest send lag and how many answers were refusals, so a second's tail can be set
 * against this client's own lateness and the burst it then sends.
 * {@code send_lag_p99_ms} and {@code send_lag_max_ms}: how late this client handed requests to its HTTP client
 * against their schedule (its timer late, its own event loop busy or the machine not running it); that part of a
 * latency is the client's, though it is counted in the latency as the method requires.
 *
 * <p>Latency runs from each request's scheduled send time, not from when it was actually sent, so a client that
 * falls behind does not hide the server's queueing (no coordinated omission). Answers are counted apart: accepted
 * (200), shed (503 with Retry-After), too fast (429 with Retry-After) and errors (anything else, a 503 or 429
 * without Retry-After included), with the p99 of accepted and of refused answers.
 */
public final class OpenLoop {
  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    int rate = Integer.parseInt(args[2]);
    int measured = Integer.parseInt(args[3]);
    int warmup = args.length > 6 ? Integer.parseInt(args[6]) : 0;
    int seconds = warmup + measured;
    List<String[]> sessions = Files.readAllLines(Path.of(args[4])).stream().filter(l -> !l.isBlank())
        .map(l -> l.trim().split("\\s+")).toList();
    Vertx vertx = Vertx.vertx();
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(host).setDefaultPort(port)
        // the server closes a kept-alive connection that brings no request for 15 to 30 s (HttpVerticle.HEAD_TIMEOUT);
        // a client that keeps it longer races that close and sees "Connection was closed" (a browser resends an
        // idempotent PUT then; this client would count an error), so it lets idle connections go after 10 s
        .setKeepAlive(true).setKeepAliveTimeout(10), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(256));
    String text = "Markdown autosave text with `code`, *emphasis* and a list:\n\n- one\n- two\n\n".repeat(25);
    // the warm-up ramps from 0 to RATE (rate * warmup / 2 requests): a cold client sending the full rate from its
    // first millisecond, its JIT still compiling and its connections opening, built a backlog of seconds that the
    // measured part then spent draining (measured: p99 4 s in the first second, 100 ms once drained)
    long warmCount = (long) rate * warmup / 2;
    long total = warmCount + (long) rate * measured;
    long[] latencies = new long[(int) total];
    byte[] kinds = new byte[(int) total]; // 1 accepted, 2 shed or too fast, 3 error
    long[] lags = new long[(int) total]; // how late this client itself handed each request over, against its schedule
    AtomicLong shed = new AtomicLong();
    AtomicLong tooFast = new AtomicLong();
    long[] lastRev = new long[sessions.size()];
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    java.util.concurrent.ConcurrentHashMap<String, AtomicLong> causes = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicLong done = new AtomicLong();
    CountDownLatch finished = new CountDownLatch(1);
    long base = System.currentTimeMillis() * 1000;
    long start = System.nanoTime();
    vertx.setPeriodic(1, id -> {
      if (sentCount.get() >= total) {
        vertx.cancelTimer(id);
        return;
      }
      double t = (System.nanoTime() - start) / 1e9;
      long due = Math.min(total, (t < warmup ? (long) (rate * t * t / (2.0 * warmup)) : warmCount + (long) ((t - warmup) * rate)) + 1);
      while (sentCount.get() < due) {
        long n = sentCount.getAndIncrement();
        int c = (int) (n % sessions.size());
        long rev = base + n;
        String[] s = sessions.get(c);
        long t0 = start + scheduled(n, rate, warmup, warmCount); // the scheduled send time
        inFlight.incrementAndGet();
        lags[(int) n] = System.nanoTime() - t0;
        client.request(HttpMethod.PUT, "/api/v1/candidate/answers/incident-postmortem")
            .putHeader("Cookie", "gameday=" + s[0] + "; XSRF-TOKEN=" + s[1]).putHeader("X-XSRF-TOKEN", s[1])
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer(new JsonObject().put("rev", rev)
                .put("sections", new JsonObject().put("summary", text + n)).encode()))
            .onComplete(ar -> {
              latencies[(int) n] = System.nanoTime() - t0;
              int status = ar.succeeded() ? ar.result().statusCode() : 0;
              boolean retryAfter = ar.succeeded() && ar.result().getHeader("Retry-After") != null;
              if (status == 200) {
                ok.incrementAndGet();
                kinds[(int) n] = 1;
                synchronized (lastRev) {
                  lastRev[c] = Math.max(lastRev[c], rev);
                }
              } else if ((status == 503 || status == 429) && retryAfter) {
                (status == 503 ? shed : tooFast).incrementAndGet();
                kinds[(int) n] = 2;
              } else {
                errors.incrementAndGet();
                String cause = ar.succeeded() ? "HTTP " + status : ar.cause().getClass().getSimpleName() + ": " + ar.cause().getMessage();
                causes.computeIfAbsent(cause.length() > 120 ? cause.substring(0, 120) : cause, k -> new AtomicLong()).incrementAndGet();
                kinds[(int) n] = 3;
              }
              inFlight.decrementAndGet();
              if (done.incrementAndGet() == total) {
                finished.countDown();
              }
            });
      }
    });
    finished.await();
    int skip = (int) warmCount;
    long[] warm = Arrays.copyOf(latencies, skip);
    Arrays.sort(warm);
    long[] measuredLatencies = Arrays.copyOfRange(latencies, skip, latencies.length);
    byte[] measuredKinds = Arrays.copyOfRange(kinds, skip, kinds.length);
    long[] sorted = measuredLatencies.clone();
    Arrays.sort(sorted);
    io.vertx.core.json.JsonArray worst = new io.vertx.core.json.JsonArray();
    io.vertx.core.json.JsonArray bySecond = new io.vertx.core.json.JsonArray();
    io.vertx.core.json.JsonArray lagBySecond = new io.vertx.core.json.JsonArray();
    io.vertx.core.json.JsonArray refusedBySecond = new io.vertx.core.json.JsonArray();
    double[] p99s = new double[measured];
    for (int sec = 0; sec < measured; sec++) { // where a backlog formed and drained
      long[] one = Arrays.copyOfRange(measuredLatencies, sec * rate, (sec + 1) * rate);
      Arrays.sort(one);
      p99s[sec] = ms(one, 0.99);
      bySecond.add(Math.round(p99s[sec]));
      long lagMax = 0;
      int refusedCount = 0;
      for (int i = skip + sec * rate; i < skip + (sec + 1) * rate; i++) {
        lagMax = Math.max(lagMax, lags[i]);
        refusedCount += kinds[i] == 2 ? 1 : 0;
      }
      lagBySecond.add(Math.round(lagMax / 1e6));
      refusedBySecond.add(refusedCount);
    }
    java.util.stream.IntStream.range(0, measured).boxed().sorted((a, b) -> Double.compare(p99s[b], p99s[a])).limit(3)
        .forEach(sec -> worst.add(new JsonObject().put("second", sec + 1).put("p99_ms", p99s[sec])));
    StringBuilder revs = new StringBuilder();
    for (int i = 0; i < lastRev.length; i++) {
      if (lastRev[i] > 0) {
        revs.append(sessions.get(i)[0]).append(' ').append(lastRev[i]).append('\n');
      }
    }
    if (args.length > 5) {
      Files.writeString(Path.of(args[5]), revs.toString());
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] accepted = of(measuredLatencies, measuredKinds, (byte) 1);
    long[] measuredLags = Arrays.copyOfRange(lags, skip, lags.length);
    Arrays.sort(measuredLags);
    long[] refused = of(measuredLatencies, measuredKinds, (byte) 2);
    JsonObject errorCauses = new JsonObject();
    causes.forEach((k, v) -> errorCauses.put(k, v.get()));
    System.out.println(new JsonObject().put("rate", rate).put("seconds", measured).put("warmup_seconds", warmup).put("sent", total)
        .put("ok", ok.get()).put("shed_503", shed.get()).put("too_fast_429", tooFast.get()).put("errors", errors.get())
        .put("elapsed_s", Math.round(elapsed * 10) / 10.0)
        .put("p50_ms", ms(sorted, 0.50)).put("p99_ms", ms(sorted, 0.99)).put("max_ms", ms(sorted, 1.0))
        .put("accepted_p99_ms", ms(accepted, 0.99)).put("refused_p99_ms", ms(refused, 0.99))
        .put("warmup_p99_ms", ms(warm, 0.99)).put("send_lag_p99_ms", ms(measuredLags, 0.99))
        .put("send_lag_max_ms", ms(measuredLags, 1.0)).put("worst_seconds", worst)
        .put("p99_ms_by_second", bySecond).put("send_lag_max_ms_by_second", lagBySecond)
        .put("refused_by_second", refusedBySecond).put("error_causes", errorCauses)
        .put("latency_from", "scheduled send time").encode());
    vertx.close();
    System.exit(0);
  }

  private static final AtomicLong sentCount = new AtomicLong();
  private static final AtomicLong inFlight = new AtomicLong();

  /** Request n's send time from the start, in nanoseconds: on the warm-up's ramp, then every 1/rate s. */
  static long scheduled(long n, int rate, int warmup, long warmCount) {
    double seconds = n < warmCount ? Math.sqrt(2.0 * warmup * n / rate) : warmup + (double) (n - warmCount) / rate;
    return (long) (seconds * 1e9);
  }

  /** The latencies of one kind of answer, sorted. */
  private static long[] of(long[] latencies, byte[] kinds, byte kind) {
    long[] out = java.util.stream.IntStream.range(0, latencies.length).filter(i -> kinds[i] == kind)
        .mapToLong(i -> latencies[i]).toArray();
    Arrays.sort(out);
    return out;
  }

  private static double ms(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1);
    return Math.round(sorted[Math.max(0, i)] / 1e4) / 100.0;
  }
}

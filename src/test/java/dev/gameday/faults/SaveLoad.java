package dev.gameday.faults;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * Simulated candidates saving continuously, like the page does while they type: each save carries the next
 * revision and a text derived from it, so the database can be checked afterwards against every save the server
 * acknowledged. Every answer is counted by status; a 503 must carry {@code "error": "unavailable"} (the database is
 * out of reach) or {@code "overloaded"} with {@code Retry-After} (more saves waiting than the server admits at once,
 * as when a stall holds more saves than the 24 in flight and 16 waiting of the defaults). Both lose nothing: the page
 * keeps the text and sends it again.
 */
final class SaveLoad {
  /** A save the server acknowledged with 200 and its revision. */
  record Ack(int candidate, long rev, long sentNanos) {
  }

  record Candidate(Client client, long invitationId) {
  }

  private final Vertx vertx;
  private final List<Candidate> candidates;
  private final IntSupplier port;
  private final long[] revs;
  final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
  final Map<String, AtomicLong> counts = new ConcurrentHashMap<>(); // "200", "503 unavailable", "500", "connection"...
  final Map<String, AtomicLong> countsWhileDown = new ConcurrentHashMap<>();
  final ConcurrentLinkedQueue<String> badBodies = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Long> connectionErrorsSent = new ConcurrentLinkedQueue<>();
  volatile boolean down;
  private volatile boolean running;
  private CountDownLatch stopped;

  SaveLoad(Vertx vertx, List<Candidate> candidates, IntSupplier port) {
    this.vertx = vertx;
    this.candidates = candidates;
    this.port = port;
    this.revs = new long[candidates.size()];
    // revisions only grow, also across loads on the same candidates: start above anything stored before
    java.util.Arrays.fill(revs, System.currentTimeMillis() * 1000);
  }

  static String text(int candidate, long rev) {
    return "Candidate " + candidate + ", revision " + rev + ": the registry's pool was exhausted \u2014 r\u00e9sum\u00e9 \u2713";
  }

  void start() {
    running = true;
    stopped = new CountDownLatch(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      int c = i;
      vertx.setTimer(1 + (i * 7L) % 50, t -> next(c));
    }
  }

  private void next(int c) {
    if (!running) {
      stopped.countDown();
      return;
    }
    long rev = ++revs[c];
    long sent = System.nanoTime();
    boolean wasDown = down;
    Future<HttpResponse<Buffer>> f = candidates.get(c).client().save(port.getAsInt(), rev, text(c, rev));
    f.onComplete(ar -> {
      String kind;
      if (ar.failed()) {
        kind = "connection error";
        connectionErrorsSent.add(sent);
      } else {
        HttpResponse<Buffer> r = ar.result();
        kind = classify(r);
        if (kind.equals("200")) {
          acks.add(new Ack(c, rev, sent));
        }
      }
      count(counts, kind);
      if (wasDown || down) {
        count(countsWhileDown, kind);
      }
      vertx.setTimer(kind.equals("200") ? 20 : 100, t -> next(c));
    });
  }

  private String classify(HttpResponse<Buffer> r) {
    int s = r.statusCode();
    JsonObject body;
    try {
      body = r.bodyAsJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (s == 200 && body != null && body.getValue("rev") instanceof Number) {
      return "200";
    }
    if (s == 503 && body != null && "unavailable".equals(body.getString("error")) && body.getString("message") != null
        && !r.bodyAsString().contains("Exception")) {
      return "503 unavailable";
    }
    if (s == 503 && body != null && "overloaded".equals(body.getString("error")) && body.getString("message") != null
        && r.getHeader("Retry-After") != null) {
      return "503 overloaded";
    }
    if (badBodies.size() < 20) {
      badBodies.add(s + " " + r.bodyAsString());
    }
    return String.valueOf(s);
  }

  private static void count(Map<String, AtomicLong> m, String kind) {
    m.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
  }

  long count(String kind) {
    AtomicLong n = counts.get(kind);
    return n == null ? 0 : n.get();
  }

  long countWhileDown(String kind) {
    AtomicLong n = countsWhileDown.get(kind);
    return n == null ? 0 : n.get();
  }

  /** Every answer that is neither 200 nor a proper 503 of either kind (e.g. a 500), by status. */
  long wrongAnswers() {
    return counts.entrySet().stream().filter(e -> !e.getKey().equals("200") && !e.getKey().equals("503 unavailable")
        && !e.getKey().equals("503 overloaded") && !e.getKey().equals("connection error")).mapToLong(e -> e.getValue().get()).sum();
  }

  long connectionErrorsSentBefore(long nanos) {
    return connectionErrorsSent.stream().filter(t -> t < nanos).count();
  }

  long acksAfter(long nanos) {
    return acks.stream().filter(a -> a.sentNanos() > nanos).count();
  }

  /** Stops sending and waits (bounded) for the requests in flight. */
  void stop() throws InterruptedException {
    running = false;
    if (!stopped.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("saves still in flight after 60 s");
    }
  }

  /**
   * Checks every acknowledged save against the database: the stored answer has that revision or a later one, and
   * its text is the text of the stored revision. Returns the problems (empty when every save is found).
   */
  List<String> verify(Connection db) throws Exception {
    List<String> problems = new ArrayList<>();
    long[] maxAck = new long[candidates.size()];
    for (Ack a : acks) {
      maxAck[a.candidate()] = Math.max(maxAck[a.candidate()], a.rev());
    }
    try (PreparedStatement ps = db.prepareStatement(
        "select rev, sections->>'summary' from answers where invitation_id = ? and exercise_id = 'incident-postmortem'")) {
      for (int c = 0; c < candidates.size(); c++) {
        if (maxAck[c] == 0) {
          continue;
        }
        ps.setLong(1, candidates.get(c).invitationId());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            problems.add("candidate " + c + ": acknowledged rev " + maxAck[c] + ", nothing stored");
            continue;
          }
          long rev = rs.getLong(1);
          String text = rs.getString(2);
          if (rev < maxAck[c]) {
            problems.add("candidate " + c + ": acknowledged rev " + maxAck[c] + ", stored rev " + rev);
          } else if (!text(c, rev).equals(text)) {
            problems.add("candidate " + c + ": stored rev " + rev + " holds the wrong text: " + text);
          }
        }
      }
    }
    return problems;
  }

  String summary() {
    return "saves acknowledged " + acks.size() + ", by answer " + new java.util.TreeMap<>(counts)
        + ", while the database was down " + new java.util.TreeMap<>(countsWhileDown);
  }
}

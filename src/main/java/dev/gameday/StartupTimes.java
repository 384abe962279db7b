package dev.gameday;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of a start and how long each took, for one log line ("Started in 2.1 s since the JVM began: database 5
 * ms, migrations 640 ms, ..."): what to look at first when the start is slow.
 */
final class StartupTimes {
  private final long jvmStartMillis = ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
  private final long first = System.currentTimeMillis();
  private long last = first;
  private final List<String> steps = new ArrayList<>();

  /** Ends a step: its duration is the time since the previous mark (or since this object was made). */
  synchronized void mark(String step) {
    long now = System.currentTimeMillis();
    steps.add(step + " " + (now - last) + " ms");
    last = now;
  }

  @Override
  public synchronized String toString() {
    String total = jvmStartMillis > 0 ? Duration.ofMillis(last - jvmStartMillis).toMillis() + " ms since the JVM began ("
        + (first - jvmStartMillis) + " ms before Gameday.open)" : (last - first) + " ms";
    return total + ": " + String.join(", ", steps);
  }
}

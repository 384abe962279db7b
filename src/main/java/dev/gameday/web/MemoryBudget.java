package dev.gameday.web;

/**
 * How much of the heap the server's caches may hold, as shares of the maximum heap ({@code -Xmx}), so that a server
 * run in 512 MiB keeps room for what is not cached: a CSV export streaming, thousands of saves a second being parsed
 * and refused, the pools' buffers. With fixed bounds (64 MiB of kept exercise panes, 64 MiB of variant files, 32 M
 * characters of rendered Markdown) bench/run's overload scenario ran a 512 MiB server out of heap (issue 28).
 *
 * <p>The shares, of the maximum heap: the exercise page's kept reading panes 1/16, variant evidence files 1/16,
 * rendered Markdown 1/32 in characters (at most twice that in bytes): at most a quarter of the heap in all.
 */
public final class MemoryBudget {
  private MemoryBudget() {
  }

  /** {@code 1/divisor} of the maximum heap, in bytes, at least {@code floor}. */
  public static long share(int divisor, long floor) {
    return Math.max(floor, Runtime.getRuntime().maxMemory() / divisor);
  }

  /** Bytes of the exercise page's kept reading panes. */
  public static long readPanes() {
    return share(16, 4L * 1024 * 1024);
  }

  /** Bytes of variant evidence files kept. */
  public static long variantFiles() {
    return share(16, 4L * 1024 * 1024);
  }

  /** Characters of rendered Markdown kept. */
  public static long markdownChars() {
    return share(32, 2L * 1024 * 1024);
  }
}

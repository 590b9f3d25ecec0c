package io.multihome.agent.cluster;

import java.time.Duration;

/**
 * Retry schedule: {@code attempts} tries, waits doubling from {@code initial} up to {@code max}.
 */
public record Backoff(int attempts, Duration initial, Duration max) {
  public static final Backoff DEFAULT =
      new Backoff(5, Duration.ofSeconds(1), Duration.ofSeconds(30));

  public Backoff {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
    }
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 <= initial <= max, got " + initial + ", " + max);
    }
  }

  /** The wait after failed attempt {@code failed} (1-based). */
  public Duration delayAfter(int failed) {
    long ms = initial.toMillis();
    for (int i = 1; i < failed && ms < max.toMillis(); i++) {
      ms *= 2;
    }
    return Duration.ofMillis(Math.min(ms, max.toMillis()));
  }
}

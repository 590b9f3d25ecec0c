package io.multihome.agent.cni.ipam;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded retries for optimistic-concurrency races: at most {@code attempts} tries, sleeping a
 * random time up to {@code base · 2^n} (capped) between them ("full jitter"), so daemons on
 * different nodes that lost the same race do not collide again in lock step.
 */
public record Backoff(int attempts, Duration base, Duration cap) {

  public static Backoff defaults() {
    return new Backoff(40, Duration.ofMillis(5), Duration.ofMillis(400));
  }

  public Backoff {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
    }
  }

  /** Sleeps before attempt {@code attempt + 1} (0-based {@code attempt} just failed). */
  public void pause(int attempt) throws InterruptedException {
    long ceiling = Math.min(cap.toNanos(), base.toNanos() << Math.min(attempt, 20));
    long nanos = ThreadLocalRandom.current().nextLong(ceiling + 1);
    Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
  }
}

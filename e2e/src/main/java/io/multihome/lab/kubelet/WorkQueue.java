package io.multihome.lab.kubelet;

import io.multihome.agent.cluster.Backoff;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller work queue as client-go's: keys (e.g. {@code namespace/name}) to reconcile, each
 * handled by at most one worker at a time; a key enqueued while it is being handled runs once more
 * afterwards; a reconcile that throws is retried with backoff. Informer handlers only enqueue, so
 * they never wait on the API or a CNI plugin.
 */
final class WorkQueue implements AutoCloseable {
  /** Brings one key's world in line; throw to be retried later. */
  @FunctionalInterface
  interface Reconciler {
    void reconcile(String key) throws Exception;
  }

  private static final Logger log = LoggerFactory.getLogger(WorkQueue.class);

  private final String name;
  private final Reconciler reconciler;
  private final Backoff backoff;
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final Set<String> queued = new HashSet<>();
  private final Set<String> running = new HashSet<>();
  private final Set<String> dirty = new HashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private boolean closed;

  WorkQueue(String name, int threads, Backoff backoff, Reconciler reconciler) {
    this.name = name;
    this.reconciler = reconciler;
    this.backoff = backoff;
    var count = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              var t = new Thread(r, name + "-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, name + "-timer");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * A controller's queue: one worker, failures retried after 0.5 s doubling up to 10 s (what the
   * lab's scheduler, garbage collector and workload controllers share).
   */
  static WorkQueue controller(String name, Reconciler reconciler) {
    return new WorkQueue(
        name, 1, new Backoff(1, Duration.ofMillis(500), Duration.ofSeconds(10)), reconciler);
  }

  void enqueue(String key) {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (running.contains(key)) {
        dirty.add(key);
        return;
      }
      if (!queued.add(key)) {
        return;
      }
    }
    try {
      workers.execute(() -> run(key));
    } catch (RejectedExecutionException e) {
      log.debug("{}: closed, dropping {}", name, key);
    }
  }

  void enqueueAfter(String key, Duration delay) {
    try {
      timer.schedule(() -> enqueue(key), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("{}: closed, dropping {}", name, key);
    }
  }

  private void run(String key) {
    synchronized (this) {
      queued.remove(key);
      running.add(key);
    }
    try {
      reconciler.reconcile(key);
      synchronized (this) {
        failures.remove(key);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      int n;
      synchronized (this) {
        n = failures.merge(key, 1, Integer::sum);
      }
      Duration delay = backoff.delayAfter(n);
      log.warn(
          "{}: {} failed (attempt {}), retrying in {} ms: {}",
          name,
          key,
          n,
          delay.toMillis(),
          e.toString());
      enqueueAfter(key, delay);
    } finally {
      boolean again;
      synchronized (this) {
        running.remove(key);
        again = dirty.remove(key);
      }
      if (again) {
        enqueue(key);
      }
    }
  }

  /** Stops taking keys; waits for running reconciles to finish. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    timer.shutdownNow();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(90, TimeUnit.SECONDS)) {
        log.warn("{}: workers still busy after 90 s", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package io.multihome.controller.nncp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The bounded pool the reconciler's API calls run on. A pass hands it one task per enactment and
 * waits for all of them, so a 1000-node policy needs about 1000 / threads round-trip times instead
 * of 1000; the pool is shared by all passes, so the number of requests in flight stays bounded
 * however many policies reconcile at once.
 */
final class ParallelWrites implements AutoCloseable {
  private final ExecutorService pool;

  ParallelWrites(int threads) {
    var counter = new AtomicInteger();
    pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              var t = new Thread(r, "nnce-writer-" + counter.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Runs {@code task} on every item and returns the non-null results (in no particular order).
   * Waits for all tasks even when one fails, then rethrows the first failure.
   */
  <T, R> List<R> runAll(Collection<T> items, Function<T, R> task) {
    var out = new ArrayList<R>(items.size());
    if (items.isEmpty()) {
      return out;
    }
    if (items.size() == 1) {
      var r = task.apply(items.iterator().next());
      if (r != null) {
        out.add(r);
      }
      return out;
    }
    var calls = new ArrayList<Callable<R>>(items.size());
    for (var item : items) {
      calls.add(() -> task.apply(item));
    }
    List<Future<R>> futures;
    try {
      futures = pool.invokeAll(calls);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing enactments", e);
    }
    RuntimeException failure = null;
    for (var f : futures) {
      try {
        var r = f.get();
        if (r != null) {
          out.add(r);
        }
      } catch (ExecutionException e) {
        if (failure == null) {
          failure =
              e.getCause() instanceof RuntimeException re
                  ? re
                  : new IllegalStateException(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while writing enactments", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return out;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}

package io.multihome.agent.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One apply at a time per target: an exclusive lock on {@code <checkpoint file>.lock} (the agent
 * and a {@code multihome apply} run by hand on the same node are two processes), and within one JVM
 * a lock per file (the file lock is held per process, not per thread). A second apply waits for the
 * first up to its own timeout, then is refused before anything changes. The kernel releases the
 * file lock when a process dies, so a crashed apply never blocks the next (whose checkpoint check
 * then rolls the crashed one back).
 */
final class ApplyLock implements AutoCloseable {
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS =
      new ConcurrentHashMap<>();
  private static final long POLL_MS = 20;

  private final ReentrantLock inProcess;
  private final FileChannel channel;
  private final FileLock lock;
  private final boolean waited;

  private ApplyLock(ReentrantLock inProcess, FileChannel channel, FileLock lock, boolean waited) {
    this.inProcess = inProcess;
    this.channel = channel;
    this.lock = lock;
    this.waited = waited;
  }

  /**
   * Takes the lock of {@code file}, waiting at most {@code wait}; throws {@link
   * IllegalStateException} naming the file when another apply still holds it.
   */
  static ApplyLock take(Path file, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    var mine =
        IN_PROCESS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new ReentrantLock());
    boolean waited = !mine.tryLock();
    try {
      if (waited
          && !mine.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw busy(file, wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw busy(file, wait);
    }
    if (mine.getHoldCount() > 1) {
      return new ApplyLock(mine, null, null, false); // nested in this thread's own apply
    }
    FileChannel ch = null;
    try {
      Files.createDirectories(file.getParent());
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      while (true) {
        FileLock l;
        try {
          l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
          l = null; // held through another channel of this JVM (not ours: we hold the JVM's lock)
        }
        if (l != null) {
          return new ApplyLock(mine, ch, l, waited);
        }
        waited = true;
        if (System.nanoTime() >= deadline) {
          throw busy(file, wait);
        }
        Thread.sleep(POLL_MS);
      }
    } catch (IOException e) {
      closeQuietly(ch);
      mine.unlock();
      throw new UncheckedIOException("cannot lock " + file, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(ch);
      mine.unlock();
      throw busy(file, wait);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      mine.unlock();
      throw e;
    }
  }

  /** Whether another apply held the lock first (the node may have changed since planning). */
  boolean waited() {
    return waited;
  }

  private static IllegalStateException busy(Path file, Duration wait) {
    return new IllegalStateException(
        "another apply on this node holds "
            + file
            + " (waited "
            + wait.toSeconds()
            + " s); nothing was changed");
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // closing after a failure; the failure is what is reported
      }
    }
  }

  @Override
  public void close() {
    try {
      if (lock != null) {
        lock.release();
        channel.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      inProcess.unlock();
    }
  }
}

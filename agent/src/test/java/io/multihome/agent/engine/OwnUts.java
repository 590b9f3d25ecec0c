package io.multihome.agent.engine;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import jnr.ffi.LibraryLoader;

/**
 * Runs test code on a fresh thread that has a UTS namespace of its own (unshare(CLONE_NEWUTS)
 * affects only the calling thread), so a host name the engine sets there never renames the machine.
 */
final class OwnUts {
  private static final int CLONE_NEWUTS = 0x04000000;

  public interface Unshare {
    int unshare(int flags);
  }

  private static final Unshare LIBC = LibraryLoader.create(Unshare.class).load("c");

  private OwnUts() {}

  static <T> T call(Callable<T> task) throws Exception {
    var result = new AtomicReference<T>();
    var failure = new AtomicReference<Throwable>();
    var t =
        new Thread(
            () -> {
              try {
                if (LIBC.unshare(CLONE_NEWUTS) != 0) {
                  throw new IllegalStateException("unshare(CLONE_NEWUTS) failed");
                }
                result.set(task.call());
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "own-uts");
    t.start();
    t.join();
    if (failure.get() instanceof Exception e) {
      throw e;
    }
    if (failure.get() instanceof Error e) {
      throw e;
    }
    return result.get();
  }
}

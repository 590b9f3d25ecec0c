package io.multihome.agent.netlink;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An open handle on a network namespace (an fd on its nsfs file). {@link #call} runs code inside
 * the namespace on a dedicated platform thread, so no pooled or virtual thread ever changes
 * namespace.
 */
public final class NetNs implements AutoCloseable {
  static final int CLONE_NEWNET = 0x40000000;
  private static final int O_RDONLY_CLOEXEC = 0x80000;
  public static final String NAMED_DIR = "/var/run/netns/";

  private final int fd;
  private final String description;
  private volatile boolean closed;

  private NetNs(int fd, String description) {
    this.fd = fd;
    this.description = description;
  }

  /** A namespace created by {@code ip netns add NAME}. */
  public static NetNs named(String name) {
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("netns name: invalid '" + name + "'");
    }
    return path(NAMED_DIR + name);
  }

  public static NetNs path(String path) {
    int fd = LibC.INSTANCE.open(path, O_RDONLY_CLOEXEC);
    if (fd < 0) {
      throw new NetlinkException("netns open", path, LibC.errno(), null);
    }
    return new NetNs(fd, path);
  }

  public static NetNs pid(int pid) {
    return path("/proc/" + pid + "/ns/net");
  }

  /** The namespace of the calling thread. */
  public static NetNs current() {
    return path("/proc/thread-self/ns/net");
  }

  public int fd() {
    return fd;
  }

  @Override
  public String toString() {
    return description;
  }

  /**
   * Runs {@code task} on a fresh platform thread switched into this namespace and switched back in
   * {@code finally}. Sockets opened by the task stay bound to this namespace.
   */
  public <T> T call(Callable<T> task) {
    var result = new AtomicReference<T>();
    var failure = new AtomicReference<Throwable>();
    Thread t =
        new Thread(
            () -> {
              try (NetNs original = current()) {
                if (LibC.INSTANCE.setns(fd, CLONE_NEWNET) < 0) {
                  throw new NetlinkException("setns", description, LibC.errno(), null);
                }
                try {
                  result.set(task.call());
                } finally {
                  if (LibC.INSTANCE.setns(original.fd, CLONE_NEWNET) < 0) {
                    // The thread ends right after, so a thread stuck in the wrong namespace
                    // cannot leak into other work; still report it.
                    failure.compareAndSet(
                        null, new NetlinkException("setns back", "", LibC.errno(), null));
                  }
                }
              } catch (Throwable e) {
                failure.compareAndSet(null, e);
              }
            },
            "netns-" + description);
    t.setDaemon(true);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while switching to " + description, e);
    }
    Throwable e = failure.get();
    if (e instanceof RuntimeException re) {
      throw re;
    }
    if (e instanceof Error err) {
      throw err;
    }
    if (e != null) {
      throw new IllegalStateException(e);
    }
    return result.get();
  }

  /** Opens a netlink socket bound inside this namespace. */
  public NetlinkSocket openSocket(int protocol, int groups) {
    return call(() -> NetlinkSocket.openHere(protocol, groups));
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      LibC.INSTANCE.close(fd);
    }
  }
}

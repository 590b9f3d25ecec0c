package io.multihome.agent.dhcp;

import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.Route;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link Dhcp4Session} and {@link Dhcp6Session} share: keeping a {@link LeaseClient} running
 * on one interface for as long as its settings ask (waits for the interface to exist, opens its
 * sockets, runs the client, and starts it again with the lease it held after the interface was
 * recreated or a socket failed, backing off from 1 s to 30 s), and, as the client's {@link
 * LeaseSink}, putting a bound lease's address and routes into the kernel and the lease file and
 * taking them out again. The protocol's client, link, address and routes are the subclass's.
 */
abstract class LeaseSession<L, C extends LeaseClient<?>> implements LeaseSink<L> {
  private static final long MAX_BACKOFF_MS = 30_000;

  /** The subclass's logger, so that log lines keep naming the protocol's session. */
  private final Logger log = LoggerFactory.getLogger(getClass());

  protected final String name;
  protected final Context ctx;
  private final String protocol;
  private final Thread thread;
  private final Object lock = new Object();
  private final Object sleeper = new Object();
  private volatile boolean stopped;
  private volatile LeaseClient.Stop stopMode = LeaseClient.Stop.KEEP;
  private volatile C client;
  private volatile L lease;
  private volatile String status = "starting";
  private List<Route> applied = List.of();
  private IpPrefix appliedAddress;
  private int appliedIndex = -1;

  /**
   * @param protocol {@code DHCP} or {@code DHCPv6}, for logs and the reason a lease is lost
   * @param threadPrefix the supervising thread's name before the interface's
   */
  LeaseSession(String name, Context ctx, String protocol, String threadPrefix) {
    this.name = name;
    this.ctx = ctx;
    this.protocol = protocol;
    this.thread = new Thread(this::supervise, threadPrefix + name);
    thread.setDaemon(true);
  }

  /**
   * Opens the interface's sockets ({@code index}, {@code mac}: as the interface is now), and runs a
   * new client on them through {@link #run} until it ends; closes the sockets after.
   */
  protected abstract void runClient(int index, byte[] mac, Random random);

  /** The saved lease of this interface (lease file), or null. */
  protected abstract L saved();

  /** Saves {@code lease} in the lease file; null forgets it. */
  protected abstract void save(L lease);

  /** The address (with the prefix it goes into the kernel with) of {@code lease}. */
  protected abstract IpPrefix prefixOf(L lease);

  /** Adds {@code prefix} of {@code lease} with its lifetimes at {@code now}. */
  protected abstract void addAddress(int index, IpPrefix prefix, L lease, long now);

  /** The routes {@code lease} adds on interface {@code index}. */
  protected abstract List<Route> routesOf(L lease, int index);

  /** The status text of a bound lease. */
  protected abstract String boundStatus(L lease);

  /** The lease held now, else the saved one: what a new client asks for first. */
  protected final L heldOrSaved() {
    return lease != null ? lease : saved();
  }

  /** Runs {@code c} (the thread's client from now on) until it ends. */
  protected final void run(C c) {
    client = c;
    if (stopped) {
      c.stop(stopMode);
    }
    c.run();
  }

  /** The client running now, or null. */
  protected final C client() {
    return client;
  }

  final void start() {
    thread.start();
  }

  /** Under the session's lock: never a lease whose address {@link #lost} already removed. */
  L lease() {
    synchronized (lock) {
      return lease;
    }
  }

  String status() {
    synchronized (lock) {
      return status;
    }
  }

  /** Stops the client and waits (up to 5 s) until it removed or kept its lease as asked. */
  void stop(LeaseClient.Stop mode) {
    stopMode = mode;
    stopped = true;
    var c = client;
    if (c != null) {
      c.stop(mode);
    }
    synchronized (sleeper) {
      sleeper.notifyAll();
    }
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void supervise() {
    long backoff = 1000;
    var random = new Random();
    while (!stopped) {
      int index = ctx.kernel().index(name);
      if (index < 0) {
        status = "waiting for interface " + name;
        sleep(1000);
        continue;
      }
      byte[] mac = ctx.kernel().mac(name);
      long started = System.currentTimeMillis();
      try {
        runClient(index, mac, random);
        if (stopped) {
          return;
        }
      } catch (RuntimeException e) {
        status = "error: " + e.getMessage();
        log.warn("{}: {} client failed: {}", name, protocol, e.getMessage());
      }
      if (stopped) {
        // Stopped while the client was being set up: its lease, if any, still needs handling.
        break;
      }
      backoff = System.currentTimeMillis() - started > 60_000 ? 1000 : backoff;
      sleep(backoff);
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
    var held = lease;
    if (held != null && stopMode != LeaseClient.Stop.KEEP) {
      lost(held, protocol + " turned off", true);
    }
  }

  private void sleep(long ms) {
    // Not Thread.sleep + interrupt: an interrupt would also break the file and socket work of
    // this thread (the lease file, the resolver file) while it stops.
    synchronized (sleeper) {
      if (stopped) {
        return;
      }
      try {
        sleeper.wait(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void progress(String what) {
    status = what;
  }

  @Override
  public void bound(L got, L previous) {
    synchronized (lock) {
      int index = ctx.kernel().index(name);
      if (index < 0) {
        throw new IllegalStateException("interface " + name + " is gone");
      }
      var prefix = prefixOf(got);
      if (appliedAddress != null && (!appliedAddress.equals(prefix) || appliedIndex != index)) {
        removeKernelState();
      }
      addAddress(index, prefix, got, System.currentTimeMillis());
      var routes = routesOf(got, index);
      for (var r : applied) {
        if (!routes.contains(r)) {
          ctx.kernel().deleteRoute(r);
        }
      }
      routes.forEach(ctx.kernel()::addRoute);
      applied = routes;
      appliedAddress = prefix;
      appliedIndex = index;
      save(got);
      lease = got;
      status = boundStatus(got);
    }
    ctx.changed().run();
  }

  @Override
  public void lost(L old, String why, boolean keepSaved) {
    synchronized (lock) {
      if (appliedAddress == null && old != null) {
        // Never applied by this session (a saved lease): remove what an earlier run applied.
        int index = ctx.kernel().index(name);
        if (index >= 0) {
          appliedAddress = prefixOf(old);
          appliedIndex = index;
          applied = routesOf(old, index);
        }
      }
      removeKernelState();
      if (!keepSaved) {
        save(null);
      }
      lease = null;
      status = why;
      log.info("{}: lease {} gone: {}", name, old == null ? "-" : prefixOf(old), why);
    }
    ctx.changed().run();
  }

  private void removeKernelState() {
    applied.forEach(ctx.kernel()::deleteRoute);
    applied = List.of();
    if (appliedAddress != null && appliedIndex >= 0) {
      ctx.kernel().deleteAddress(appliedIndex, appliedAddress);
    }
    appliedAddress = null;
    appliedIndex = -1;
  }
}

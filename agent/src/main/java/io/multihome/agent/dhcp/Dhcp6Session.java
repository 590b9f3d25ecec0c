package io.multihome.agent.dhcp;

import io.multihome.agent.engine.AutoIp;
import io.multihome.agent.netlink.IpPrefix;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a DHCPv6 client running on one interface, as {@link Dhcp4Session} does for DHCPv4; the
 * leased address goes into the kernel as a /128 with the lease's lifetimes (the on-link prefix and
 * the default route come from router advertisements, as with NetworkManager).
 */
final class Dhcp6Session implements LeaseSink<Lease6> {
  private static final Logger log = LoggerFactory.getLogger(Dhcp6Session.class);
  private static final long MAX_BACKOFF_MS = 30_000;

  private final String name;
  private final AutoIp.V6 settings;
  private final Context ctx;
  private final Thread thread;
  private final Object lock = new Object();
  private final Object sleeper = new Object();
  private volatile boolean stopped;
  private volatile Dhcp4Client.Stop stopMode = Dhcp4Client.Stop.KEEP;
  private volatile Dhcp6Client client;
  private volatile Lease6 lease;
  private volatile String status = "starting";
  private IpPrefix applied;
  private int appliedIndex = -1;

  Dhcp6Session(String name, AutoIp.V6 settings, Context ctx) {
    this.name = name;
    this.settings = settings;
    this.ctx = ctx;
    this.thread = new Thread(this::supervise, "dhcp6-" + name);
    thread.setDaemon(true);
  }

  Dhcp6Session start() {
    thread.start();
    return this;
  }

  /** Under the session's lock: never a lease whose address {@link #lost} already removed. */
  Lease6 lease() {
    synchronized (lock) {
      return lease;
    }
  }

  String status() {
    synchronized (lock) {
      return status;
    }
  }

  void stop(Dhcp4Client.Stop mode) {
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
      try (var link = Dhcp6Link.open(ctx.netns(), name, index)) {
        var c =
            new Dhcp6Client(
                name,
                link,
                this,
                ClientIds.duid(settings.duid(), mac),
                ClientIds.iaidValue(name),
                lease != null ? lease : ctx.store().lease6(name),
                random);
        client = c;
        if (stopped) {
          c.stop(stopMode);
        }
        c.run();
        if (stopped) {
          return;
        }
      } catch (RuntimeException e) {
        status = "error: " + e.getMessage();
        log.warn("{}: DHCPv6 client failed: {}", name, e.getMessage());
      }
      if (stopped) {
        break;
      }
      backoff = System.currentTimeMillis() - started > 60_000 ? 1000 : backoff;
      sleep(backoff);
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
    var held = lease;
    if (held != null && stopMode != Dhcp4Client.Stop.KEEP) {
      lost(held, "DHCPv6 turned off", true);
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
  public void bound(Lease6 got, Lease6 previous) {
    synchronized (lock) {
      int index = ctx.kernel().index(name);
      if (index < 0) {
        throw new IllegalStateException("interface " + name + " is gone");
      }
      var prefix = new IpPrefix(IpPrefix.parseAddress(got.address()), 128);
      if (applied != null && (!applied.equals(prefix) || appliedIndex != index)) {
        ctx.kernel().deleteAddress(appliedIndex, applied);
      }
      long now = System.currentTimeMillis();
      ctx.kernel()
          .address(index, prefix, got.remainingValid(now), got.remainingPreferred(now), true);
      applied = prefix;
      appliedIndex = index;
      ctx.store().lease6(name, got);
      lease = got;
      status = "bound " + got.address() + "/128";
    }
    ctx.changed().run();
  }

  @Override
  public void lost(Lease6 old, String why, boolean keepSaved) {
    synchronized (lock) {
      if (applied == null && old != null) {
        int index = ctx.kernel().index(name);
        if (index >= 0) {
          applied = new IpPrefix(IpPrefix.parseAddress(old.address()), 128);
          appliedIndex = index;
        }
      }
      if (applied != null && appliedIndex >= 0) {
        ctx.kernel().deleteAddress(appliedIndex, applied);
      }
      applied = null;
      appliedIndex = -1;
      if (!keepSaved) {
        ctx.store().lease6(name, null);
      }
      lease = null;
      status = why;
    }
    ctx.changed().run();
  }
}

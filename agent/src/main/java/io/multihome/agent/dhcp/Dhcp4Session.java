package io.multihome.agent.dhcp;

import io.multihome.agent.engine.AutoIp;
import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.Route;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a DHCPv4 client running on one interface for as long as its settings ask: waits for the
 * interface to exist, opens its sockets, runs {@link Dhcp4Client}, and starts it again (with the
 * lease it held) after the interface was recreated or a socket failed, backing off from 1 s to 30
 * s. It is the client's {@link LeaseSink}: a bound lease goes into the kernel and the lease file.
 */
final class Dhcp4Session implements LeaseSink<Lease4> {
  private static final Logger log = LoggerFactory.getLogger(Dhcp4Session.class);
  private static final long MAX_BACKOFF_MS = 30_000;

  private final String name;
  private final AutoIp.V4 settings;
  private final Context ctx;
  private final Thread thread;
  private final Object lock = new Object();
  private final Object sleeper = new Object();
  private volatile boolean stopped;
  private volatile Dhcp4Client.Stop stopMode = Dhcp4Client.Stop.KEEP;
  private volatile Dhcp4Client client;
  private volatile Lease4 lease;
  private volatile String status = "starting";
  private List<Route> applied = List.of();
  private IpPrefix appliedAddress;
  private int appliedIndex = -1;

  Dhcp4Session(String name, AutoIp.V4 settings, Context ctx) {
    this.name = name;
    this.settings = settings;
    this.ctx = ctx;
    this.thread = new Thread(this::supervise, "dhcp4-" + name);
    thread.setDaemon(true);
  }

  Dhcp4Session start() {
    thread.start();
    return this;
  }

  AutoIp.V4 settings() {
    return settings;
  }

  /** Under the session's lock: never a lease whose address {@link #lost} already removed. */
  Lease4 lease() {
    synchronized (lock) {
      return lease;
    }
  }

  String status() {
    synchronized (lock) {
      return status;
    }
  }

  /** Milliseconds the last acquisition took from the first message to the ACK, or -1. */
  long exchangeMillis() {
    var c = client;
    return c == null ? -1 : c.exchangeMillis();
  }

  /** Stops the client and waits (up to 5 s) until it removed or kept its lease as asked. */
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
      try (var link = PacketLink.open(ctx.netns(), name, index, mac)) {
        var c =
            new Dhcp4Client(
                name,
                link,
                this,
                ClientIds.clientId(settings.clientId(), name, mac),
                lease != null ? lease : ctx.store().lease4(name),
                Dhcp4Client.Clock.SYSTEM,
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
        log.warn("{}: DHCP client failed: {}", name, e.getMessage());
      }
      if (stopped) {
        // Stopped while the client was being set up: its lease, if any, still needs handling.
        finishWithoutClient();
        return;
      }
      backoff = System.currentTimeMillis() - started > 60_000 ? 1000 : backoff;
      sleep(backoff);
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
    finishWithoutClient();
  }

  private void finishWithoutClient() {
    var held = lease;
    if (held != null && stopMode != Dhcp4Client.Stop.KEEP) {
      lost(held, "DHCP turned off", true);
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
  public void bound(Lease4 got, Lease4 previous) {
    synchronized (lock) {
      int index = ctx.kernel().index(name);
      if (index < 0) {
        throw new IllegalStateException("interface " + name + " is gone");
      }
      var prefix = new IpPrefix(IpPrefix.parseAddress(got.address()), got.prefix());
      if (appliedAddress != null && (!appliedAddress.equals(prefix) || appliedIndex != index)) {
        removeKernelState();
      }
      long now = System.currentTimeMillis();
      long left = got.remainingSeconds(now);
      ctx.kernel().address(index, prefix, left, left, false);
      var routes = KernelLeases.routes(got, settings, index);
      for (var r : applied) {
        if (!routes.contains(r)) {
          ctx.kernel().deleteRoute(r);
        }
      }
      routes.forEach(ctx.kernel()::addRoute);
      applied = routes;
      appliedAddress = prefix;
      appliedIndex = index;
      ctx.store().lease4(name, got);
      lease = got;
      status = "bound " + got.cidr() + " from " + got.server();
    }
    ctx.changed().run();
  }

  @Override
  public void lost(Lease4 old, String why, boolean keepSaved) {
    synchronized (lock) {
      if (appliedAddress == null && old != null) {
        // Never applied by this session (a saved lease): remove what an earlier run applied.
        int index = ctx.kernel().index(name);
        if (index >= 0) {
          appliedAddress = new IpPrefix(IpPrefix.parseAddress(old.address()), old.prefix());
          appliedIndex = index;
          applied = KernelLeases.routes(old, settings, index);
        }
      }
      removeKernelState();
      if (!keepSaved) {
        ctx.store().lease4(name, null);
      }
      lease = null;
      status = why;
      log.info("{}: lease {} gone: {}", name, old == null ? "-" : old.cidr(), why);
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

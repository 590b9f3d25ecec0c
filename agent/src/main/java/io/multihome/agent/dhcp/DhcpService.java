package io.multihome.agent.dhcp;

import io.multihome.agent.engine.AutoIp;
import io.multihome.agent.engine.DynamicIp;
import io.multihome.agent.engine.Target;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.state.DnsConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's dynamic IP for one target (a node's namespace): one {@link InterfaceDhcp} per
 * interface whose desired state asks for DHCPv4, DHCPv6 or autoconf, their settings and leases kept
 * in {@code <state-dir>/dhcp/<netns|host>/} so that a restarted agent resumes every client with the
 * lease it held. The engine drives it through {@link DynamicIp}; {@link #status} is what the
 * NodeNetworkState and the CLI report.
 */
public final class DhcpService implements DynamicIp, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DhcpService.class);

  private final Target target;
  private final RtNetlink nl;
  private final Context ctx;
  // Read without the service's lock (waiters, DNS updates from client threads), written under it.
  private final Map<String, InterfaceDhcp> clients =
      new java.util.concurrent.ConcurrentSkipListMap<>();
  private final Map<String, AutoIp> settings;
  private final Map<String, Suspended> suspended = new HashMap<>();
  private final Object changed = new Object();
  private final DynamicDns dns;
  private volatile boolean closed;

  /** A lease whose client was turned off: released at {@link #commit}, or resumed by rollback. */
  private record Suspended(Lease4 lease4, AutoIp settings) {}

  private DhcpService(Target target, Path stateDir) {
    this.target = target;
    this.nl = target.open();
    var store = new LeaseStore(dir(stateDir, target));
    this.dns = new DynamicDns(target);
    this.ctx = new Context(target.netns(), new KernelLeases(nl), store, this::leasesChanged);
    this.settings = new LinkedHashMap<>(store.settings());
  }

  /** The directory of {@code target}'s files under the agent's state directory. */
  public static Path dir(Path stateDir, Target target) {
    return stateDir.resolve("dhcp").resolve(target.label());
  }

  /**
   * Starts the service: every interface in the saved settings gets its client back (with its saved
   * lease: INIT-REBOOT); saved leases of interfaces no longer configured are released.
   */
  public static DhcpService start(Target target, Path stateDir) {
    var s = new DhcpService(target, stateDir);
    try {
      s.resume();
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  private synchronized void resume() {
    for (var e : settings.entrySet()) {
      clients.put(e.getKey(), InterfaceDhcp.start(e.getKey(), e.getValue(), ctx));
    }
    for (var name : ctx.store().leased()) {
      var s = settings.get(name);
      var l4 = ctx.store().lease4(name);
      if (l4 != null && (s == null || s.v4() == null)) {
        log.info("{}: releasing the saved lease {} of a client turned off", name, l4.cidr());
        InterfaceDhcp.release4(name, l4, null, ctx);
      }
      var l6 = ctx.store().lease6(name);
      if (l6 != null && (s == null || s.v6() == null || !s.v6().dhcp())) {
        ctx.store().lease6(name, null);
      }
    }
    if (!settings.isEmpty()) {
      log.info("DHCP clients of {} resumed: {}", target.label(), settings.keySet());
    }
  }

  public Target target() {
    return target;
  }

  @Override
  public synchronized Map<String, AutoIp> settings() {
    return new LinkedHashMap<>(settings);
  }

  @Override
  public synchronized void configure(Map<String, AutoIp> changes) {
    for (var e : changes.entrySet()) {
      var name = e.getKey();
      var want = e.getValue();
      var have = settings.get(name);
      if (Objects.equals(want, have)) {
        continue;
      }
      var old = clients.remove(name);
      if (old != null) {
        var lease = old.lease4();
        boolean v4Off = want == null || want.v4() == null;
        // Other DHCPv4 settings (routes, table, client id): the new client takes the lease back.
        boolean v4Changed = v4Off || !Objects.equals(want.v4(), have == null ? null : have.v4());
        old.stop(v4Changed ? Dhcp4Client.Stop.SUSPEND : Dhcp4Client.Stop.KEEP, want);
        if (v4Off && lease != null) {
          suspended.put(name, new Suspended(lease, have));
        }
      }
      if (want == null) {
        settings.remove(name);
      } else {
        settings.put(name, want);
        if (want.v4() != null) {
          suspended.remove(name);
        }
        clients.put(name, InterfaceDhcp.start(name, want, ctx));
      }
    }
    ctx.store().settings(settings);
    leasesChanged();
  }

  @Override
  public synchronized void commit() {
    for (var e : suspended.entrySet()) {
      var name = e.getKey();
      var s = settings.get(name);
      var lease = e.getValue().lease4();
      if (heldElsewhere(lease)) {
        // The same lease moved (a NIC's lease now on the bridge made on it, same client id):
        // releasing it would take the address from under the new holder.
        ctx.store().lease4(name, null);
        continue;
      }
      if (s == null || s.v4() == null) {
        var prev = e.getValue().settings();
        InterfaceDhcp.release4(
            name, e.getValue().lease4(), prev == null || prev.v4() == null ? null : prev.v4(), ctx);
      }
    }
    suspended.clear();
  }

  private boolean heldElsewhere(Lease4 lease) {
    for (var c : clients.values()) {
      var l = c.lease4();
      if (l != null && l.address().equals(lease.address())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String await(Collection<String> names, Instant deadline) {
    synchronized (changed) {
      while (true) {
        var missing = missing(names);
        if (missing.isEmpty()) {
          return null;
        }
        long left = deadline.toEpochMilli() - System.currentTimeMillis();
        if (left <= 0 || closed) {
          return String.join("; ", missing);
        }
        try {
          changed.wait(Math.min(left, 500));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return "interrupted waiting for " + String.join(", ", names);
        }
      }
    }
  }

  /** One line per interface still without what it asks for. */
  private List<String> missing(Collection<String> names) {
    var out = new ArrayList<String>();
    for (var name : names) {
      var c = clients.get(name);
      if (c == null) {
        continue;
      }
      var why = c.missing();
      if (why != null) {
        out.add(why);
      }
    }
    return out;
  }

  @Override
  public DnsConfig dns() {
    var servers = new LinkedHashSet<String>();
    var search = new LinkedHashSet<String>();
    for (var c : clients.values()) {
      c.dns(servers, search);
    }
    return new DnsConfig(List.copyOf(servers), List.copyOf(search), List.of());
  }

  /** Per interface: its settings' summary, state and leases, for the NNS and the CLI. */
  public Map<String, DhcpStatus> status() {
    var out = new TreeMap<String, DhcpStatus>();
    clients.forEach((n, c) -> out.put(n, c.status()));
    return out;
  }

  private void leasesChanged() {
    try {
      dns.update(dns());
    } catch (RuntimeException e) {
      log.warn("DNS from DHCP not written: {}", e.getMessage());
    }
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  /** Stops every client, leaving addresses and saved leases for the next start. */
  @Override
  public void close() {
    closed = true;
    List<InterfaceDhcp> all;
    synchronized (this) {
      all = new ArrayList<>(clients.values());
      clients.clear();
    }
    all.forEach(c -> c.stop(Dhcp4Client.Stop.KEEP, null));
    synchronized (changed) {
      changed.notifyAll();
    }
    nl.close();
  }
}

package io.multihome.agent.engine;

import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.Mptcp;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.state.Interface;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * {@code mptcp.address-flags}, as nmstate: every MPTCP-capable address of the interface (not
 * loopback, link-local, multicast or IPv6 unique-local) is an MPTCP endpoint on its device with
 * those flags; an empty list removes the endpoints of its addresses.
 */
final class MptcpPlanner {
  private MptcpPlanner() {}

  /** An endpoint as a checkpoint keeps it. */
  public record SavedEndpoint(String address, String dev, int flags) {}

  static boolean capable(InetAddress a) {
    if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isMulticastAddress()) {
      return false;
    }
    return !(a instanceof Inet6Address) || (a.getAddress()[0] & 0xfe) != 0xfc;
  }

  static void plan(Interface d, NodeLink cur, PlanContext ctx) {
    var flags = d.common().mptcpAddressFlags();
    if (flags == null) {
      return;
    }
    var endpoints = ctx.snapshot().mptcp();
    if (endpoints == null) {
      return;
    }
    int want = Mptcp.bits(flags);
    var addresses = new ArrayList<InetAddress>();
    for (var a : finalAddresses(d, cur, ctx)) {
      if (capable(a)) {
        addresses.add(a);
      }
    }
    var p = "interfaces[" + d.name() + "].mptcp.address-flags";
    var kept = new HashSet<InetAddress>();
    var byAddress = new HashMap<InetAddress, Mptcp.Endpoint>();
    for (var e : endpoints) {
      if (e.address() != null) {
        byAddress.put(e.address(), e);
      }
    }
    for (var e : endpoints) {
      boolean ours =
          e.address() != null
              && (addresses.contains(e.address())
                  || (cur != null && Objects.equals(e.ifindex(), cur.index())));
      if (!ours) {
        continue;
      }
      boolean right =
          addresses.contains(e.address())
              && want != 0
              && (e.flags() & 0xf) == want
              && cur != null
              && Objects.equals(e.ifindex(), cur.index());
      if (right) {
        kept.add(e.address());
      } else if (want == 0 || !addresses.contains(e.address())) {
        ctx.add(
            new KindOps.DelEndpoint(
                e.id(),
                Ips.text(e.address()),
                new Op.Diff(p, Mptcp.names(want) + " on its addresses", describe(e))));
      }
    }
    if (want == 0) {
      return;
    }
    for (var a : addresses) {
      if (kept.contains(a)) {
        continue;
      }
      var old = byAddress.get(a);
      ctx.add(
          new KindOps.AddEndpoint(
              d.name(),
              a,
              want,
              old == null ? null : old.id(),
              new Op.Diff(
                  p,
                  Mptcp.names(want) + " on " + Ips.text(a),
                  old == null ? "no endpoint" : describe(old))));
    }
  }

  private static String describe(Mptcp.Endpoint e) {
    return "endpoint " + Ips.text(e.address()) + " " + Mptcp.names(e.flags());
  }

  /** The addresses the interface has once the plan ran: the list given, else the node's. */
  private static List<InetAddress> finalAddresses(Interface d, NodeLink cur, PlanContext ctx) {
    var out = new ArrayList<InetAddress>();
    for (var ip : List.of(d.common().ipv4() == null ? NONE : d.common().ipv4(), v6(d))) {
      if (ip.address() != null && !Boolean.FALSE.equals(ip.enabled())) {
        for (var a : ip.address()) {
          if (a.ip() != null) {
            out.add(IpPrefix.parseAddress(a.ip()));
          }
        }
      }
    }
    boolean given4 = d.common().ipv4() != null && d.common().ipv4().address() != null;
    boolean given6 = d.common().ipv6() != null && d.common().ipv6().address() != null;
    if (cur != null) {
      for (var a : ctx.configuredAddresses(cur)) {
        boolean v4 = a.address() instanceof Inet4Address;
        if ((v4 && !given4) || (!v4 && !given6)) {
          out.add(a.address());
        }
      }
    }
    return out;
  }

  private static final io.multihome.state.IpConfig NONE =
      io.multihome.state.IpConfig.of(null, null, null, null);

  private static io.multihome.state.IpConfig v6(Interface d) {
    return d.common().ipv6() == null ? NONE : d.common().ipv6();
  }

  static boolean touches(Plan plan) {
    return plan.ops().stream()
        .anyMatch(o -> o instanceof KindOps.AddEndpoint || o instanceof KindOps.DelEndpoint);
  }

  /** The endpoints before a plan that changes them, else null. */
  static List<SavedEndpoint> capture(Snapshot before, Plan plan) {
    if (!touches(plan) || before.mptcp() == null) {
      return null;
    }
    var byIndex = before.byIndex();
    var out = new ArrayList<SavedEndpoint>();
    for (var e : before.mptcp()) {
      if (e.address() != null) {
        out.add(
            new SavedEndpoint(
                Ips.text(e.address()), StateReader.nameOf(byIndex, e.ifindex()), e.flags()));
      }
    }
    return out;
  }

  /** Makes the endpoints equal to the saved ones; returns what failed. */
  static List<String> restore(Target target, RtNetlink nl, List<SavedEndpoint> saved) {
    if (saved == null) {
      return List.of();
    }
    var failures = new ArrayList<String>();
    try (var genl = RtNetlink.openGeneric(target.netns())) {
      var m = Mptcp.on(genl);
      if (m == null) {
        return List.of("mptcp: the kernel has no MPTCP");
      }
      var names = Snapshot.read(nl).byIndex();
      var want = new HashSet<>(saved);
      var have = new HashSet<SavedEndpoint>();
      for (var e : m.list()) {
        if (e.address() == null) {
          continue;
        }
        var s =
            new SavedEndpoint(
                Ips.text(e.address()), StateReader.nameOf(names, e.ifindex()), e.flags());
        have.add(s);
        if (!want.contains(s)) {
          try {
            m.execute(m.deleteRequest(e.id()));
          } catch (RuntimeException ex) {
            failures.add("mptcp endpoint " + s.address() + ": " + ex.getMessage());
          }
        }
      }
      var byName = Snapshot.read(nl).byName();
      for (var s : saved) {
        if (have.contains(s)) {
          continue;
        }
        var dev = s.dev() == null ? null : byName.get(s.dev());
        try {
          m.execute(
              m.addRequest(
                  IpPrefix.parseAddress(s.address()), dev == null ? null : dev.index(), s.flags()));
        } catch (RuntimeException ex) {
          failures.add("mptcp endpoint " + s.address() + ": " + ex.getMessage());
        }
      }
    }
    return failures;
  }
}

package io.multihome.agent.engine;

import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.LinkOps;
import io.multihome.agent.netlink.LinkSpec;
import io.multihome.agent.netlink.Request;
import io.multihome.agent.netlink.RtNetlink;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Ops of the kinds and settings beyond the core ones: an HSR link (made on two named ports),
 * per-interface IPv4 forwarding, a bond port's queue id and priority, and MPTCP endpoints.
 */
final class KindOps {
  private KindOps() {}

  /** {@code ip link add NAME type ...} words for the kinds of this file, or null. */
  static String describe(LinkKind kind) {
    if (kind instanceof LinkKind.Vrf v) {
      return " table " + v.table();
    } else if (kind instanceof LinkKind.Ipvlan v) {
      var sb = new StringBuilder(" mode ").append(ipvlanMode(v.mode()));
      if (v.flags() != null && (v.flags() & LinkKind.Ipvlan.F_PRIVATE) != 0) {
        sb.append(" private");
      }
      if (v.flags() != null && (v.flags() & LinkKind.Ipvlan.F_VEPA) != 0) {
        sb.append(" vepa");
      }
      return sb.toString();
    } else if (kind instanceof LinkKind.Macsec m) {
      var sb = new StringBuilder();
      if (m.port() != null) sb.append(" port ").append(m.port());
      if (m.encrypt() != null) sb.append(" encrypt ").append(m.encrypt() ? "on" : "off");
      if (m.includeSci() != null) sb.append(" send_sci ").append(m.includeSci() ? "on" : "off");
      if (m.validation() != null) sb.append(" validate ").append(VALIDATION.get(m.validation()));
      if (m.offload() != null) sb.append(" offload ").append(OFFLOAD.get(m.offload()));
      return sb.toString();
    }
    return null;
  }

  static final List<String> IPVLAN_MODES = List.of("l2", "l3", "l3s");
  static final List<String> VALIDATION = List.of("disabled", "check", "strict");
  static final List<String> OFFLOAD = List.of("off", "phy", "mac");

  static String ipvlanMode(Integer mode) {
    return mode == null || mode < 0 || mode >= IPVLAN_MODES.size() ? null : IPVLAN_MODES.get(mode);
  }

  /** {@code ip link add NAME type hsr slave1 P1 slave2 P2 supervision S proto N}. */
  record CreateHsr(
      String name,
      String port1,
      String port2,
      Integer multicastSpec,
      int protocol,
      Integer mtu,
      HwAddr mac,
      Op.Diff diff)
      implements Op.Extension {
    @Override
    public int stage() {
      return Op.CREATE_DEPENDANTS;
    }

    @Override
    public String describe() {
      return "ip link add "
          + name
          + (mtu == null ? "" : " mtu " + mtu)
          + " type hsr slave1 "
          + port1
          + " slave2 "
          + port2
          + (multicastSpec == null ? "" : " supervision " + multicastSpec)
          + " proto "
          + protocol;
    }

    @Override
    public List<String> links() {
      return List.of(name, port1, port2);
    }

    @Override
    public boolean createsLink() {
      return true;
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      var spec =
          LinkSpec.of(
              name,
              new LinkKind.Hsr(
                  index.applyAsInt(port1), index.applyAsInt(port2), multicastSpec, protocol, null));
      if (mtu != null) {
        spec = spec.withMtu(mtu);
      }
      if (mac != null) {
        spec = spec.withMac(mac);
      }
      return LinkOps.addRequest(spec);
    }
  }

  /** {@code sysctl -w net.ipv4.conf.NAME.forwarding=0|1} (set over rtnetlink). */
  record SetForwarding(String name, boolean on, Op.Diff diff) implements Op.Extension {
    @Override
    public int stage() {
      return Op.SETTINGS;
    }

    @Override
    public String describe() {
      return "sysctl -w net.ipv4.conf." + name + ".forwarding=" + (on ? 1 : 0);
    }

    @Override
    public List<String> links() {
      return List.of(name);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return LinkDump.forwardingRequest(name, on);
    }
  }

  /** {@code ip link set PORT type bond_slave queue_id Q prio P}, once the port is in. */
  record SetBondPort(String name, Integer queueId, Integer prio, Op.Diff diff)
      implements Op.Extension {
    @Override
    public int stage() {
      return Op.PORT_SETTINGS;
    }

    @Override
    public String describe() {
      return "ip link set "
          + name
          + " type bond_slave"
          + (queueId == null ? "" : " queue_id " + queueId)
          + (prio == null ? "" : " prio " + prio);
    }

    @Override
    public List<String> links() {
      return List.of(name);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return LinkDump.bondPortRequest(name, queueId, prio);
    }
  }

  /**
   * {@code ip mptcp endpoint add ADDR dev NAME FLAGS}, after the address exists; an endpoint of the
   * address with other flags ({@code replacing}, its id) is deleted first.
   */
  record AddEndpoint(String name, InetAddress address, int flags, Integer replacing, Op.Diff diff)
      implements Op.Extension {
    @Override
    public int stage() {
      return Op.ADD_ROUTES;
    }

    @Override
    public String describe() {
      return (replacing == null ? "" : "ip mptcp endpoint delete id " + replacing + "; ")
          + "ip mptcp endpoint add "
          + Ips.text(address)
          + " dev "
          + name
          + " "
          + String.join(" ", io.multihome.agent.netlink.Mptcp.names(flags));
    }

    @Override
    public void runDirect(RtNetlink nl, Path sysfsRoot, Target target) {
      MptcpEndpoints.add(target, nl, name, address, flags, replacing);
    }
  }

  /** {@code ip mptcp endpoint delete id ID}. */
  record DelEndpoint(int id, String address, Op.Diff diff) implements Op.Extension {
    @Override
    public int stage() {
      return Op.DEL_ROUTES;
    }

    @Override
    public String describe() {
      return "ip mptcp endpoint delete id " + id + " (" + address + ")";
    }

    @Override
    public void runDirect(RtNetlink nl, Path sysfsRoot, Target target) {
      MptcpEndpoints.delete(target, id);
    }
  }

  /**
   * {@code ip route replace DST table T metric M nexthop via GW dev D weight W ...}: one IPv4
   * multipath route (ECMP) with the routes that give a weight as its next hops.
   */
  record AddMultipathRoute(
      io.multihome.agent.netlink.Route base,
      List<io.multihome.agent.netlink.Route> hops,
      List<String> devs,
      boolean replace,
      Op.Diff diff)
      implements Op.Extension {
    @Override
    public int stage() {
      return Op.ADD_ROUTES;
    }

    @Override
    public String describe() {
      var sb = new StringBuilder(replace ? "ip route replace " : "ip route add ");
      sb.append(RouteText.describe(base.via(null).weight(null), null));
      for (int i = 0; i < hops.size(); i++) {
        var h = hops.get(i);
        sb.append(" nexthop");
        if (h.gateway() != null) {
          sb.append(" via ").append(Ips.text(h.gateway()));
        }
        if (devs.get(i) != null) {
          sb.append(" dev ").append(devs.get(i));
        }
        sb.append(" weight ").append(h.weight());
      }
      return sb.toString();
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      var resolved = new java.util.ArrayList<io.multihome.agent.netlink.Route>();
      for (int i = 0; i < hops.size(); i++) {
        var h = hops.get(i);
        resolved.add(devs.get(i) == null ? h : h.dev(index.applyAsInt(devs.get(i))));
      }
      return io.multihome.agent.netlink.RouteOps.multipathRequest(base, resolved, replace);
    }
  }
}

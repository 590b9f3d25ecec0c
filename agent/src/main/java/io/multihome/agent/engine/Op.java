package io.multihome.agent.engine;

import io.multihome.agent.netlink.AddressOps;
import io.multihome.agent.netlink.BridgePortOptions;
import io.multihome.agent.netlink.BridgeVlan;
import io.multihome.agent.netlink.BridgeVlanOps;
import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.LinkOps;
import io.multihome.agent.netlink.LinkSpec;
import io.multihome.agent.netlink.Request;
import io.multihome.agent.netlink.Route;
import io.multihome.agent.netlink.RouteOps;
import io.multihome.agent.netlink.Rule;
import io.multihome.agent.netlink.RuleOps;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * One small change of a plan. Each op knows its stage (the planner's ordering group), how to print
 * itself for {@code --dry-run}, the difference it closes (for verification messages) and how to
 * become one netlink request once link names resolve to indexes.
 */
public sealed interface Op {

  // Stages, in execution order: removals first (routes, addresses, ports, links), then creation
  // (bases before dependants), settings, enslaving, admin state, addresses, routes, rules.
  int DEL_ROUTES = 0;
  int DEL_ADDRESSES = 1;
  int RELEASE_PORTS = 2;
  int DEL_LINKS = 3;
  int CREATE_BASES = 4;
  int CREATE_DEPENDANTS = 5;
  int SETTINGS = 6;
  int ENSLAVE = 7;
  int PORT_SETTINGS = 8;
  int ADMIN_STATE = 9;
  int ADD_ADDRESSES = 10;
  int ADD_ROUTES = 11;
  int WRITE_DNS = 12;

  int stage();

  /** What {@code --dry-run} prints, in ip(8) words. */
  String describe();

  /** The difference this op closes: what verification reports when it is still needed. */
  Diff diff();

  /** Names of links whose state this op changes directly (routes and rules change none). */
  default List<String> links() {
    return List.of();
  }

  /** The netlink request, or null for an op done another way (sysctl). */
  Request request(ToIntFunction<String> index);

  /**
   * The one open branch of this sealed interface: ops that live in their own files (SR-IOV: {@link
   * SriovOps}). One whose {@link #request} is null (the default) is run by {@link #runDirect} after
   * the netlink requests of its stage (a sysfs write).
   */
  non-sealed interface Extension extends Op {
    @Override
    default Request request(ToIntFunction<String> index) {
      return null;
    }

    default void runDirect(io.multihome.agent.netlink.RtNetlink nl, java.nio.file.Path sysfsRoot) {}

    /** Like {@link #runDirect(io.multihome.agent.netlink.RtNetlink, java.nio.file.Path)}. */
    default void runDirect(
        io.multihome.agent.netlink.RtNetlink nl, java.nio.file.Path sysfsRoot, Target target) {
      runDirect(nl, sysfsRoot);
    }

    /** Whether this op creates a link (the applier then learns its index afterwards). */
    default boolean createsLink() {
      return false;
    }
  }

  /** {@code path: desired X, current Y}. */
  record Diff(String path, String desired, String current) {
    @Override
    public String toString() {
      return path + ": desired " + desired + ", current " + current;
    }
  }

  record CreateLink(String name, LinkKind kind, String parent, Integer mtu, HwAddr mac, Diff diff)
      implements Op {
    @Override
    public int stage() {
      return parent == null ? CREATE_BASES : CREATE_DEPENDANTS;
    }

    @Override
    public String describe() {
      var sb = new StringBuilder("ip link add ").append(name);
      if (parent != null) {
        sb.append(" link ").append(parent);
      }
      if (mtu != null) {
        sb.append(" mtu ").append(mtu);
      }
      if (mac != null) {
        sb.append(" address ").append(mac);
      }
      sb.append(" type ").append(kind.kind());
      if (kind instanceof LinkKind.Veth v) {
        sb.append(" peer name ").append(v.peerName());
      } else if (kind instanceof LinkKind.Bridge b && !BridgeText.options(b).isEmpty()) {
        sb.append(' ').append(BridgeText.options(b));
      } else if (kind instanceof LinkKind.Macvlan m && m.mode() != null) {
        sb.append(" mode ").append(m.mode().name().toLowerCase(java.util.Locale.ROOT));
        if (m.flags() != null && (m.flags() & LinkKind.Macvlan.FLAG_NOPROMISC) != 0) {
          sb.append(" nopromisc");
        }
      } else if (kind instanceof LinkKind.Vxlan x) {
        sb.append(" id ").append(x.vni());
        if (x.remote() != null) {
          sb.append(" remote ").append(Ips.text(x.remote()));
        }
        if (x.local() != null) {
          sb.append(" local ").append(Ips.text(x.local()));
        }
        if (x.port() != null) {
          sb.append(" dstport ").append(x.port());
        }
        if (Boolean.FALSE.equals(x.learning())) {
          sb.append(" nolearning");
        }
      } else if (kind instanceof LinkKind.Vlan v) {
        if (v.protocol() != null && v.protocol() == 0x88a8) {
          sb.append(" protocol 802.1ad");
        }
        sb.append(" id ").append(v.id());
      } else if (KindOps.describe(kind) != null) {
        sb.append(KindOps.describe(kind));
      } else if (kind instanceof LinkKind.Bond b) {
        if (b.mode() != null) {
          sb.append(" mode ").append(b.mode().ordinal());
        }
        sb.append(
            new SetBondOptions(name, b, null, diff)
                .describe()
                .substring(("ip link set " + name + " type bond").length()));
      }
      return sb.toString();
    }

    @Override
    public List<String> links() {
      return kind instanceof LinkKind.Veth v ? List.of(name, v.peerName()) : List.of(name);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      var spec = LinkSpec.of(name, withUnderlay(index));
      if (parent != null && !(kind instanceof LinkKind.Vxlan)) {
        spec = spec.withParent(index.applyAsInt(parent));
      }
      if (mtu != null) {
        spec = spec.withMtu(mtu);
      }
      if (mac != null) {
        spec = spec.withMac(mac);
      }
      return LinkOps.addRequest(spec);
    }

    private LinkKind withUnderlay(ToIntFunction<String> index) {
      if (kind instanceof LinkKind.Vxlan x && parent != null) {
        return new LinkKind.Vxlan(
            x.vni(), x.local(), x.remote(), x.port(), x.learning(), index.applyAsInt(parent));
      }
      return kind;
    }
  }

  record DeleteLink(String name, Diff diff) implements Op {
    @Override
    public int stage() {
      return DEL_LINKS;
    }

    @Override
    public String describe() {
      return "ip link del " + name;
    }

    @Override
    public List<String> links() {
      return List.of(name);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return LinkOps.deleteRequest(name);
    }
  }

  /**
   * {@code afterPorts} for a bridge: enslaving a port changes a bridge's MTU unless it was set
   * explicitly, so a bridge's MTU is set once its ports are in.
   */
  record SetMtu(String name, int mtu, boolean afterPorts, Diff diff) implements Op {
    @Override
    public int stage() {
      return afterPorts ? PORT_SETTINGS : SETTINGS;
    }

    @Override
    public String describe() {
      return "ip link set " + name + " mtu " + mtu;
    }

    @Override
    public List<String> links() {
      return List.of(name);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return LinkRequests.mtu(name, mtu);
    }
  }

  record SetMac(String name, HwAddr mac, Diff diff) implements Op {
    @Override
    public int stage() {
      return SETTINGS;
    }

    @Override
    public String describe() {
      return "ip link set " + name + " address " + mac;
    }

    @Override
    public List<String> links() {
      return List.of(name);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return LinkRequests.mac(name, mac);
    }
  }

  record SetAlias(String name, String alias, Diff diff) implements Op {
    @Override
    public int stage() {
      return SETTINGS;
    }

    @Override
    public String describe() {
      return "ip link set " + name + " alias '" + alias + "'";
    }

    @Override
    public List<String> links() {
      return List.of(name);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return LinkDump.setAliasRequest(name, alias);
    }
  }

  record SetBridgeOptions(String name, LinkKind.Bridge options, Diff diff) implements Op {
    @Override
    public int stage() {
      return SETTINGS;
    }

    @Override
    public String describe() {
      return "ip link set " + name + " type bridge " + BridgeText.options(options);
    }

    @Override
    public List<String> links() {
      return List.of(name);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return LinkRequests.bridgeOptions(name, options);
    }
  }

  /** {@code accept-all-mac-addresses}: promiscuous mode on or off. */
  record SetPromisc(String name, boolean on, Diff diff) implements Op {
    @Override
    public int stage() {
      return SETTINGS;
    }

    @Override
    public String describe() {
      return "ip link set " + name + " promisc " + (on ? "on" : "off");
    }

    @Override
    public List<String> links() {
      return List.of(name);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return LinkRequests.promisc(name, on);
    }
  }

  /** disable_ipv6 through sysctl: the one setting netlink cannot make. */
  record SetIpv6(String name, boolean disabled, Diff diff) implements Op {
    @Override
    public int stage() {
      return SETTINGS;
    }

    @Override
    public String describe() {
      return "sysctl -w net.ipv6.conf." + name + ".disable_ipv6=" + (disabled ? 1 : 0);
    }

    @Override
    public List<String> links() {
      return List.of(name);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return null;
    }
  }

  /** Enslaves {@code name} to {@code master}, or releases it when {@code master} is null. */
  record SetMaster(String name, String master, Diff diff) implements Op {
    @Override
    public int stage() {
      return master == null ? RELEASE_PORTS : ENSLAVE;
    }

    @Override
    public String describe() {
      return "ip link set " + name + (master == null ? " nomaster" : " master " + master);
    }

    @Override
    public List<String> links() {
      return master == null ? List.of(name) : List.of(name, master);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return LinkOps.setMasterRequest(name, master == null ? 0 : index.applyAsInt(master));
    }
  }

  record SetBridgePort(String name, BridgePortOptions options, Diff diff) implements Op {
    @Override
    public int stage() {
      return PORT_SETTINGS;
    }

    @Override
    public String describe() {
      return "ip link set " + name + " type bridge_slave " + BridgeText.port(options);
    }

    @Override
    public List<String> links() {
      return List.of(name);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return LinkOps.bridgePortRequest(name, options);
    }
  }

  /**
   * Bond options on an existing or just-created bond, set once its ports are in ({@code primary}
   * names a port; the kernel takes its index).
   */
  record SetBondOptions(String name, LinkKind.Bond options, String primary, Diff diff)
      implements Op {
    @Override
    public int stage() {
      return PORT_SETTINGS;
    }

    @Override
    public String describe() {
      var sb = new StringBuilder("ip link set ").append(name).append(" type bond");
      if (options.miimon() != null) sb.append(" miimon ").append(options.miimon());
      if (options.updelay() != null) sb.append(" updelay ").append(options.updelay());
      if (options.downdelay() != null) sb.append(" downdelay ").append(options.downdelay());
      if (options.xmitHashPolicy() != null) {
        sb.append(" xmit_hash_policy ").append(options.xmitHashPolicy());
      }
      if (options.minLinks() != null) sb.append(" min_links ").append(options.minLinks());
      if (options.lacpRate() != null) sb.append(" lacp_rate ").append(options.lacpRate());
      options
          .more()
          .forEach(
              (attr, v) -> {
                for (var o : io.multihome.agent.netlink.BondOptions.all()) {
                  if (o.attr() == attr) {
                    sb.append(' ').append(o.name()).append(' ').append(v);
                    break;
                  }
                }
              });
      if (primary != null) sb.append(" primary ").append(primary);
      return sb.toString();
    }

    @Override
    public List<String> links() {
      return List.of(name);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return LinkRequests.bondOptions(
          name, options, primary == null ? null : index.applyAsInt(primary));
    }
  }

  /** The kernel refuses to enslave an up link to a bond; it brings the port up itself. */
  record DownForBond(String name, Diff diff) implements Op {
    @Override
    public int stage() {
      return RELEASE_PORTS;
    }

    @Override
    public String describe() {
      return "ip link set " + name + " down";
    }

    @Override
    public List<String> links() {
      return List.of(name);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return LinkOps.setUpRequest(name, false);
    }
  }

  /** {@code bridge vlan add|del dev PORT vid X[-Y] [pvid] [untagged]}, after the port is in. */
  record SetPortVlan(String name, BridgeVlan vlan, boolean add, Diff diff) implements Op {
    @Override
    public int stage() {
      return PORT_SETTINGS;
    }

    @Override
    public String describe() {
      return "bridge vlan "
          + (add ? "add" : "del")
          + " dev "
          + name
          + " vid "
          + vlan.vid()
          + (vlan.vidEnd() != vlan.vid() ? "-" + vlan.vidEnd() : "")
          + (add && vlan.pvid() ? " pvid" : "")
          + (add && vlan.untagged() ? " untagged" : "");
    }

    @Override
    public List<String> links() {
      return List.of(name);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      int i = index.applyAsInt(name);
      return add
          ? BridgeVlanOps.addRequest(i, vlan, false)
          : BridgeVlanOps.deleteRequest(i, vlan, false);
    }
  }

  record SetUp(String name, boolean up, Diff diff) implements Op {
    @Override
    public int stage() {
      return ADMIN_STATE;
    }

    @Override
    public String describe() {
      return "ip link set " + name + (up ? " up" : " down");
    }

    @Override
    public List<String> links() {
      return List.of(name);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return LinkOps.setUpRequest(name, up);
    }
  }

  record AddAddress(String name, IpPrefix prefix, Diff diff) implements Op {
    @Override
    public int stage() {
      return ADD_ADDRESSES;
    }

    @Override
    public String describe() {
      return "ip addr add " + Ips.text(prefix) + " dev " + name;
    }

    @Override
    public List<String> links() {
      return List.of(name);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return AddressOps.addRequest(index.applyAsInt(name), prefix, false);
    }
  }

  record DelAddress(String name, IpPrefix prefix, Diff diff) implements Op {
    @Override
    public int stage() {
      return DEL_ADDRESSES;
    }

    @Override
    public String describe() {
      return "ip addr del " + Ips.text(prefix) + " dev " + name;
    }

    @Override
    public List<String> links() {
      return List.of(name);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return LinkRequests.deleteAddress(index.applyAsInt(name), prefix);
    }
  }

  /**
   * A route to add; {@code route} has no oif, {@code dev} names it. {@code replace} is for routes
   * the kernel flushes during the plan (its link lost its last IPv4 address) and that come back.
   */
  record AddRoute(Route route, String dev, boolean replace, Diff diff) implements Op {
    @Override
    public int stage() {
      return ADD_ROUTES;
    }

    @Override
    public String describe() {
      return (replace ? "ip route replace " : "ip route append ") + RouteText.describe(route, dev);
    }

    /** Not replaced: appended, as nmstate adds routes (another next hop to a destination). */
    @Override
    public Request request(ToIntFunction<String> index) {
      var r = dev == null ? route : route.dev(index.applyAsInt(dev));
      return replace ? RouteOps.addRequest(r, true) : RouteOps.appendRequest(r);
    }
  }

  /** An existing route to delete, as the kernel reported it. */
  record DelRoute(Route route, String dev, Diff diff) implements Op {
    @Override
    public int stage() {
      return DEL_ROUTES;
    }

    @Override
    public String describe() {
      return "ip route del " + RouteText.describe(route, dev);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return RouteOps.deleteRequest(route);
    }
  }

  record AddRule(Rule rule, Diff diff) implements Op {
    @Override
    public int stage() {
      return ADD_ROUTES;
    }

    @Override
    public String describe() {
      return "ip rule add " + RouteText.describe(rule);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return RuleOps.addRequest(rule);
    }
  }

  record DelRule(Rule rule, Diff diff) implements Op {
    @Override
    public int stage() {
      return DEL_ROUTES;
    }

    @Override
    public String describe() {
      return "ip rule del " + RouteText.describe(rule);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return RuleOps.deleteRequest(rule);
    }
  }

  /**
   * Replaces the namespace's resolver file with {@code config} (static DNS); done by a file write,
   * last, so a failed plan never leaves DNS changed without the links it may depend on.
   */
  record WriteDns(java.nio.file.Path file, io.multihome.state.DnsConfig config, Diff diff)
      implements Op {
    @Override
    public int stage() {
      return WRITE_DNS;
    }

    @Override
    public String describe() {
      return "write " + file + ": " + ResolvConf.summary(config);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return null;
    }
  }
}

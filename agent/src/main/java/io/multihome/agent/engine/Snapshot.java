package io.multihome.agent.engine;

import io.multihome.agent.netlink.Address;
import io.multihome.agent.netlink.BridgeVlan;
import io.multihome.agent.netlink.Route;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.agent.netlink.Rtnl;
import io.multihome.agent.netlink.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the engine reads from one namespace at one moment: links, addresses, routes, rules,
 * bridge port VLANs, ethtool link modes of some links ({@code linkModes}, empty when not read),
 * MPTCP endpoints, the node's Open vSwitch ({@code ovs}, null when not read) and what the engine
 * reads beside the dumps ({@code extras}).
 */
public record Snapshot(
    List<NodeLink> links,
    List<Address> addresses,
    List<Route> routes,
    List<Rule> rules,
    Map<Integer, List<BridgeVlan>> vlans,
    Map<String, io.multihome.agent.netlink.Ethtool.LinkModes> linkModes,
    List<io.multihome.agent.netlink.Mptcp.Endpoint> mptcp,
    OvsSnapshot ovs,
    NodeExtras extras) {

  /**
   * {@code vlans}: bridge port VLANs by port index, as the kernel lists them (ranges kept); {@code
   * mptcp}: the MPTCP endpoints, null when not read (only a state with mptcp flags and show read
   * them); {@code extras}: what the engine reads beside the dumps ({@link NodeExtras#EMPTY} when
   * not read).
   */
  public Snapshot {
    extras = extras == null ? NodeExtras.EMPTY : extras;
    mptcp = mptcp == null ? null : List.copyOf(mptcp);
    linkModes = linkModes == null ? Map.of() : Map.copyOf(linkModes);
    vlans = Map.copyOf(vlans);
    links = List.copyOf(links);
    addresses = List.copyOf(addresses);
    routes = List.copyOf(routes);
    rules = List.copyOf(rules);
  }

  public Snapshot(
      List<NodeLink> links, List<Address> addresses, List<Route> routes, List<Rule> rules) {
    this(links, addresses, routes, rules, Map.of());
  }

  public Snapshot(
      List<NodeLink> links,
      List<Address> addresses,
      List<Route> routes,
      List<Rule> rules,
      Map<Integer, List<BridgeVlan>> vlans,
      Map<String, io.multihome.agent.netlink.Ethtool.LinkModes> linkModes) {
    this(links, addresses, routes, rules, vlans, linkModes, null, null, NodeExtras.EMPTY);
  }

  /** Without {@link NodeExtras} (read only when a state or show needs them). */
  public Snapshot(
      List<NodeLink> links,
      List<Address> addresses,
      List<Route> routes,
      List<Rule> rules,
      Map<Integer, List<BridgeVlan>> vlans,
      Map<String, io.multihome.agent.netlink.Ethtool.LinkModes> linkModes,
      List<io.multihome.agent.netlink.Mptcp.Endpoint> mptcp,
      OvsSnapshot ovs) {
    this(links, addresses, routes, rules, vlans, linkModes, mptcp, ovs, NodeExtras.EMPTY);
  }

  /** This snapshot with the namespace's MPTCP endpoints. */
  public Snapshot withMptcp(List<io.multihome.agent.netlink.Mptcp.Endpoint> endpoints) {
    return new Snapshot(links, addresses, routes, rules, vlans, linkModes, endpoints, ovs, extras);
  }

  /** This snapshot with the node's Open vSwitch state. */
  public Snapshot withOvs(OvsSnapshot state) {
    return new Snapshot(links, addresses, routes, rules, vlans, linkModes, mptcp, state, extras);
  }

  /** This snapshot with what the engine read beside the dumps. */
  public Snapshot withExtras(NodeExtras e) {
    return new Snapshot(links, addresses, routes, rules, vlans, linkModes, mptcp, ovs, e);
  }

  /** Without ethtool link modes (read only when a state or show needs them) and Open vSwitch. */
  public Snapshot(
      List<NodeLink> links,
      List<Address> addresses,
      List<Route> routes,
      List<Rule> rules,
      Map<Integer, List<BridgeVlan>> vlans) {
    this(links, addresses, routes, rules, vlans, Map.of());
  }

  /** This snapshot with the speed, duplex and auto-negotiation of some links (by name). */
  public Snapshot withLinkModes(Map<String, io.multihome.agent.netlink.Ethtool.LinkModes> modes) {
    return new Snapshot(links, addresses, routes, rules, vlans, modes, mptcp, ovs, extras);
  }

  /** Reads the namespace {@code nl} is bound to: five dumps. */
  public static Snapshot read(RtNetlink nl) {
    var links = LinkDump.list(nl);
    var ports = new java.util.HashSet<Integer>();
    for (var l : links) {
      if ("bridge".equals(l.link().slaveKind())) {
        ports.add(l.index());
      }
    }
    var vlans = new HashMap<Integer, List<BridgeVlan>>();
    if (!ports.isEmpty()) {
      // Only bridge ports: the bridge device's own VLANs (self) are not managed.
      nl.bridgeVlans()
          .list()
          .forEach(
              (i, v) -> {
                if (ports.contains(i)) {
                  vlans.put(i, v);
                }
              });
    }
    return new Snapshot(
        links,
        nl.addresses().list(),
        nl.routes().list(Rtnl.AF_UNSPEC),
        nl.rules().list(Rtnl.AF_UNSPEC),
        vlans);
  }

  /** The links by name, in kernel order. */
  public Map<String, NodeLink> byName() {
    var m = new LinkedHashMap<String, NodeLink>();
    for (var l : links) {
      m.put(l.name(), l);
    }
    return m;
  }

  public Map<Integer, NodeLink> byIndex() {
    var m = new HashMap<Integer, NodeLink>();
    for (var l : links) {
      m.put(l.index(), l);
    }
    return m;
  }

  /** Addresses by link index, in kernel order. */
  public Map<Integer, List<Address>> addressesByIndex() {
    var m = new HashMap<Integer, List<Address>>();
    for (var a : addresses) {
      m.computeIfAbsent(a.index(), k -> new ArrayList<>()).add(a);
    }
    return m;
  }

  /** The name of the link with {@code index}, or null (none, or not in this namespace). */
  public String nameOf(Integer index) {
    if (index == null) {
      return null;
    }
    for (var l : links) {
      if (l.index() == index) {
        return l.name();
      }
    }
    return null;
  }
}

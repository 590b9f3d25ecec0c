package io.multihome.agent.engine;

import io.multihome.agent.netlink.Address;
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
 * Everything the engine reads from one namespace at one moment: links, addresses, routes, rules.
 */
public record Snapshot(
    List<NodeLink> links, List<Address> addresses, List<Route> routes, List<Rule> rules) {

  public Snapshot {
    links = List.copyOf(links);
    addresses = List.copyOf(addresses);
    routes = List.copyOf(routes);
    rules = List.copyOf(rules);
  }

  /** Reads the namespace {@code nl} is bound to: four dumps. */
  public static Snapshot read(RtNetlink nl) {
    return new Snapshot(
        LinkDump.list(nl),
        nl.addresses().list(),
        nl.routes().list(Rtnl.AF_UNSPEC),
        nl.rules().list(Rtnl.AF_UNSPEC));
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

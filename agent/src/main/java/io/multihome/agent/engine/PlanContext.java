package io.multihome.agent.engine;

import io.multihome.agent.netlink.Address;
import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.state.DesiredState;
import io.multihome.state.Interface;
import io.multihome.state.InterfaceState;
import io.multihome.state.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What one planning pass knows and collects: the node, the document's names, ops, problems. */
final class PlanContext {
  private final Snapshot snapshot;
  private final Map<String, NodeLink> byName;
  private final Map<Integer, NodeLink> byIndex;
  private final Map<Integer, List<Address>> addresses;
  private final Map<Integer, List<NodeLink>> portsByMaster = new java.util.HashMap<>();
  private final List<Op> ops = new ArrayList<>();
  private final List<Problem> problems = new ArrayList<>();
  private final Set<String> touched = new LinkedHashSet<>();
  private final Set<String> created = new HashSet<>();
  private final Set<String> createdPeers = new HashSet<>();
  private final Set<String> deleted = new HashSet<>();
  private final Set<String> listedPorts = new HashSet<>();
  private final Set<String> listed = new HashSet<>();
  private final Set<String> ovsBridges = new HashSet<>();
  private String noDynamicIp = DynamicIpPlanner.NO_CLIENT;
  private final Set<String> addressDeletes = new HashSet<>();
  private final Set<String> vrfs = new HashSet<>();

  /** Ports each bridge or bond of the document lists (absent when it gives no port list). */
  private final Map<String, Set<String>> portLists = new java.util.HashMap<>();

  PlanContext(Snapshot snapshot, DesiredState desired) {
    this.snapshot = snapshot;
    this.byName = snapshot.byName();
    this.byIndex = snapshot.byIndex();
    this.addresses = snapshot.addressesByIndex();
    for (var l : snapshot.links()) {
      if (l.link().masterIndex() != null) {
        portsByMaster.computeIfAbsent(l.link().masterIndex(), k -> new ArrayList<>()).add(l);
      }
    }
    for (var i : desired.interfacesOrEmpty()) {
      listed.add(i.name());
      if (i instanceof Interface.Vrf) {
        vrfs.add(i.name());
      }
      var state = i.common().effectiveState();
      if (state == InterfaceState.ABSENT || state == InterfaceState.IGNORE) {
        if (state == InterfaceState.ABSENT && byName.containsKey(i.name())) {
          deleted.add(i.name());
        }
        continue;
      }
      if (i instanceof Interface.LinuxBridge b) {
        listedPorts.addAll(b.portNames());
        if (b.bridge() != null && b.bridge().port() != null) {
          portLists.put(i.name(), new HashSet<>(b.portNames()));
        }
      }
      // An OVS bridge and a patch port have no kernel device: nothing is created for them.
      if (i instanceof Interface.OvsBridge) {
        ovsBridges.add(i.name());
        continue;
      }
      if (i instanceof Interface.OvsInterface o && o.isPatch()) {
        continue;
      }
      if (i instanceof Interface.Bond b
          && b.linkAggregation() != null
          && b.linkAggregation().ports() != null) {
        listedPorts.addAll(b.linkAggregation().ports());
        portLists.put(i.name(), new HashSet<>(b.linkAggregation().ports()));
      }
      if (byName.containsKey(i.name())) {
        continue;
      }
      created.add(i.name());
      if (i instanceof Interface.Veth v
          && v.veth() != null
          && v.veth().peer() != null
          && !createdPeers.contains(i.name())) {
        created.add(v.veth().peer());
        createdPeers.add(v.veth().peer());
      }
    }
  }

  Snapshot snapshot() {
    return snapshot;
  }

  NodeLink current(String name) {
    return byName.get(name);
  }

  String nameOf(Integer index) {
    return StateReader.nameOf(byIndex, index);
  }

  /** The links enslaved to the link with {@code index} now. */
  List<NodeLink> portsOf(int index) {
    return portsByMaster.getOrDefault(index, List.of());
  }

  boolean willExist(String name) {
    return (byName.containsKey(name) && !deleted.contains(name)) || created.contains(name);
  }

  /** Whether {@code name} is the peer end of a veth this plan creates from another entry. */
  boolean createdAsPeer(String name) {
    return createdPeers.contains(name);
  }

  /** Whether the document lists {@code name} (with any state). */
  boolean listed(String name) {
    return listed.contains(name);
  }

  /** Whether the document's port list of {@code master} leaves {@code port} out. */
  boolean releasedByPlan(String port, String master) {
    var list = portLists.get(master);
    return list != null && !list.contains(port);
  }

  /** True the first time the plan deletes {@code prefix} from {@code name}. */
  boolean planAddressDelete(String name, IpPrefix prefix) {
    return addressDeletes.add(name + " " + prefix);
  }

  /** Whether {@code name} is a VRF, in the document or on the node. */
  boolean isVrf(String name) {
    if (vrfs.contains(name)) {
      return true;
    }
    var l = byName.get(name);
    return l != null && "vrf".equals(l.kind());
  }

  boolean enslavedByPlan(String name) {
    return listedPorts.contains(name);
  }

  /**
   * Records that {@code link} is deleted and everything the kernel changes with it; returns true
   * when it already goes away with an earlier delete (the other end of a veth).
   */
  boolean deleting(NodeLink link) {
    var peer =
        link.link().kind() instanceof LinkKind.Veth && link.link().netnsId() == null
            ? nameOf(link.link().parentIndex())
            : null;
    boolean already = peer != null && touchedByDelete.contains(peer);
    touchedByDelete.add(link.name());
    touched.add(link.name());
    if (peer != null) {
      touched.add(peer);
    }
    for (var l : snapshot.links()) {
      var k = l.link().kind();
      Integer under = k instanceof LinkKind.Vxlan x ? x.underlayIndex() : null;
      boolean dependant =
          !(k instanceof LinkKind.Veth)
              && (Integer.valueOf(link.index()).equals(l.link().parentIndex())
                  || Integer.valueOf(link.index()).equals(under));
      if (dependant || Integer.valueOf(link.index()).equals(l.link().masterIndex())) {
        touched.add(l.name());
      }
    }
    return already;
  }

  private final Set<String> touchedByDelete = new HashSet<>();

  List<IpPrefix> configuredAddresses(NodeLink link) {
    var out = new ArrayList<IpPrefix>();
    for (var a : addresses.getOrDefault(link.index(), List.of())) {
      if (!AddressMapping.isAutomatic(a)) {
        out.add(a.local());
      }
    }
    return out;
  }

  List<IpPrefix> configuredAddresses(NodeLink link, int family) {
    return AddressMapping.configured(addresses.getOrDefault(link.index(), List.of()), family);
  }

  /** Why DHCP and autoconf are refused (no client to run them), or null when they are not. */
  String noDynamicIp() {
    return noDynamicIp;
  }

  void noDynamicIp(String why) {
    noDynamicIp = why;
  }

  void add(Op op) {
    ops.add(op);
    touched.addAll(op.links());
  }

  void problem(String path, String message) {
    problems.add(new Problem(path, message));
  }

  List<Problem> problems() {
    return problems;
  }

  List<Op> ops() {
    return ops;
  }

  Set<String> touched() {
    return touched;
  }

  /** Whether the document lists an ovs-bridge named {@code name} (not absent). */
  boolean listsOvsBridge(String name) {
    return ovsBridges.contains(name);
  }

  boolean isDeleted(String name) {
    return deleted.contains(name);
  }
}

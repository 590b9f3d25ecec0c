package io.multihome.agent.engine;

import io.multihome.agent.lldp.NeighborStore;
import io.multihome.agent.netlink.Ethtool;
import io.multihome.agent.netlink.EthtoolSettings;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.state.DesiredState;
import io.multihome.state.Interface;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@link NodeExtras} for one engine: only what a desired state asks about (planning,
 * verification), or everything {@code show} prints.
 */
final class ExtrasReader {
  private final Target target;
  private final Path stateDir;
  private final Path sysfsRoot;

  ExtrasReader(Target target, Path stateDir, Path sysfsRoot) {
    this.target = target;
    this.stateDir = stateDir;
    this.sysfsRoot = sysfsRoot;
  }

  private NodeExtras.Env env() {
    return new NodeExtras.Env(
        target.netns(),
        KeptSettings.file(stateDir, target),
        HostnamePlanner.file(target),
        HostnamePlanner.refusal(target));
  }

  /** What planning {@code desired} against {@code now} compares with. */
  NodeExtras forPlan(DesiredState desired, Snapshot now, RtNetlink nl) {
    var ethtoolNames = new java.util.HashSet<String>();
    var pfs = new java.util.HashSet<String>();
    for (var i : desired.interfacesOrEmpty()) {
      if (i.common().options().ethtool() != null) {
        ethtoolNames.add(i.name());
      }
      if (i instanceof Interface.Ethernet e
          && e.ethernet() != null
          && e.ethernet().srIov() != null
          && e.ethernet().srIov().driversAutoprobe() != null) {
        pfs.add(i.name());
      }
    }
    var names = now.byName().keySet();
    ethtoolNames.retainAll(names);
    pfs.retainAll(names);
    return new NodeExtras(
        ethtool(ethtoolNames),
        autoprobe(nl, pfs),
        KeptSettings.read(KeptSettings.file(stateDir, target)),
        desired.hostname() == null ? null : HostnamePlanner.read(target),
        Map.of(),
        env(),
        bondsConcerned(desired, now) ? BondSlb.read(target.netns()) : Map.of());
  }

  /** Everything {@code show} prints for the links {@code wanted} accepts. */
  NodeExtras forShow(Snapshot now, RtNetlink nl, java.util.function.Predicate<String> wanted) {
    Map<String, EthtoolSettings> ethtool = new HashMap<>();
    try (var genl = RtNetlink.openGeneric(target.netns())) {
      var e = Ethtool.on(genl);
      if (e != null) {
        e.settings()
            .readAll()
            .forEach(
                (n, s) -> {
                  if (wanted.test(n)) {
                    ethtool.put(n, s);
                  }
                });
      }
    }
    var pfs = new java.util.HashSet<String>();
    for (var l : now.links()) {
      if (wanted.test(l.name()) && l.link().numVfs() != null && l.link().numVfs() > 0) {
        pfs.add(l.name());
      }
    }
    return new NodeExtras(
        ethtool,
        autoprobe(nl, pfs),
        KeptSettings.read(KeptSettings.file(stateDir, target)),
        HostnamePlanner.read(target),
        NeighborStore.read(NeighborStore.file(stateDir, target), System.currentTimeMillis()),
        env(),
        now.links().stream()
                .anyMatch(l -> wanted.test(l.name()) && l.link().kind() instanceof LinkKind.Bond)
            ? BondSlb.read(target.netns())
            : Map.of());
  }

  /**
   * Whether {@code desired} names a bond, a bond of the node or a port of one: only then can a
   * balance-slb table need a change (one nft process, not read for other states).
   */
  private static boolean bondsConcerned(DesiredState desired, Snapshot now) {
    var byName = now.byName();
    var bonds = new java.util.HashSet<Integer>();
    for (var l : now.links()) {
      if (l.link().kind() instanceof LinkKind.Bond) {
        bonds.add(l.index());
      }
    }
    for (var i : desired.interfacesOrEmpty()) {
      if (i instanceof Interface.Bond) {
        return true;
      }
      var l = byName.get(i.name());
      if (l != null
          && (bonds.contains(l.index())
              || (l.link().masterIndex() != null && bonds.contains(l.link().masterIndex())))) {
        return true;
      }
    }
    return false;
  }

  private Map<String, EthtoolSettings> ethtool(Set<String> names) {
    var out = new HashMap<String, EthtoolSettings>();
    if (names.isEmpty()) {
      return out;
    }
    try (var genl = RtNetlink.openGeneric(target.netns())) {
      var e = Ethtool.on(genl);
      if (e == null) {
        return out;
      }
      var ops = e.settings();
      for (var n : names) {
        out.put(n, ops.read(n));
      }
    }
    return out;
  }

  /** {@code sriov_drivers_autoprobe} of each PF's device; PFs without the file are left out. */
  private Map<String, Boolean> autoprobe(RtNetlink nl, Set<String> pfs) {
    var out = new HashMap<String, Boolean>();
    for (var pf : pfs) {
      var file = SriovDevice.find(nl, sysfsRoot, pf).resolve("sriov_drivers_autoprobe");
      try {
        if (Files.exists(file)) {
          out.put(pf, !Files.readString(file).strip().equals("0"));
        }
      } catch (IOException e) {
        // Unreadable: left out, the planner then says the PF has no such setting.
      }
    }
    return out;
  }
}

package io.multihome.agent.engine;

import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.LinkOps;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.agent.netlink.Vf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The SR-IOV part of a checkpoint: for every PF a plan changes, its VF count, the sysfs root it was
 * planned with, and each VF's settings. Rollback puts the VF count back (through 0) and then every
 * VF setting that differs, and reports what still differs.
 */
public final class SriovCheckpoint {
  private SriovCheckpoint() {}

  /** A PF as it was. */
  public record SavedPf(String pf, String sysfsRoot, int numVfs, List<SavedVf> vfs) {}

  /** A VF as it was; {@code vlanProto} 0x88a8 for 802.1ad, null otherwise. */
  public record SavedVf(
      int id,
      String mac,
      Integer vlan,
      Integer qos,
      Integer vlanProto,
      Boolean spoofchk,
      Boolean trust,
      Integer minTxRate,
      Integer maxTxRate) {}

  static List<SavedPf> capture(Snapshot before, Plan plan, Path sysfsRoot) {
    var pfs = new LinkedHashSet<String>();
    for (var op : plan.ops()) {
      if (op instanceof SriovOps.SetNumVfs n) {
        pfs.add(n.pf());
      } else if (op instanceof SriovOps.SetVf v) {
        pfs.add(v.pf());
      }
    }
    var byName = before.byName();
    var out = new ArrayList<SavedPf>();
    for (var pf : pfs) {
      var link = byName.get(pf).link();
      var vfs = new ArrayList<SavedVf>();
      for (var v : link.vfs()) {
        vfs.add(
            new SavedVf(
                v.vf(),
                v.mac() == null ? null : v.mac().toString(),
                v.vlan(),
                v.qos(),
                Objects.equals(v.vlanProto(), SriovMapping.ETH_P_8021AD) ? v.vlanProto() : null,
                v.spoofchk(),
                v.trust(),
                v.minTxRate(),
                v.maxTxRate()));
      }
      out.add(
          new SavedPf(pf, sysfsRoot.toString(), link.numVfs() == null ? 0 : link.numVfs(), vfs));
    }
    return out;
  }

  /** Restores every saved PF; returns what failed or still differs. */
  static List<String> restore(RtNetlink nl, List<SavedPf> saved) {
    var failures = new ArrayList<String>();
    if (saved == null) {
      return failures;
    }
    for (var s : saved) {
      try {
        var link = find(nl, s.pf());
        if (link == null) {
          failures.add("sr-iov of " + s.pf() + ": the link is gone");
          continue;
        }
        int now = link.link().numVfs() == null ? 0 : link.link().numVfs();
        if (now != s.numVfs()) {
          SriovOps.setNumVfs(nl, Path.of(s.sysfsRoot()), s.pf(), s.numVfs());
          link = find(nl, s.pf());
        }
        var current = SriovPlanner.byId(link.link().vfs());
        for (var v : s.vfs()) {
          var change = change(v, current.get(v.id()));
          if (change != null) {
            nl.execute(LinkOps.vfRequest(s.pf(), change));
          }
        }
        var after = SriovPlanner.byId(find(nl, s.pf()).link().vfs());
        for (var v : s.vfs()) {
          if (change(v, after.get(v.id())) != null) {
            failures.add(
                "interfaces["
                    + s.pf()
                    + "].ethernet.sr-iov VF "
                    + v.id()
                    + ": saved "
                    + v
                    + ", now "
                    + after.get(v.id()));
          }
        }
      } catch (RuntimeException e) {
        failures.add("sr-iov of " + s.pf() + ": " + e.getMessage());
      }
    }
    return failures;
  }

  private static NodeLink find(RtNetlink nl, String name) {
    return LinkDump.list(nl).stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
  }

  /** The settings of {@code saved} that differ in {@code now}, as one VF request; null if none. */
  static Vf change(SavedVf saved, Vf now) {
    var v = Vf.of(saved.id());
    boolean any = false;
    if (saved.mac() != null && (now == null || !HwAddr.parse(saved.mac()).equals(now.mac()))) {
      v = v.withMac(HwAddr.parse(saved.mac()));
      any = true;
    }
    if (saved.vlan() != null
        && (now == null
            || !saved.vlan().equals(now.vlan())
            || !Objects.equals(saved.qos(), now.qos())
            || (now.vlanProto() != null
                && SriovMapping.protoOf(now)
                    != (saved.vlanProto() == null
                        ? SriovMapping.ETH_P_8021Q
                        : saved.vlanProto())))) {
      v = v.withVlan(saved.vlan(), saved.qos() == null ? 0 : saved.qos(), saved.vlanProto());
      any = true;
    }
    if (saved.spoofchk() != null && (now == null || !saved.spoofchk().equals(now.spoofchk()))) {
      v = v.withSpoofchk(saved.spoofchk());
      any = true;
    }
    if (saved.trust() != null && (now == null || !saved.trust().equals(now.trust()))) {
      v = v.withTrust(saved.trust());
      any = true;
    }
    if (saved.maxTxRate() != null
        && (now == null
            || !Objects.equals(saved.minTxRate(), now.minTxRate())
            || !saved.maxTxRate().equals(now.maxTxRate()))) {
      v = v.withRate(saved.minTxRate() == null ? 0 : saved.minTxRate(), saved.maxTxRate());
      any = true;
    }
    return any ? v : null;
  }
}

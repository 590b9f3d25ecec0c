package io.multihome.agent.engine;

import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.Vf;
import io.multihome.state.EthernetConfig;
import io.multihome.state.Interface;
import io.multihome.state.InterfaceState;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Plans nmstate's {@code ethernet.sr-iov} of an existing PF: {@code total-vfs} different from the
 * kernel's VF count → {@link SriovOps.SetNumVfs}; each listed VF's given settings that differ → one
 * {@link SriovOps.SetVf} per group (MAC, VLAN with QoS and protocol, spoof-check, trust, rates),
 * each carrying the path of the setting it closes. VFs and settings not listed are kept. When the
 * VF count changes the VFs are new, so every listed setting is sent.
 */
final class SriovPlanner {
  private SriovPlanner() {}

  static void plan(Interface d, String at, PlanContext ctx) {
    if (!(d instanceof Interface.Ethernet e)
        || e.ethernet() == null
        || e.ethernet().srIov() == null) {
      return;
    }
    var state = d.common().effectiveState();
    var cur = ctx.current(d.name());
    if (state == InterfaceState.ABSENT || state == InterfaceState.IGNORE || cur == null) {
      return; // a missing NIC is reported by the interface planner
    }
    var s = e.ethernet().srIov();
    var at2 = at + ".ethernet.sr-iov";
    var path = "interfaces[" + d.name() + "].ethernet.sr-iov";
    if (s.driversAutoprobe() != null) {
      // Planned before the VF count: VFs made afterwards bind (or not) as it says.
      var have = ctx.snapshot().extras().driversAutoprobe().get(d.name());
      if (have == null) {
        ctx.problem(
            at2 + ".drivers-autoprobe",
            d.name()
                + " has no sriov_drivers_autoprobe in sysfs (not a PCI SR-IOV physical function)");
      } else if (!have.equals(s.driversAutoprobe())) {
        ctx.add(
            new OptionOps.SetDriversAutoprobe(
                d.name(),
                s.driversAutoprobe(),
                new Op.Diff(path + ".drivers-autoprobe", "" + s.driversAutoprobe(), "" + have)));
      }
    }
    Integer now = cur.link().numVfs();
    boolean wantsVfs =
        (s.totalVfs() != null && s.totalVfs() > 0) || (s.vfs() != null && !s.vfs().isEmpty());
    if (now == null) {
      if (wantsVfs) {
        ctx.problem(
            at2,
            d.name()
                + " is not an SR-IOV physical function (the kernel reports no VF table for it)");
      }
      return;
    }
    int count = s.totalVfs() == null ? now : s.totalVfs();
    boolean recreate = count != now;
    if (recreate) {
      ctx.add(
          new SriovOps.SetNumVfs(
              d.name(), count, new Op.Diff(path + ".total-vfs", "" + count, "" + now)));
    }
    if (s.vfs() == null) {
      return;
    }
    var current = new HashMap<Integer, Vf>();
    if (!recreate) {
      cur.link().vfs().forEach(v -> current.put(v.vf(), v));
    }
    for (int i = 0; i < s.vfs().size(); i++) {
      var vf = s.vfs().get(i);
      if (vf.id() == null || vf.id() < 0) {
        continue; // the validator reports it
      }
      if (vf.id() >= count) {
        ctx.problem(
            at2 + ".vfs[" + i + "].id",
            "VF " + vf.id() + " does not exist: " + d.name() + " has " + count + " VFs");
        continue;
      }
      vf(
          d.name(),
          vf,
          current.get(vf.id()),
          at2 + ".vfs[" + i + "]",
          path + ".vfs[" + i + "]",
          ctx);
    }
  }

  private static void vf(
      String pf, EthernetConfig.Vf want, Vf now, String at, String path, PlanContext ctx) {
    int id = want.id();
    if (want.macAddress() != null) {
      HwAddr mac;
      try {
        mac = HwAddr.parse(want.macAddress());
      } catch (IllegalArgumentException e) {
        ctx.problem(at + ".mac-address", e.getMessage());
        return;
      }
      if (now == null || !mac.equals(now.mac())) {
        ctx.add(
            new SriovOps.SetVf(
                pf,
                Vf.of(id).withMac(mac),
                diff(path + ".mac-address", want.macAddress(), now == null ? null : now.mac())));
      }
    }
    vlan(pf, want, now, at, path, ctx);
    if (want.spoofCheck() != null && (now == null || !want.spoofCheck().equals(now.spoofchk()))) {
      ctx.add(
          new SriovOps.SetVf(
              pf,
              Vf.of(id).withSpoofchk(want.spoofCheck()),
              diff(path + ".spoof-check", want.spoofCheck(), now == null ? null : now.spoofchk())));
    }
    if (want.trust() != null && (now == null || !want.trust().equals(now.trust()))) {
      ctx.add(
          new SriovOps.SetVf(
              pf,
              Vf.of(id).withTrust(want.trust()),
              diff(path + ".trust", want.trust(), now == null ? null : now.trust())));
    }
    if (want.minTxRate() != null || want.maxTxRate() != null) {
      int min = pick(want.minTxRate(), now == null ? null : now.minTxRate());
      int max = pick(want.maxTxRate(), now == null ? null : now.maxTxRate());
      if (now == null
          || !Objects.equals(min, now.minTxRate())
          || !Objects.equals(max, now.maxTxRate())) {
        boolean minDiffers = now == null || !Objects.equals(min, now.minTxRate());
        var which = want.minTxRate() != null && minDiffers ? "min-tx-rate" : "max-tx-rate";
        ctx.add(
            new SriovOps.SetVf(
                pf,
                Vf.of(id).withRate(min, max),
                diff(
                    path + "." + which,
                    which.startsWith("min") ? min : max,
                    now == null
                        ? null
                        : which.startsWith("min") ? now.minTxRate() : now.maxTxRate())));
      }
    }
  }

  private static void vlan(
      String pf, EthernetConfig.Vf want, Vf now, String at, String path, PlanContext ctx) {
    if (want.vlanId() == null && want.qos() == null && want.vlanProto() == null) {
      return;
    }
    int vlan = pick(want.vlanId(), now == null ? null : now.vlan());
    int qos = pick(want.qos(), now == null ? null : now.qos());
    Integer proto = null;
    if (want.vlanProto() != null) {
      proto = SriovMapping.proto(want.vlanProto());
      if (proto == null) {
        ctx.problem(at + ".vlan-proto", "'" + want.vlanProto() + "' is not one of 802.1q, 802.1ad");
        return;
      }
    }
    Op.Diff diff = null;
    if (now == null || !Objects.equals(vlan, now.vlan())) {
      diff = diff(path + ".vlan-id", vlan, now == null ? null : now.vlan());
    } else if (!Objects.equals(qos, now.qos())) {
      diff = diff(path + ".qos", qos, now.qos());
    } else if (proto != null && proto != SriovMapping.protoOf(now)) {
      diff =
          diff(
              path + ".vlan-proto",
              want.vlanProto(),
              SriovMapping.protoText(SriovMapping.protoOf(now)));
    }
    if (diff != null) {
      ctx.add(new SriovOps.SetVf(pf, Vf.of(want.id()).withVlan(vlan, qos, proto), diff));
    }
  }

  private static int pick(Integer wanted, Integer current) {
    return wanted != null ? wanted : current != null ? current : 0;
  }

  private static Op.Diff diff(String path, Object desired, Object current) {
    return new Op.Diff(
        path,
        String.valueOf(desired),
        current == null
            ? "none (new VF)"
            : String.valueOf(current).toLowerCase(java.util.Locale.ROOT));
  }

  /** The VFs of the kernel's table by id. */
  static Map<Integer, Vf> byId(Iterable<Vf> vfs) {
    var m = new HashMap<Integer, Vf>();
    vfs.forEach(v -> m.put(v.vf(), v));
    return m;
  }
}

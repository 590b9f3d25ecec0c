package io.multihome.agent.engine;

import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.state.Interface;
import io.multihome.state.Problem;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Plans what the kinds vrf, ipvlan, hsr, macsec and infiniband need beyond the common keys (their
 * creation, the settings the kernel fixes at creation, a VRF's ports), and the per-interface
 * settings ipv4 {@code forwarding} and bond {@code ports-config}.
 */
final class KindPlanner {
  static final String INFINIBAND_REFUSAL =
      "creating or changing an InfiniBand (IPoIB) interface needs an InfiniBand device; multihome"
          + " does not create IPoIB partitions (no InfiniBand device can be emulated to prove it:"
          + " QEMU has no InfiniBand adapter, Soft-RoCE has no IPoIB)";

  private final PlanContext ctx;

  KindPlanner(PlanContext ctx) {
    this.ctx = ctx;
  }

  static boolean isKindOfItsOwn(Interface i) {
    return i instanceof Interface.Vrf
        || i instanceof Interface.IpVlan
        || i instanceof Interface.Hsr
        || i instanceof Interface.MacSec
        || i instanceof Interface.InfiniBand;
  }

  /** The kind to create for vrf, ipvlan and macsec; null with a problem otherwise. */
  static KindMapping.Created forCreate(Interface i, String at, List<Problem> problems) {
    if (i instanceof Interface.Vrf v) {
      var c = v.vrf();
      if (c == null || c.routeTableId() == null || c.routeTableId() == 0) {
        problems.add(new Problem(at + ".vrf.route-table-id", "a new VRF needs its route table"));
        return null;
      }
      return new KindMapping.Created(new LinkKind.Vrf((int) (long) c.routeTableId()), null);
    } else if (i instanceof Interface.IpVlan v) {
      var c = v.ipvlan();
      if (c == null || c.baseIface() == null) {
        problems.add(new Problem(at + ".ipvlan.base-iface", "a new ipvlan needs its base-iface"));
        return null;
      }
      return new KindMapping.Created(ipvlan(c), c.baseIface());
    } else if (i instanceof Interface.MacSec m) {
      var c = m.macsec();
      if (c == null || c.baseIface() == null) {
        problems.add(new Problem(at + ".macsec.base-iface", "a new MACsec needs its base-iface"));
        return null;
      }
      // mka-cak/mka-ckn: the link is created without keys; the supplicant service adopts it
      // (PortAuthPlanner).
      return new KindMapping.Created(macsec(c), c.baseIface());
    } else if (i instanceof Interface.InfiniBand) {
      problems.add(new Problem(at + ".infiniband", INFINIBAND_REFUSAL));
    }
    return null;
  }

  /** nmstate's default mode is l3; private and vepa are flags (neither: bridge). */
  static LinkKind.Ipvlan ipvlan(Interface.IpVlanConfig c) {
    int mode = KindOps.IPVLAN_MODES.indexOf(c.mode() == null ? "l3" : c.mode());
    int flags =
        (Boolean.TRUE.equals(c.isPrivate()) ? LinkKind.Ipvlan.F_PRIVATE : 0)
            | (Boolean.TRUE.equals(c.vepa()) ? LinkKind.Ipvlan.F_VEPA : 0);
    return new LinkKind.Ipvlan(mode, flags);
  }

  /** Port 0 (nmstate's own example) is the kernel's default port, 1. */
  static LinkKind.Macsec macsec(Interface.MacSecConfig c) {
    return new LinkKind.Macsec(
        c.port() == null || c.port() == 0 ? null : c.port(),
        c.encrypt(),
        c.sendSci(),
        c.validation() == null ? null : KindOps.VALIDATION.indexOf(c.validation()),
        c.offload() == null || c.offload().equals("off")
            ? null
            : KindOps.OFFLOAD.indexOf(c.offload()));
  }

  /** A new HSR/PRP link over its two ports (both must exist or be made by this plan). */
  void createHsr(Interface.Hsr h, String at) {
    var c = h.hsr();
    if (c == null || c.port1() == null || c.port2() == null) {
      ctx.problem(at + ".hsr", "a new HSR interface needs port1 and port2");
      return;
    }
    for (var key : List.of("port1", "port2")) {
      var port = key.equals("port1") ? c.port1() : c.port2();
      if (!ctx.willExist(port)) {
        ctx.problem(at + ".hsr." + key, "interface " + port + " does not exist");
        return;
      }
    }
    var common = h.common();
    ctx.add(
        new KindOps.CreateHsr(
            h.name(),
            c.port1(),
            c.port2(),
            c.multicastSpec(),
            "prp".equals(c.protocol()) ? 1 : 0,
            common.mtu(),
            common.macAddress() == null ? null : HwAddr.parse(common.macAddress()),
            new Op.Diff("interfaces[" + h.name() + "]", "up", "absent")));
  }

  /** Settings the kernel fixes when it creates the link: equal is fine, another is refused. */
  void immutable(Interface d, NodeLink cur, String at) {
    var k = cur.link().kind();
    if (d instanceof Interface.Vrf v && v.vrf() != null && k instanceof LinkKind.Vrf kv) {
      var t = v.vrf().routeTableId();
      // Table 0 on an existing VRF means "keep its table" in nmstate.
      same(at + ".vrf.route-table-id", t == null || t == 0 ? null : t, toLong(kv.table()));
    } else if (d instanceof Interface.IpVlan v
        && v.ipvlan() != null
        && k instanceof LinkKind.Ipvlan kv) {
      var c = v.ipvlan();
      same(at + ".ipvlan.base-iface", c.baseIface(), ctx.nameOf(cur.link().parentIndex()));
      same(at + ".ipvlan.mode", c.mode(), KindOps.ipvlanMode(kv.mode()));
      int flags = kv.flags() == null ? 0 : kv.flags();
      same(at + ".ipvlan.private", c.isPrivate(), (flags & LinkKind.Ipvlan.F_PRIVATE) != 0);
      same(at + ".ipvlan.vepa", c.vepa(), (flags & LinkKind.Ipvlan.F_VEPA) != 0);
    } else if (d instanceof Interface.Hsr h && h.hsr() != null && k instanceof LinkKind.Hsr kh) {
      var c = h.hsr();
      same(at + ".hsr.port1", c.port1(), ctx.nameOf(kh.port1()));
      same(at + ".hsr.port2", c.port2(), ctx.nameOf(kh.port2()));
      same(at + ".hsr.multicast-spec", c.multicastSpec(), kh.multicastSpec());
      same(at + ".hsr.protocol", c.protocol(), protocol(kh.protocol()));
    } else if (d instanceof Interface.MacSec m
        && m.macsec() != null
        && k instanceof LinkKind.Macsec km) {
      var c = m.macsec();
      same(at + ".macsec.base-iface", c.baseIface(), ctx.nameOf(cur.link().parentIndex()));
      same(at + ".macsec.port", c.port() == null || c.port() == 0 ? null : c.port(), km.port());
      same(at + ".macsec.encrypt", c.encrypt(), km.encrypt());
      same(at + ".macsec.send-sci", c.sendSci(), km.includeSci());
      same(at + ".macsec.validation", c.validation(), index(KindOps.VALIDATION, km.validation()));
      same(
          at + ".macsec.offload",
          c.offload(),
          index(KindOps.OFFLOAD, km.offload() == null ? 0 : km.offload()));
    } else if (d instanceof Interface.InfiniBand ib && ib.infiniband() != null) {
      var c = ib.infiniband();
      var shown = StateReader.infiniband(cur, ctx.snapshot().byIndex());
      if (!Objects.equals(
              c.baseIface() == null ? shown.baseIface() : c.baseIface(), shown.baseIface())
          || (c.pkey() != null && !c.pkey().equals(shown.pkey()))
          || (c.mode() != null && !c.mode().equals(shown.mode()))) {
        ctx.problem(at + ".infiniband", INFINIBAND_REFUSAL);
      }
    }
  }

  static String protocol(Integer kernel) {
    return kernel == null ? null : kernel == 1 ? "prp" : "hsr";
  }

  private static String index(List<String> names, Integer i) {
    return i == null || i < 0 || i >= names.size() ? null : names.get(i);
  }

  private static Long toLong(Integer i) {
    return i == null ? null : Integer.toUnsignedLong(i);
  }

  private void same(String path, Object desired, Object current) {
    if (desired != null && !Objects.equals(desired, current)) {
      ctx.problem(
          path,
          "cannot change from "
              + current
              + " to "
              + desired
              + " on an existing interface; remove it first (state: absent)");
    }
  }

  /** A VRF's port list replaces its ports; its ports keep their IP (an L3 domain). */
  void vrfPorts(Interface.Vrf v, NodeLink cur, String at) {
    if (v.vrf() == null || v.vrf().port() == null) {
      return;
    }
    var p = "interfaces[" + v.name() + "].vrf.port";
    var wanted = new HashSet<String>();
    var list = v.vrf().port();
    for (int j = 0; j < list.size(); j++) {
      var name = list.get(j);
      wanted.add(name);
      if (!ctx.willExist(name)) {
        ctx.problem(at + ".vrf.port[" + j + "]", "interface " + name + " does not exist");
        continue;
      }
      var pl = ctx.current(name);
      boolean enslaved =
          cur != null && pl != null && Objects.equals(pl.link().masterIndex(), cur.index());
      if (!enslaved) {
        ctx.add(new Op.SetMaster(name, v.name(), new Op.Diff(p, "includes " + name, "lacks it")));
      }
    }
    if (cur != null) {
      for (var l : ctx.portsOf(cur.index())) {
        if (!wanted.contains(l.name())) {
          ctx.add(
              new Op.SetMaster(l.name(), null, new Op.Diff(p, "lacks " + l.name(), "includes it")));
        }
      }
    }
  }

  /** {@code ipv4.forwarding}: the interface's forwarding sysctl. */
  void forwarding(Interface d, NodeLink cur) {
    var ip = d.common().ipv4();
    if (ip == null || ip.forwarding() == null) {
      return;
    }
    Boolean have = cur == null ? null : cur.facts().forwarding();
    if (!ip.forwarding().equals(have)) {
      ctx.add(
          new KindOps.SetForwarding(
              d.name(),
              ip.forwarding(),
              new Op.Diff(
                  "interfaces[" + d.name() + "].ipv4.forwarding",
                  "" + ip.forwarding(),
                  String.valueOf(have))));
    }
  }

  /** {@code ports-config}: each listed port's queue id and priority (0 on a port joining). */
  void bondPortsConfig(Interface.Bond b, NodeLink cur) {
    var la = b.linkAggregation();
    if (la == null || la.portsConfig() == null) {
      return;
    }
    for (var pc : la.portsConfig()) {
      if (pc.name() == null || !ctx.willExist(pc.name())) {
        continue;
      }
      var pl = ctx.current(pc.name());
      boolean enslaved =
          cur != null && pl != null && Objects.equals(pl.link().masterIndex(), cur.index());
      Integer haveQueue = enslaved ? pl.facts().bondQueueId() : Integer.valueOf(0);
      Integer havePrio = enslaved ? pl.facts().bondPrio() : Integer.valueOf(0);
      var pp = "interfaces[" + b.name() + "].link-aggregation.ports-config[" + pc.name() + "]";
      Integer queue = pc.queueId() != null && !pc.queueId().equals(haveQueue) ? pc.queueId() : null;
      Integer prio =
          pc.priority() != null && !pc.priority().equals(havePrio) ? pc.priority() : null;
      if (queue != null || prio != null) {
        ctx.add(
            new KindOps.SetBondPort(
                pc.name(),
                queue,
                prio,
                new Op.Diff(
                    pp,
                    "queue-id " + pc.queueId() + ", priority " + pc.priority(),
                    "queue-id " + haveQueue + ", priority " + havePrio)));
      }
    }
  }
}

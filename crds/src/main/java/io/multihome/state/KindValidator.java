package io.multihome.state;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rules for vrf, ipvlan, hsr, macsec and infiniband interfaces, bond {@code ports-config} and
 * {@code mptcp.address-flags}, as nmstate checks them.
 */
final class KindValidator {
  private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]*");
  static final Set<String> MPTCP_FLAGS = Set.of("signal", "subflow", "backup", "fullmesh");

  private final StateValidator v;
  private final InterfaceValidator iv;

  KindValidator(StateValidator v, InterfaceValidator iv) {
    this.v = v;
    this.iv = iv;
  }

  static boolean handles(Interface i) {
    return i instanceof Interface.Vrf
        || i instanceof Interface.IpVlan
        || i instanceof Interface.Hsr
        || i instanceof Interface.MacSec
        || i instanceof Interface.InfiniBand;
  }

  static boolean handlesConfig(Object config) {
    return config instanceof Interface.VrfConfig
        || config instanceof Interface.IpVlanConfig
        || config instanceof Interface.HsrConfig
        || config instanceof Interface.MacSecConfig
        || config instanceof Interface.InfiniBandConfig;
  }

  /** Whether {@code config} gives {@code key} (for keys needed to create an interface). */
  static boolean present(Object config, String key) {
    if (config instanceof Interface.VrfConfig c) {
      return c.routeTableId() != null && c.routeTableId() != 0;
    } else if (config instanceof Interface.IpVlanConfig c) {
      return c.baseIface() != null;
    } else if (config instanceof Interface.HsrConfig c) {
      return switch (key) {
        case "port1" -> c.port1() != null;
        case "port2" -> c.port2() != null;
        default -> true;
      };
    } else if (config instanceof Interface.MacSecConfig c) {
      return c.baseIface() != null;
    } else if (config instanceof Interface.InfiniBandConfig c) {
      return key.equals("pkey") ? c.pkey() != null : c.baseIface() != null;
    }
    return true;
  }

  void check(Common c, Interface iface, String at) {
    if (iface instanceof Interface.Vrf x) {
      iv.required(c, at, "vrf", x.vrf(), "route-table-id");
      vrf(c, x.vrf(), Problem.child(at, "vrf"));
    } else if (iface instanceof Interface.IpVlan x) {
      iv.required(c, at, "ipvlan", x.ipvlan(), "base-iface");
      ipvlan(c, x.ipvlan(), Problem.child(at, "ipvlan"));
    } else if (iface instanceof Interface.Hsr x) {
      iv.required(c, at, "hsr", x.hsr(), "port1", "port2");
      hsr(c, x.hsr(), Problem.child(at, "hsr"));
    } else if (iface instanceof Interface.MacSec x) {
      iv.required(c, at, "macsec", x.macsec(), "base-iface");
      macsec(c, x.macsec(), Problem.child(at, "macsec"));
    } else if (iface instanceof Interface.InfiniBand x) {
      infiniband(c, x.infiniband(), Problem.child(at, "infiniband"));
    }
  }

  private void vrf(Common c, Interface.VrfConfig x, String at) {
    if (x == null) {
      return;
    }
    if (x.routeTableId() != null && x.routeTableId() == 0 && !v.exists.test(c.name())) {
      v.problem(
          Problem.child(at, "route-table-id"),
          "route table 0 is not allowed for a new VRF; give its table id (1..4294967295)");
    }
    v.range(at, "route-table-id", x.routeTableId(), 0, 0xFFFFFFFFL);
    if (x.routeTableId() != null && (x.routeTableId() == 253 || x.routeTableId() == 255)) {
      v.problem(
          Problem.child(at, "route-table-id"),
          x.routeTableId() + " is a table the kernel keeps for itself (default/local)");
    }
    if (x.port() != null) {
      var names = new HashSet<String>();
      for (int i = 0; i < x.port().size(); i++) {
        var p = x.port().get(i);
        var pp = Problem.index(Problem.child(at, "port"), i);
        if (p == null) {
          continue;
        }
        if (p.equals(c.name())) {
          v.problem(pp, "a VRF cannot be its own port");
        } else if (!names.add(p)) {
          v.problem(pp, "port '" + p + "' is listed twice");
        }
        v.reference(pp, p, "port");
      }
    }
  }

  private void ipvlan(Common c, Interface.IpVlanConfig x, String at) {
    if (x == null) {
      return;
    }
    iv.base(c.name(), x.baseIface(), at);
    if (x.mode() != null && !Set.of("l2", "l3", "l3s").contains(x.mode())) {
      v.problem(Problem.child(at, "mode"), "'" + x.mode() + "' is not one of l2, l3, l3s");
    }
    if (Boolean.TRUE.equals(x.isPrivate()) && Boolean.TRUE.equals(x.vepa())) {
      v.problem(Problem.child(at, "vepa"), "private and vepa cannot both be enabled");
    }
  }

  private void hsr(Common c, Interface.HsrConfig x, String at) {
    if (x == null) {
      return;
    }
    for (var key : List.of("port1", "port2")) {
      var p = key.equals("port1") ? x.port1() : x.port2();
      if (p == null) {
        continue;
      }
      if (p.equals(c.name())) {
        v.problem(Problem.child(at, key), "an HSR interface cannot be its own port");
      }
      v.reference(Problem.child(at, key), p, key);
    }
    if (x.port1() != null && x.port1().equals(x.port2())) {
      v.problem(Problem.child(at, "port2"), "port2 must differ from port1");
    }
    v.range(at, "multicast-spec", x.multicastSpec(), 0, 255);
    if (x.protocol() != null && !Set.of("hsr", "prp").contains(x.protocol())) {
      v.problem(Problem.child(at, "protocol"), "'" + x.protocol() + "' is not one of hsr, prp");
    }
  }

  private void macsec(Common c, Interface.MacSecConfig x, String at) {
    if (x == null) {
      return;
    }
    iv.base(c.name(), x.baseIface(), at);
    if ((x.mkaCak() == null) != (x.mkaCkn() == null)) {
      v.problem(
          Problem.child(at, x.mkaCak() == null ? "mka-cak" : "mka-ckn"),
          "mka-cak and mka-ckn must be given together");
    }
    // The placeholder show prints keeps the key in effect (nmstate's rule for secrets).
    if (x.mkaCak() != null
        && !Ieee8021x.HIDDEN.equals(x.mkaCak())
        && (x.mkaCak().length() != 32 || !HEX.matcher(x.mkaCak()).matches())) {
      v.problem(Problem.child(at, "mka-cak"), "must be 32 hexadecimal characters");
    }
    var ckn = x.mkaCkn();
    if (ckn != null
        && (ckn.length() < 2
            || ckn.length() > 64
            || ckn.length() % 2 == 1
            || !HEX.matcher(ckn).matches())) {
      v.problem(
          Problem.child(at, "mka-ckn"), "must be an even number (2..64) of hexadecimal characters");
    }
    // nmstate's own example gives port 0 (the kernel's default, 1, then applies).
    v.range(at, "port", x.port(), 0, 65534);
    if (x.validation() != null && !Set.of("disabled", "check", "strict").contains(x.validation())) {
      v.problem(
          Problem.child(at, "validation"),
          "'" + x.validation() + "' is not one of disabled, check, strict");
    }
    if (x.offload() != null && !Set.of("off", "phy", "mac").contains(x.offload())) {
      v.problem(Problem.child(at, "offload"), "'" + x.offload() + "' is not one of off, phy, mac");
    }
  }

  private void infiniband(Common c, Interface.InfiniBandConfig x, String at) {
    if (x == null) {
      return;
    }
    if (x.baseIface() != null) {
      iv.base(c.name(), x.baseIface(), at);
    }
    if (x.mode() != null && !Set.of("datagram", "connected").contains(x.mode())) {
      v.problem(Problem.child(at, "mode"), "'" + x.mode() + "' is not one of datagram, connected");
    }
    if (x.pkey() != null && (x.pkey() < 1 || x.pkey() > 0xffff || x.pkey() == 0x8000)) {
      v.problem(Problem.child(at, "pkey"), x.pkey() + " is not a partition key (0x0001..0xffff)");
    }
    if (x.pkey() != null && x.pkey() != 0xffff && x.baseIface() == null) {
      v.problem(Problem.child(at, "base-iface"), "a partition (pkey) interface needs base-iface");
    }
  }

  /** {@code ports-config}: names agree with {@code port}, no queue-id shared, ranges. */
  static void bondPortsConfig(StateValidator v, Interface.BondConfig b, String at) {
    if (b.portsConfig() == null) {
      return;
    }
    var pp = Problem.child(at, "ports-config");
    var queues = new HashMap<Integer, String>();
    var names = new HashSet<String>();
    for (int i = 0; i < b.portsConfig().size(); i++) {
      var pc = b.portsConfig().get(i);
      var ip = Problem.index(pp, i);
      v.range(ip, "queue-id", pc.queueId(), 0, 65535);
      if (pc.name() != null && !names.add(pc.name())) {
        v.problem(Problem.child(ip, "name"), "port '" + pc.name() + "' is listed twice");
      }
      if (pc.queueId() != null && pc.queueId() != 0) {
        var other = queues.putIfAbsent(pc.queueId(), pc.name());
        if (other != null) {
          v.problem(
              Problem.child(ip, "queue-id"),
              "ports "
                  + other
                  + " and "
                  + pc.name()
                  + " share queue-id "
                  + pc.queueId()
                  + "; the kernel allows one port per queue id");
        }
      }
      if (pc.name() != null) {
        v.reference(Problem.child(ip, "name"), pc.name(), "port");
      }
    }
    if (b.port() != null && !new HashSet<>(b.port()).equals(names)) {
      v.problem(pp, "the port names in ports-config differ from those in port");
    }
  }

  /** {@code mptcp.address-flags}: known flags; signal and fullmesh exclude each other. */
  static void mptcp(StateValidator v, List<String> flags, String at) {
    if (flags == null) {
      return;
    }
    for (int i = 0; i < flags.size(); i++) {
      var f = flags.get(i);
      if (f != null && !MPTCP_FLAGS.contains(f)) {
        v.problem(
            Problem.index(at, i), "'" + f + "' is not one of signal, subflow, backup, fullmesh");
      }
    }
    if (flags.contains("signal") && flags.contains("fullmesh")) {
      v.problem(at, "signal and fullmesh cannot both be set (the kernel refuses it)");
    }
  }
}

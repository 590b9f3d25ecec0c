package io.multihome.agent.engine;

import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.state.BridgeConfig;
import io.multihome.state.Interface;
import io.multihome.state.MacVlanMode;
import io.multihome.state.Problem;
import java.util.List;

/** The kernel link kind a desired interface stands for, for creating it. */
final class KindMapping {
  private KindMapping() {}

  /** Bridge options as the kernel takes them (times in centiseconds); null fields = not given. */
  static LinkKind.Bridge bridge(BridgeConfig b) {
    var o = b == null ? null : b.options();
    var stp = o == null ? null : o.stp();
    return new LinkKind.Bridge(
        stp == null || stp.enabled() == null ? null : stp.enabled() ? 1 : 0,
        centis(stp == null ? null : stp.forwardDelay()),
        centis(stp == null ? null : stp.helloTime()),
        centis(stp == null ? null : stp.maxAge()),
        stp == null ? null : stp.priority(),
        o == null || o.macAgeingTime() == null ? null : (int) (o.macAgeingTime() * 100),
        anyPortVlan(b) ? Boolean.TRUE : null,
        o == null || o.vlanProtocol() == null ? null : vlanProtocol(o.vlanProtocol()),
        o == null ? null : o.vlanDefaultPvid(),
        o == null ? null : o.multicastSnooping(),
        o == null ? null : o.groupFwdMask(),
        o == null || o.groupAddr() == null
            ? null
            : io.multihome.agent.netlink.HwAddr.parse(o.groupAddr()),
        o == null ? java.util.Map.of() : BridgeMulticastMapping.toKernel(o.multicast()));
  }

  /** 802.1q / 802.1ad as the kernel's ethertype. */
  static Integer vlanProtocol(String name) {
    return "802.1ad".equals(name) ? 0x88a8 : 0x8100;
  }

  /** A bridge with any port {@code vlan} section filters VLANs; otherwise filtering is kept. */
  static boolean anyPortVlan(BridgeConfig b) {
    return b != null && b.port() != null && b.port().stream().anyMatch(p -> p.vlan() != null);
  }

  private static Integer centis(Integer seconds) {
    return seconds == null ? null : seconds * 100;
  }

  static LinkKind.MacvlanMode mode(MacVlanMode m) {
    return switch (m) {
      case VEPA -> LinkKind.MacvlanMode.VEPA;
      case BRIDGE -> LinkKind.MacvlanMode.BRIDGE;
      case PRIVATE -> LinkKind.MacvlanMode.PRIVATE;
      case PASSTHRU -> LinkKind.MacvlanMode.PASSTHRU;
      case SOURCE -> LinkKind.MacvlanMode.SOURCE;
    };
  }

  /**
   * The kind to create and its parent link name, or null with a problem added when the engine
   * cannot create this interface.
   */
  static Created forCreate(Interface i, String at, List<Problem> problems) {
    if (i instanceof Interface.LinuxBridge b) {
      return new Created(bridge(b.bridge()), null);
    } else if (i instanceof Interface.Veth v) {
      if (v.veth() == null || v.veth().peer() == null) {
        problems.add(new Problem(at + ".veth.peer", "a new veth needs its peer name"));
        return null;
      }
      return new Created(LinkKind.Veth.peer(v.veth().peer()), null);
    } else if (i instanceof Interface.MacVlan m) {
      return macvlan(m.macVlan(), false, at + ".mac-vlan", problems);
    } else if (i instanceof Interface.MacVtap m) {
      return macvlan(m.macVtap(), true, at + ".mac-vtap", problems);
    } else if (i instanceof Interface.Vxlan x) {
      var c = x.vxlan();
      if (c == null || c.id() == null) {
        problems.add(new Problem(at + ".vxlan.id", "a new vxlan needs its id"));
        return null;
      }
      return new Created(
          new LinkKind.Vxlan(
              c.id(),
              c.local() == null ? null : IpPrefix.parseAddress(c.local()),
              c.remote() == null ? null : IpPrefix.parseAddress(c.remote()),
              c.destinationPort(),
              c.learning(),
              null),
          c.baseIface());
    } else if (i instanceof Interface.Vlan v) {
      var c = v.vlan();
      if (c == null || c.id() == null || c.baseIface() == null) {
        problems.add(new Problem(at + ".vlan", "a new vlan needs id and base-iface"));
        return null;
      }
      Integer proto = "802.1ad".equals(c.protocol()) ? 0x88a8 : null;
      return new Created(new LinkKind.Vlan(c.id(), proto), c.baseIface());
    } else if (i instanceof Interface.Dummy) {
      return new Created(new LinkKind.Dummy(), null);
    } else if (i instanceof Interface.Bond b) {
      var la = b.linkAggregation();
      if (la == null || la.mode() == null) {
        problems.add(new Problem(at + ".link-aggregation.mode", "a new bond needs its mode"));
        return null;
      }
      var bond = bond(la, at, problems);
      return bond == null ? null : new Created(bond.kind(), null);
    }
    var more = KindPlanner.forCreate(i, at, problems);
    if (more != null || KindPlanner.isKindOfItsOwn(i)) {
      return more;
    }
    problems.add(
        new Problem(
            at,
            "interface "
                + i.name()
                + " does not exist"
                + (i.kind() == null ? " (give its type to create it)" : "")));
    return null;
  }

  private static Created macvlan(
      Interface.MacVlanConfig c, boolean tap, String at, List<Problem> problems) {
    if (c == null || c.baseIface() == null || c.mode() == null) {
      problems.add(new Problem(at, "a new mac-vlan/mac-vtap needs base-iface and mode"));
      return null;
    }
    // promiscuous: false is MACVLAN_FLAG_NOPROMISC (the validator allows it in passthru only).
    Integer flags = Boolean.FALSE.equals(c.promiscuous()) ? LinkKind.Macvlan.FLAG_NOPROMISC : null;
    return new Created(new LinkKind.Macvlan(mode(c.mode()), tap, flags), c.baseIface());
  }

  record Created(LinkKind kind, String parent) {}

  /** A bond's kernel settings from {@code link-aggregation}; {@code primary} is a port name. */
  record BondSettings(LinkKind.Bond kind, String primary) {}

  private static final java.util.Map<String, Integer> XMIT_HASH =
      java.util.Map.of(
          "layer2",
          0,
          "layer3+4",
          1,
          "layer2+3",
          2,
          "encap2+3",
          3,
          "encap3+4",
          4,
          "vlan+srcmac",
          5);

  /** nmstate's name of a kernel xmit_hash_policy number, or null. */
  static String xmitHashName(int v) {
    for (var e : XMIT_HASH.entrySet()) {
      if (e.getValue() == v) {
        return e.getKey();
      }
    }
    return null;
  }

  /**
   * The mode and the options the kernel link kind carries (miimon, updelay, downdelay,
   * xmit_hash_policy, min_links, lacp_rate, primary); any other option is refused at its path.
   * Returns null with problems added when an option is unknown or its value invalid.
   */
  static BondSettings bond(Interface.BondConfig la, String at, List<Problem> problems) {
    var mode = la.mode() == null ? null : LinkKind.BondMode.values()[la.mode().ordinal()];
    Integer miimon = null, updelay = null, downdelay = null, hash = null, minLinks = null;
    Integer lacp = null;
    String primary = null;
    var more = new java.util.TreeMap<Integer, String>();
    int before = problems.size();
    var options =
        la.options() == null
            ? java.util.Map.<String, com.fasterxml.jackson.databind.JsonNode>of()
            : la.options();
    for (var e : options.entrySet()) {
      var path = at + ".link-aggregation.options." + e.getKey();
      var v = e.getValue();
      switch (e.getKey()) {
        case "miimon" -> miimon = uint(v, path, problems);
        case "updelay" -> updelay = uint(v, path, problems);
        case "downdelay" -> downdelay = uint(v, path, problems);
        case "min_links" -> minLinks = uint(v, path, problems);
        case "xmit_hash_policy" -> hash = named(v, XMIT_HASH, path, problems);
        case "lacp_rate" -> lacp = named(v, java.util.Map.of("slow", 0, "fast", 1), path, problems);
        case "primary" -> {
          if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            problems.add(new Problem(path, "primary must be a port name"));
          } else {
            primary = v.asText();
          }
        }
        default -> BondMapping.option(e.getKey(), v, path, more, problems);
      }
    }
    if (problems.size() != before) {
      return null;
    }
    return new BondSettings(
        new LinkKind.Bond(mode, miimon, updelay, downdelay, hash, minLinks, lacp, more), primary);
  }

  private static Integer uint(
      com.fasterxml.jackson.databind.JsonNode v, String path, List<Problem> problems) {
    if (v != null && (v.canConvertToInt() || v.isTextual())) {
      try {
        int n = v.isTextual() ? Integer.parseInt(v.asText().trim()) : v.asInt();
        if (n >= 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    problems.add(new Problem(path, "must be a non-negative integer, not " + v));
    return null;
  }

  /** A named value (as nmstate writes it) or its kernel number. */
  private static Integer named(
      com.fasterxml.jackson.databind.JsonNode v,
      java.util.Map<String, Integer> names,
      String path,
      List<Problem> problems) {
    if (v != null && v.isTextual() && names.containsKey(v.asText())) {
      return names.get(v.asText());
    }
    if (v != null && v.canConvertToInt() && names.containsValue(v.asInt())) {
      return v.asInt();
    }
    problems.add(new Problem(path, "must be one of " + new java.util.TreeSet<>(names.keySet())));
    return null;
  }
}

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
        null,
        null,
        null,
        o == null ? null : o.multicastSnooping());
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
      if (la.options() != null && !la.options().isEmpty()) {
        problems.add(
            new Problem(
                at + ".link-aggregation.options",
                "bond options are not supported by the engine yet"));
        return null;
      }
      return new Created(LinkKind.Bond.of(LinkKind.BondMode.values()[la.mode().ordinal()]), null);
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
    if (Boolean.FALSE.equals(c.promiscuous())) {
      problems.add(
          new Problem(
              at + ".promiscuous",
              "promiscuous: false (MACVLAN_FLAG_NOPROMISC) is not supported by the engine yet"));
      return null;
    }
    return new Created(new LinkKind.Macvlan(mode(c.mode()), tap), c.baseIface());
  }

  record Created(LinkKind kind, String parent) {}
}

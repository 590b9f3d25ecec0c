package io.multihome.agent.engine;

import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.Vf;
import io.multihome.state.EthernetConfig;
import io.multihome.state.Extras;
import java.util.ArrayList;
import java.util.Locale;

/** The kernel's VF table of a PF as nmstate's {@code ethernet.sr-iov} section, and back. */
final class SriovMapping {
  static final int ETH_P_8021Q = 0x8100;
  static final int ETH_P_8021AD = 0x88a8;

  private SriovMapping() {}

  /**
   * The {@code ethernet} section {@code show} prints for a link: {@code sr-iov} with total-vfs and
   * every VF's settings when the link has VFs, else null. A PF with 0 VFs cannot be told apart from
   * a NIC without SR-IOV over netlink, so it shows no section.
   */
  static EthernetConfig ethernet(Link link, io.multihome.agent.netlink.Ethtool.LinkModes modes) {
    return ethernet(link, modes, null);
  }

  /** With {@code drivers-autoprobe} ({@code sriov_drivers_autoprobe}, when it was read). */
  static EthernetConfig ethernet(
      Link link, io.multihome.agent.netlink.Ethtool.LinkModes modes, Boolean autoprobe) {
    var sriov = ethernet(link);
    if (sriov != null && autoprobe != null) {
      var s = sriov.srIov();
      sriov =
          new EthernetConfig(
              null,
              null,
              null,
              new EthernetConfig.SrIov(s.totalVfs(), autoprobe, s.vfs(), s.extras()),
              Extras.NONE);
    }
    if (modes == null) {
      return sriov;
    }
    return new EthernetConfig(
        modes.autoNegotiation(),
        modes.speed(),
        modes.duplex(),
        sriov == null ? null : sriov.srIov(),
        Extras.NONE);
  }

  static EthernetConfig ethernet(Link link) {
    if (link.numVfs() == null || link.numVfs() == 0) {
      return null;
    }
    var vfs = new ArrayList<EthernetConfig.Vf>();
    for (var v : link.vfs()) {
      vfs.add(
          new EthernetConfig.Vf(
              v.vf(),
              v.mac() == null ? null : v.mac().toString().toUpperCase(Locale.ROOT),
              v.spoofchk(),
              v.trust(),
              v.minTxRate(),
              v.maxTxRate(),
              v.vlan(),
              v.qos(),
              v.vlanProto() != null && v.vlanProto() == ETH_P_8021AD ? "802.1ad" : null,
              Extras.NONE));
    }
    return new EthernetConfig(
        null,
        null,
        null,
        new EthernetConfig.SrIov(link.numVfs(), null, vfs, Extras.NONE),
        Extras.NONE);
  }

  /** nmstate's {@code vlan-proto} as an ethertype; null for an unknown text. */
  static Integer proto(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "802.1q" -> ETH_P_8021Q;
      case "802.1ad" -> ETH_P_8021AD;
      default -> null;
    };
  }

  static String protoText(int proto) {
    return proto == ETH_P_8021AD ? "802.1ad" : "802.1Q";
  }

  static int protoOf(Vf current) {
    return current.vlanProto() == null ? ETH_P_8021Q : current.vlanProto();
  }
}

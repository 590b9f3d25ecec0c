package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code interfaces}, by kind. A section left out of the document is null (nmstate
 * then keeps what the node has).
 */
public sealed interface Interface
    permits Interface.Ethernet,
        Interface.LinuxBridge,
        Interface.Vlan,
        Interface.Veth,
        Interface.MacVlan,
        Interface.MacVtap,
        Interface.Vxlan,
        Interface.Bond,
        Interface.Dummy,
        Interface.Loopback,
        Interface.OvsBridge,
        Interface.OvsInterface,
        Interface.Vrf,
        Interface.IpVlan,
        Interface.Hsr,
        Interface.MacSec,
        Interface.InfiniBand,
        Interface.Ipsec,
        Interface.Untyped,
        Interface.Unsupported {

  Common common();

  default String name() {
    return common().name();
  }

  /**
   * The kind this record stands for: its type, also when the document left {@code type} out but
   * gave the type's section; null for {@link Untyped}; the declared type for {@link Unsupported}.
   */
  default InterfaceType kind() {
    if (this instanceof Ethernet) {
      return InterfaceType.ETHERNET;
    } else if (this instanceof LinuxBridge) {
      return InterfaceType.LINUX_BRIDGE;
    } else if (this instanceof Vlan) {
      return InterfaceType.VLAN;
    } else if (this instanceof Veth) {
      return InterfaceType.VETH;
    } else if (this instanceof MacVlan) {
      return InterfaceType.MAC_VLAN;
    } else if (this instanceof MacVtap) {
      return InterfaceType.MAC_VTAP;
    } else if (this instanceof Vxlan) {
      return InterfaceType.VXLAN;
    } else if (this instanceof Bond) {
      return InterfaceType.BOND;
    } else if (this instanceof Dummy) {
      return InterfaceType.DUMMY;
    } else if (this instanceof Loopback) {
      return InterfaceType.LOOPBACK;
    } else if (this instanceof OvsBridge) {
      return InterfaceType.OVS_BRIDGE;
    } else if (this instanceof OvsInterface) {
      return InterfaceType.OVS_INTERFACE;
    } else if (this instanceof Vrf) {
      return InterfaceType.VRF;
    } else if (this instanceof IpVlan) {
      return InterfaceType.IPVLAN;
    } else if (this instanceof Hsr) {
      return InterfaceType.HSR;
    } else if (this instanceof MacSec) {
      return InterfaceType.MACSEC;
    } else if (this instanceof InfiniBand) {
      return InterfaceType.INFINIBAND;
    } else if (this instanceof Ipsec) {
      return InterfaceType.IPSEC;
    }
    return common().type();
  }

  /** {@code type: ethernet}, including an SR-IOV physical function ({@code ethernet.sr-iov}). */
  record Ethernet(Common common, EthernetConfig ethernet) implements Interface {}

  /** {@code type: linux-bridge}. */
  record LinuxBridge(Common common, BridgeConfig bridge) implements Interface {
    /** Names of the ports, or an empty list when the port list is not given. */
    public List<String> portNames() {
      if (bridge == null || bridge.port() == null) {
        return List.of();
      }
      return bridge.port().stream().map(BridgeConfig.Port::name).toList();
    }
  }

  /** {@code type: vlan}. */
  record Vlan(Common common, VlanConfig vlan) implements Interface {}

  /** {@code type: veth}. */
  record Veth(Common common, VethConfig veth) implements Interface {}

  /** {@code type: mac-vlan}. */
  record MacVlan(Common common, MacVlanConfig macVlan) implements Interface {}

  /** {@code type: mac-vtap}; same settings as mac-vlan. */
  record MacVtap(Common common, MacVlanConfig macVtap) implements Interface {}

  /** {@code type: vxlan}. */
  record Vxlan(Common common, VxlanConfig vxlan) implements Interface {}

  /** {@code type: bond}; its section is {@code link-aggregation}. */
  record Bond(Common common, BondConfig linkAggregation) implements Interface {}

  /** {@code type: dummy}. */
  record Dummy(Common common) implements Interface {}

  /** {@code type: loopback} ({@code lo}). */
  record Loopback(Common common) implements Interface {}

  /** {@code type: vrf}: an L3 domain whose ports' routes go to {@code route-table-id}. */
  record Vrf(Common common, VrfConfig vrf) implements Interface {}

  /** {@code type: ipvlan}. */
  record IpVlan(Common common, IpVlanConfig ipvlan) implements Interface {}

  /** {@code type: hsr}: HSR/PRP redundancy over two ports. */
  record Hsr(Common common, HsrConfig hsr) implements Interface {}

  /** {@code type: macsec}: 802.1AE on {@code base-iface}. */
  record MacSec(Common common, MacSecConfig macsec) implements Interface {}

  /** {@code type: infiniband}: an IPoIB device or a partition (pkey) child of one. */
  record InfiniBand(Common common, InfiniBandConfig infiniband) implements Interface {}

  /**
   * {@code type: ipsec}: a libreswan connection (NetworkManager's libreswan VPN plugin in nmstate),
   * named by the interface name; no kernel link unless {@code ipsec-interface} asks for one.
   */
  record Ipsec(Common common, LibreswanConfig libreswan) implements Interface {}

  /**
   * {@code type: ovs-bridge}: a bridge of Open vSwitch, which lives in OVSDB only (its kernel-side
   * device, if any, is an {@code ovs-interface} of the same name).
   */
  record OvsBridge(Common common, OvsBridgeConfig bridge) implements Interface {}

  /**
   * {@code type: ovs-interface}: an OVS internal port (a kernel device OVS creates, carrying IP
   * like any interface) or, with {@code patch}, a patch port to another OVS bridge. {@code dpdk} is
   * kept raw: the engine refuses it.
   */
  record OvsInterface(Common common, OvsPatchConfig patch, JsonNode dpdk) implements Interface {
    public boolean isPatch() {
      return patch != null;
    }
  }

  /** {@code patch}: the peer patch port (on another OVS bridge). */
  record OvsPatchConfig(String peer) {}

  /**
   * No {@code type} and no type section: an existing interface the engine resolves by name (e.g.
   * {@code {name: eth1, state: absent}} or IP settings for a NIC).
   */
  record Untyped(Common common) implements Interface {}

  /**
   * A type multihome does not apply (ovs-bridge, vrf, infiniband...), or an entry given as a
   * capture template. Kept whole as {@code raw}; only name, type and state are read.
   */
  record Unsupported(Common common, JsonNode raw) implements Interface {}

  /** {@code vlan}: 802.1Q/802.1ad sub-interface of {@code base-iface}. */
  record VlanConfig(
      String baseIface,
      Integer id,
      String protocol,
      String registrationProtocol,
      Boolean reorderHeaders,
      Boolean looseBinding) {}

  /** {@code veth}: the other end of the pair. */
  record VethConfig(String peer) {}

  /** {@code mac-vlan} / {@code mac-vtap}; {@code promiscuous} is also read as accept-all-mac. */
  record MacVlanConfig(String baseIface, MacVlanMode mode, Boolean promiscuous) {}

  /** {@code vxlan}; {@code id} is the VNI. */
  record VxlanConfig(
      String baseIface,
      Integer id,
      String remote,
      String local,
      Boolean learning,
      Integer destinationPort) {}

  /**
   * {@code link-aggregation}: mode, kernel options by their sysfs names (kept as given) and the
   * full port list ({@code port}, also spelled {@code ports}).
   */
  record BondConfig(
      BondMode mode,
      Map<String, JsonNode> options,
      List<String> port,
      Extras extras,
      List<BondPortConfig> portsConfig) {

    /** Without {@code ports-config}. */
    public BondConfig(
        BondMode mode, Map<String, JsonNode> options, List<String> port, Extras extras) {
      this(mode, options, port, extras, null);
    }

    /** The ports: {@code port}, else the names in {@code ports-config} (as nmstate reads it). */
    public List<String> ports() {
      if (port != null || portsConfig == null) {
        return port;
      }
      return portsConfig.stream().map(BondPortConfig::name).toList();
    }
  }

  /** {@code vrf}: its ports (the full list; also spelled {@code ports}) and routing table. */
  record VrfConfig(List<String> port, Long routeTableId) {}

  /** {@code ipvlan}: mode l2, l3 or l3s; {@code private} and {@code vepa} are the mode flags. */
  record IpVlanConfig(String baseIface, String mode, Boolean isPrivate, Boolean vepa) {}

  /** {@code hsr}: {@code protocol} hsr or prp; {@code multicast-spec} the supervision byte. */
  record HsrConfig(String port1, String port2, Integer multicastSpec, String protocol) {}

  /**
   * {@code macsec}: {@code validation} disabled, check or strict; {@code offload} off, phy or mac;
   * {@code mka-cak}/{@code mka-ckn} the pre-shared keys of MACsec Key Agreement.
   */
  record MacSecConfig(
      String baseIface,
      Boolean encrypt,
      String mkaCak,
      String mkaCkn,
      Integer port,
      String validation,
      Boolean sendSci,
      String offload) {

    /** Never prints the CAK (a secret; nmstate's Debug hides it too). */
    @Override
    public String toString() {
      return "MacSecConfig[base-iface="
          + baseIface
          + ", encrypt="
          + encrypt
          + ", mka-cak="
          + (mkaCak == null ? null : Ieee8021x.HIDDEN)
          + ", mka-ckn="
          + mkaCkn
          + ", port="
          + port
          + ", validation="
          + validation
          + ", send-sci="
          + sendSci
          + ", offload="
          + offload
          + "]";
    }
  }

  /** {@code infiniband}: {@code mode} datagram or connected; {@code pkey} 0x0001..0xffff. */
  record InfiniBandConfig(String baseIface, String mode, Integer pkey) {}

  /**
   * {@code libreswan}: the connection's ipsec.conf keys as nmstate names them ({@code right} the
   * peer, {@code left} this end, their ids, certificates (NSS nicknames) and RSA keys, {@code psk}
   * the pre-shared secret, proposals and lifetimes, dead peer detection, {@code ipsec-interface}
   * yes/no/an xfrm interface id, {@code type} tunnel or transport, the address families).
   */
  record LibreswanConfig(
      String right,
      String rightid,
      String rightrsasigkey,
      String rightcert,
      String left,
      String leftid,
      String leftrsasigkey,
      String leftcert,
      String ikev2,
      String psk,
      String ikelifetime,
      String salifetime,
      String ike,
      String esp,
      Long dpddelay,
      Long dpdtimeout,
      String dpdaction,
      String ipsecInterface,
      String authby,
      String rightsubnet,
      String leftsubnet,
      Boolean leftmodecfgclient,
      String type,
      String hostaddrfamily,
      String clientaddrfamily,
      Boolean requireIdOnCertificate) {

    /** The keys in nmstate's order, with their values (null: not given); psk as given. */
    public java.util.Map<String, Object> keys() {
      var m = new java.util.LinkedHashMap<String, Object>();
      m.put("right", right);
      m.put("rightid", rightid);
      m.put("rightrsasigkey", rightrsasigkey);
      m.put("rightcert", rightcert);
      m.put("left", left);
      m.put("leftid", leftid);
      m.put("leftrsasigkey", leftrsasigkey);
      m.put("leftcert", leftcert);
      m.put("ikev2", ikev2);
      m.put("psk", psk);
      m.put("ikelifetime", ikelifetime);
      m.put("salifetime", salifetime);
      m.put("ike", ike);
      m.put("esp", esp);
      m.put("dpddelay", dpddelay);
      m.put("dpdtimeout", dpdtimeout);
      m.put("dpdaction", dpdaction);
      m.put("ipsec-interface", ipsecInterface);
      m.put("authby", authby);
      m.put("rightsubnet", rightsubnet);
      m.put("leftsubnet", leftsubnet);
      m.put("leftmodecfgclient", leftmodecfgclient);
      m.put("type", type);
      m.put("hostaddrfamily", hostaddrfamily);
      m.put("clientaddrfamily", clientaddrfamily);
      m.put("require-id-on-certificate", requireIdOnCertificate);
      return m;
    }
  }

  /** {@code ports-config} entry: a bond port's {@code priority} and {@code queue-id}. */
  record BondPortConfig(String name, Integer priority, Integer queueId) {}
}

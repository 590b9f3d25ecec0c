package io.multihome.state;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every interface {@code type} nmstate knows. Only the {@link #supported()} ones have typed
 * records; the others are kept as raw trees ({@link Interface.Unsupported}) and reported by
 * validation.
 */
public enum InterfaceType implements Wire {
  ETHERNET("ethernet", "ethernet", true),
  LINUX_BRIDGE("linux-bridge", "bridge", true),
  VLAN("vlan", "vlan", true),
  VETH("veth", "veth", true),
  MAC_VLAN("mac-vlan", "mac-vlan", true),
  MAC_VTAP("mac-vtap", "mac-vtap", true),
  VXLAN("vxlan", "vxlan", true),
  BOND("bond", "link-aggregation", true),
  DUMMY("dummy", null, true),
  LOOPBACK("loopback", null, true),
  // Its section is "bridge" too, read by type: inference from a bare "bridge" means linux-bridge.
  OVS_BRIDGE("ovs-bridge", null, true),
  OVS_INTERFACE("ovs-interface", null, true),
  VRF("vrf", "vrf", true),
  INFINIBAND("infiniband", "infiniband", true),
  IPVLAN("ipvlan", "ipvlan", true),
  HSR("hsr", "hsr", true),
  MACSEC("macsec", "macsec", true),
  IPSEC("ipsec", "libreswan", true),
  XFRM("xfrm", null, false),
  TUN("tun", null, false),
  IP_TUNNEL("ip-tunnel", null, false),
  UNKNOWN("unknown", null, false);

  private static final Map<String, InterfaceType> BY_WIRE =
      Arrays.stream(values()).collect(Collectors.toMap(InterfaceType::wire, Function.identity()));

  private final String wire;
  private final String section;
  private final boolean supported;

  InterfaceType(String wire, String section, boolean supported) {
    this.wire = wire;
    this.section = section;
    this.supported = supported;
  }

  @Override
  public String wire() {
    return wire;
  }

  /** The key of the type's own section ({@code bridge}, {@code link-aggregation}...), or null. */
  public String section() {
    return section;
  }

  /** Whether multihome models and applies this type. */
  public boolean supported() {
    return supported;
  }

  /** The type spelled {@code wire}, or null. */
  public static InterfaceType fromWire(String wire) {
    return BY_WIRE.get(wire);
  }

  /** The supported type whose own section is {@code key}, or null. */
  static InterfaceType bySection(String key) {
    for (var t : values()) {
      if (key.equals(t.section)) {
        return t;
      }
    }
    return null;
  }
}

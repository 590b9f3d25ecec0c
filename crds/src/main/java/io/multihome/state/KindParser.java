package io.multihome.state;

import io.multihome.state.Interface.HsrConfig;
import io.multihome.state.Interface.InfiniBandConfig;
import io.multihome.state.Interface.IpVlanConfig;
import io.multihome.state.Interface.MacSecConfig;
import io.multihome.state.Interface.VrfConfig;
import java.util.Set;

/** Reads the sections of vrf, ipvlan, hsr, macsec, infiniband and ipsec interfaces. */
final class KindParser {
  private KindParser() {}

  /** The section of {@code kind}, or null when the document leaves it out. */
  static Object read(Fields iface, InterfaceType kind) {
    var f = iface.object(kind.section());
    if (f == null) {
      return null;
    }
    Object out =
        switch (kind) {
          case VRF -> {
            var portKey = f.alias("port", "ports");
            yield new VrfConfig(f.strings(portKey), f.longValue("route-table-id"));
          }
          case IPVLAN ->
              new IpVlanConfig(
                  f.string("base-iface"), f.string("mode"), f.bool("private"), f.bool("vepa"));
          case HSR -> {
            // The supervision address is the kernel's choice: nmstate reports it, ignores it.
            f.queryOnly("supervision-address");
            yield new HsrConfig(
                f.string("port1"),
                f.string("port2"),
                f.integer("multicast-spec"),
                f.string("protocol"));
          }
          case MACSEC ->
              new MacSecConfig(
                  f.string("base-iface"),
                  f.bool("encrypt"),
                  f.string("mka-cak"),
                  f.string("mka-ckn"),
                  f.integer("port"),
                  f.string("validation"),
                  f.bool("send-sci"),
                  f.string("offload"));
          case INFINIBAND ->
              new InfiniBandConfig(f.string("base-iface"), f.string("mode"), pkey(f));
          case IPSEC -> libreswan(f);
          default -> throw new IllegalArgumentException("no section reader for " + kind);
        };
    f.finish(Set.of(), Set.of("supervision-address"));
    return out;
  }

  private static Interface.LibreswanConfig libreswan(Fields f) {
    // nmstate's LibreswanConfig: right is its one required key.
    f.require("right", "(the peer's address or host name)");
    return new Interface.LibreswanConfig(
        f.string("right"),
        f.string("rightid"),
        f.string("rightrsasigkey"),
        f.string("rightcert"),
        f.string("left"),
        f.string("leftid"),
        f.string("leftrsasigkey"),
        f.string("leftcert"),
        f.string("ikev2"),
        f.string("psk"),
        f.string("ikelifetime"),
        f.string("salifetime"),
        f.string("ike"),
        f.string("esp"),
        f.longValue("dpddelay"),
        f.longValue("dpdtimeout"),
        f.string("dpdaction"),
        ipsecInterface(f),
        f.string("authby"),
        f.string("rightsubnet"),
        f.string("leftsubnet"),
        f.bool("leftmodecfgclient"),
        f.string("type"),
        f.string("hostaddrfamily"),
        f.string("clientaddrfamily"),
        f.bool("require-id-on-certificate"));
  }

  /** nmstate's reading: an unsigned integer (number or string), or "yes"/"no". */
  private static String ipsecInterface(Fields f) {
    var v = f.value("ipsec-interface");
    if (v == null) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToLong() && v.longValue() >= 0) {
      return Long.toString(v.longValue());
    }
    if (v.isTextual()
        && (v.textValue().equals("yes")
            || v.textValue().equals("no")
            || v.textValue().matches("[0-9]{1,10}")
                && Long.parseLong(v.textValue()) <= 0xFFFFFFFFL)) {
      return v.textValue();
    }
    f.problem(
        "ipsec-interface",
        "invalid ipsec-interface value, should be unsigned integer, string 'yes' or 'no'");
    return null;
  }

  /** nmstate writes the pkey as a hex string ('0x80ff') or a number. */
  private static Integer pkey(Fields f) {
    return f.integer("pkey");
  }
}

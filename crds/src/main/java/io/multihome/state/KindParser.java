package io.multihome.state;

import io.multihome.state.Interface.HsrConfig;
import io.multihome.state.Interface.InfiniBandConfig;
import io.multihome.state.Interface.IpVlanConfig;
import io.multihome.state.Interface.MacSecConfig;
import io.multihome.state.Interface.VrfConfig;
import java.util.Set;

/** Reads the sections of vrf, ipvlan, hsr, macsec and infiniband interfaces. */
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
          default -> throw new IllegalArgumentException("no section reader for " + kind);
        };
    f.finish(Set.of(), Set.of("supervision-address"));
    return out;
  }

  /** nmstate writes the pkey as a hex string ('0x80ff') or a number. */
  private static Integer pkey(Fields f) {
    return f.integer("pkey");
  }
}

package io.multihome.state;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes the sections of vrf, ipvlan, hsr, macsec and infiniband interfaces. */
final class KindWriter {
  private KindWriter() {}

  /** How {@link StateWriter} puts one key (templates included). */
  interface Put {
    void put(ObjectNode o, String at, String key, Object value);
  }

  static void write(Put put, ObjectNode o, String at, Interface iface) {
    if (iface instanceof Interface.Vrf v) {
      var s = section(put, o, at, "vrf", v.vrf());
      if (s != null) {
        var p = Problem.child(at, "vrf");
        if (v.vrf().port() != null) {
          var arr = s.putArray("port");
          v.vrf().port().forEach(arr::add);
        }
        put.put(s, p, "route-table-id", v.vrf().routeTableId());
      }
    } else if (iface instanceof Interface.IpVlan v) {
      var s = section(put, o, at, "ipvlan", v.ipvlan());
      if (s != null) {
        var p = Problem.child(at, "ipvlan");
        put.put(s, p, "base-iface", v.ipvlan().baseIface());
        put.put(s, p, "mode", v.ipvlan().mode());
        put.put(s, p, "private", v.ipvlan().isPrivate());
        put.put(s, p, "vepa", v.ipvlan().vepa());
      }
    } else if (iface instanceof Interface.Hsr h) {
      var s = section(put, o, at, "hsr", h.hsr());
      if (s != null) {
        var p = Problem.child(at, "hsr");
        put.put(s, p, "port1", h.hsr().port1());
        put.put(s, p, "port2", h.hsr().port2());
        put.put(s, p, "multicast-spec", h.hsr().multicastSpec());
        put.put(s, p, "protocol", h.hsr().protocol());
      }
    } else if (iface instanceof Interface.MacSec m) {
      var s = section(put, o, at, "macsec", m.macsec());
      if (s != null) {
        var p = Problem.child(at, "macsec");
        var c = m.macsec();
        put.put(s, p, "encrypt", c.encrypt());
        put.put(s, p, "base-iface", c.baseIface());
        put.put(s, p, "mka-cak", c.mkaCak());
        put.put(s, p, "mka-ckn", c.mkaCkn());
        put.put(s, p, "port", c.port());
        put.put(s, p, "validation", c.validation());
        put.put(s, p, "send-sci", c.sendSci());
        put.put(s, p, "offload", c.offload());
      }
    } else if (iface instanceof Interface.Ipsec x) {
      var s = section(put, o, at, "libreswan", x.libreswan());
      if (s != null) {
        var p = Problem.child(at, "libreswan");
        x.libreswan().keys().forEach((k, v) -> put.put(s, p, k, v));
      }
    } else if (iface instanceof Interface.InfiniBand ib) {
      var s = section(put, o, at, "infiniband", ib.infiniband());
      if (s != null) {
        var p = Problem.child(at, "infiniband");
        put.put(s, p, "base-iface", ib.infiniband().baseIface());
        put.put(s, p, "mode", ib.infiniband().mode());
        var pkey = ib.infiniband().pkey();
        put.put(s, p, "pkey", pkey == null ? null : String.format("0x%04x", pkey));
      }
    }
  }

  private static ObjectNode section(Put put, ObjectNode o, String at, String key, Object value) {
    if (value == null) {
      put.put(o, at, key, null);
      return null;
    }
    return o.putObject(key);
  }
}

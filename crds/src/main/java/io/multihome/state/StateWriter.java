package io.multihome.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link DesiredState} back as nmstate YAML (or as a tree). Keys come in one fixed order
 * per object and aliases are written by their canonical names ({@code port}, {@code promiscuous},
 * {@code group-fwd-mask}), so the output is deterministic and parsing it again gives an equal
 * state. Capture templates are written back at their paths; kept raw trees verbatim.
 */
public final class StateWriter {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Map<String, Template> templates;

  private StateWriter(Map<String, Template> templates) {
    this.templates = templates;
  }

  /** The state as nmstate YAML text. */
  public static String toYaml(DesiredState state) {
    try {
      return Documents.YAML.writeValueAsString(toTree(state));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The state as a JSON/YAML tree. */
  public static ObjectNode toTree(DesiredState state) {
    return new StateWriter(state.templates()).write(state);
  }

  private ObjectNode write(DesiredState s) {
    var root = NODES.objectNode();
    put(root, "", "description", s.description());
    if (s.interfaces() != null) {
      var arr = root.putArray("interfaces");
      for (int i = 0; i < s.interfaces().size(); i++) {
        arr.add(iface(s.interfaces().get(i), Problem.index("interfaces", i)));
      }
    } else {
      put(root, "", "interfaces", null);
    }
    put(root, "", "routes", null);
    put(root, "", "route-rules", null);
    put(root, "", "dns-resolver", null);
    if (s.routes() != null || s.routesRunning() != null || hasTemplate("routes.config")) {
      var routes = root.putObject("routes");
      list(routes, "routes", "config", s.routes(), this::route);
      put(routes, "routes", "running", s.routesRunning());
    }
    if (s.routeRules() != null || hasTemplate("route-rules.config")) {
      var rules = root.putObject("route-rules");
      list(rules, "route-rules", "config", s.routeRules(), this::rule);
    }
    if (s.dns() != null || s.dnsRunning() != null || hasTemplate("dns-resolver.config")) {
      var dns = root.putObject("dns-resolver");
      if (s.dns() != null) {
        var c = dns.putObject("config");
        strings(c, "dns-resolver.config", "server", s.dns().server());
        strings(c, "dns-resolver.config", "search", s.dns().search());
        strings(c, "dns-resolver.config", "options", s.dns().options());
      } else {
        put(dns, "dns-resolver", "config", null);
      }
      put(dns, "dns-resolver", "running", s.dnsRunning());
    }
    ovsDb(root, "", s.ovsDb());
    if (s.ovn() != null) {
      var ovn = root.putObject("ovn");
      list(
          ovn,
          "ovn",
          "bridge-mappings",
          s.ovn().bridgeMappings(),
          (m, mp) -> {
            var n = NODES.objectNode();
            put(n, mp, "localnet", m.localnet());
            put(n, mp, "bridge", m.bridge());
            put(n, mp, "state", m.absent() ? "absent" : null);
            return n;
          });
    } else {
      put(root, "", "ovn", null);
    }
    if (s.hostname() != null) {
      var h = root.putObject("hostname");
      put(h, "hostname", "running", s.hostname().running());
      put(h, "hostname", "config", s.hostname().config());
    }
    extras(root, s.extras());
    return root;
  }

  private JsonNode iface(Interface iface, String at) {
    if (iface instanceof Interface.Unsupported u) {
      return u.raw();
    }
    var o = NODES.objectNode();
    var c = iface.common();
    var opt = c.options();
    put(o, at, "name", c.name());
    put(o, at, "profile-name", opt.profileName());
    put(o, at, "description", c.description());
    put(o, at, "type", c.type());
    put(o, at, "state", c.state());
    put(o, at, "identifier", opt.identifier());
    put(o, at, "mac-address", c.macAddress());
    put(o, at, "pci-address", opt.pciAddress());
    put(o, at, "copy-mac-from", opt.copyMacFrom());
    put(o, at, "mtu", c.mtu());
    put(o, at, "controller", c.controller());
    ip(o, at, "ipv4", c.ipv4());
    ip(o, at, "ipv6", c.ipv6());
    ovsDb(o, at, c.ovsDb());
    if (iface instanceof Interface.Ethernet e) {
      ethernet(o, at, e.ethernet());
    } else if (iface instanceof Interface.LinuxBridge b) {
      bridge(o, at, b.bridge());
    } else if (iface instanceof Interface.Vlan v) {
      var p = Problem.child(at, "vlan");
      var s = section(o, at, "vlan", v.vlan());
      if (s != null) {
        put(s, p, "base-iface", v.vlan().baseIface());
        put(s, p, "id", v.vlan().id());
        put(s, p, "protocol", v.vlan().protocol());
        put(s, p, "registration-protocol", v.vlan().registrationProtocol());
        put(s, p, "reorder-headers", v.vlan().reorderHeaders());
        put(s, p, "loose-binding", v.vlan().looseBinding());
      }
    } else if (iface instanceof Interface.Veth v) {
      var s = section(o, at, "veth", v.veth());
      if (s != null) {
        put(s, Problem.child(at, "veth"), "peer", v.veth().peer());
      }
    } else if (iface instanceof Interface.MacVlan m) {
      macVlan(o, at, "mac-vlan", m.macVlan());
    } else if (iface instanceof Interface.MacVtap m) {
      macVlan(o, at, "mac-vtap", m.macVtap());
    } else if (iface instanceof Interface.Vxlan v) {
      var p = Problem.child(at, "vxlan");
      var s = section(o, at, "vxlan", v.vxlan());
      if (s != null) {
        put(s, p, "base-iface", v.vxlan().baseIface());
        put(s, p, "id", v.vxlan().id());
        put(s, p, "remote", v.vxlan().remote());
        put(s, p, "local", v.vxlan().local());
        put(s, p, "learning", v.vxlan().learning());
        put(s, p, "destination-port", v.vxlan().destinationPort());
      }
    } else if (iface instanceof Interface.Bond b) {
      bond(o, at, b.linkAggregation());
    } else if (iface instanceof Interface.OvsBridge b) {
      ovsBridge(o, at, b.bridge());
    } else if (iface instanceof Interface.OvsInterface oi) {
      var s = section(o, at, "patch", oi.patch());
      if (s != null) {
        put(s, Problem.child(at, "patch"), "peer", oi.patch().peer());
      }
      put(o, at, "dpdk", oi.dpdk());
    } else {
      KindWriter.write(this::put, o, at, iface);
    }
    extras(o, c.extras(), true);
    options(o, at, opt);
    if (c.mptcpAddressFlags() != null || hasTemplate(Problem.child(at, "mptcp.address-flags"))) {
      strings(
          o.putObject("mptcp"), Problem.child(at, "mptcp"), "address-flags", c.mptcpAddressFlags());
    }
    put(o, at, "accept-all-mac-addresses", c.acceptAllMacAddresses());
    if (c.lldpEnabled() != null
        || opt.lldpNeighbors() != null
        || hasTemplate(Problem.child(at, "lldp.enabled"))) {
      var l = o.putObject("lldp");
      put(l, Problem.child(at, "lldp"), "enabled", c.lldpEnabled());
      put(l, Problem.child(at, "lldp"), "neighbors", opt.lldpNeighbors());
    }
    extras(o, c.extras(), false);
    return o;
  }

  /** {@code alt-names}, {@code ethtool}, {@code dispatch} and {@code 802.1x}. */
  private void options(ObjectNode o, String at, InterfaceOptions opt) {
    list(
        o,
        at,
        "alt-names",
        opt.altNames(),
        (a, ap) -> {
          var n = NODES.objectNode();
          put(n, ap, "name", a.name());
          put(n, ap, "state", a.absent() ? "absent" : null);
          return n;
        });
    var e = opt.ethtool();
    var ep = Problem.child(at, "ethtool");
    var eo = section(o, at, "ethtool", e);
    if (eo != null) {
      var pp = Problem.child(ep, "pause");
      var p = section(eo, ep, "pause", e.pause());
      if (p != null) {
        put(p, pp, "autoneg", e.pause().autoneg());
        put(p, pp, "rx", e.pause().rx());
        put(p, pp, "tx", e.pause().tx());
      }
      if (e.feature() != null) {
        var f = eo.putObject("feature");
        e.feature().forEach((k, v) -> put(f, Problem.child(ep, "feature"), k, v));
      } else {
        put(eo, ep, "feature", null);
      }
      var rp = Problem.child(ep, "ring");
      var r = section(eo, ep, "ring", e.ring());
      if (r != null) {
        put(r, rp, "rx", e.ring().rx());
        put(r, rp, "rx-jumbo", e.ring().rxJumbo());
        put(r, rp, "rx-mini", e.ring().rxMini());
        put(r, rp, "tx", e.ring().tx());
        extras(r, e.ring().extras());
      }
      var cp = Problem.child(ep, "coalesce");
      var co = section(eo, ep, "coalesce", e.coalesce());
      if (co != null) {
        put(co, cp, "adaptive-rx", e.coalesce().adaptiveRx());
        put(co, cp, "adaptive-tx", e.coalesce().adaptiveTx());
        e.coalesce().numbers().forEach((k, v) -> put(co, cp, k, v));
      }
      extras(eo, e.extras());
    }
    var dp = Problem.child(at, "dispatch");
    var d = section(o, at, "dispatch", opt.dispatch());
    if (d != null) {
      put(d, dp, "post-activation", opt.dispatch().postActivation());
      put(d, dp, "post-deactivation", opt.dispatch().postDeactivation());
    }
    var x = opt.ieee8021x();
    var xp = Problem.child(at, "802.1x");
    var xo = section(o, at, "802.1x", x);
    if (xo != null) {
      put(xo, xp, "ca-cert", x.caCert());
      put(xo, xp, "ca-path", x.caPath());
      put(xo, xp, "client-cert", x.clientCert());
      strings(xo, xp, "eap-methods", x.eapMethods());
      put(xo, xp, "identity", x.identity());
      put(xo, xp, "private-key", x.privateKey());
      put(xo, xp, "private-key-password", x.privateKeyPassword());
      put(xo, xp, "password", x.password());
      put(xo, xp, "phase2-auth", x.phase2Auth());
      put(xo, xp, "auth-timeout", x.authTimeout());
    }
  }

  private void ip(ObjectNode parent, String at, String key, IpConfig ip) {
    var p = Problem.child(at, key);
    var o = section(parent, at, key, ip);
    if (o == null) {
      return;
    }
    put(o, p, "enabled", ip.enabled());
    put(o, p, "dhcp", ip.dhcp());
    put(o, p, "autoconf", ip.autoconf());
    put(o, p, "auto-dns", ip.autoDns());
    put(o, p, "auto-gateway", ip.autoGateway());
    put(o, p, "auto-routes", ip.autoRoutes());
    put(o, p, "auto-route-table-id", ip.autoRouteTableId());
    put(o, p, "auto-route-metric", ip.autoRouteMetric());
    put(o, p, "addr-gen-mode", ip.addrGenMode());
    put(o, p, "forwarding", ip.forwarding());
    put(o, p, "dhcp-client-id", ip.dhcpClientId());
    put(o, p, "dhcp-duid", ip.dhcpDuid());
    list(
        o,
        p,
        "address",
        ip.address(),
        (a, ap) -> {
          var n = NODES.objectNode();
          put(n, ap, "ip", a.ip());
          put(n, ap, "prefix-length", a.prefixLength());
          extras(n, a.extras());
          return n;
        });
    extras(o, ip.extras());
  }

  private void ethernet(ObjectNode parent, String at, EthernetConfig e) {
    var p = Problem.child(at, "ethernet");
    var o = section(parent, at, "ethernet", e);
    if (o == null) {
      return;
    }
    put(o, p, "auto-negotiation", e.autoNegotiation());
    put(o, p, "speed", e.speed());
    put(o, p, "duplex", e.duplex());
    var sp = Problem.child(p, "sr-iov");
    var s = section(o, p, "sr-iov", e.srIov());
    if (s != null) {
      put(s, sp, "total-vfs", e.srIov().totalVfs());
      put(s, sp, "drivers-autoprobe", e.srIov().driversAutoprobe());
      list(
          s,
          sp,
          "vfs",
          e.srIov().vfs(),
          (vf, vp) -> {
            var n = NODES.objectNode();
            put(n, vp, "id", vf.id());
            put(n, vp, "mac-address", vf.macAddress());
            put(n, vp, "spoof-check", vf.spoofCheck());
            put(n, vp, "trust", vf.trust());
            put(n, vp, "min-tx-rate", vf.minTxRate());
            put(n, vp, "max-tx-rate", vf.maxTxRate());
            put(n, vp, "vlan-id", vf.vlanId());
            put(n, vp, "qos", vf.qos());
            put(n, vp, "vlan-proto", vf.vlanProto());
            extras(n, vf.extras());
            return n;
          });
      extras(s, e.srIov().extras());
    }
    extras(o, e.extras());
  }

  private void bridge(ObjectNode parent, String at, BridgeConfig b) {
    var p = Problem.child(at, "bridge");
    var o = section(parent, at, "bridge", b);
    if (o == null) {
      return;
    }
    var op = Problem.child(p, "options");
    var opts = section(o, p, "options", b.options());
    if (opts != null) {
      var x = b.options();
      var stpPath = Problem.child(op, "stp");
      var stp = section(opts, op, "stp", x.stp());
      if (stp != null) {
        put(stp, stpPath, "enabled", x.stp().enabled());
        put(stp, stpPath, "forward-delay", x.stp().forwardDelay());
        put(stp, stpPath, "hello-time", x.stp().helloTime());
        put(stp, stpPath, "max-age", x.stp().maxAge());
        put(stp, stpPath, "priority", x.stp().priority());
      }
      put(opts, op, "mac-ageing-time", x.macAgeingTime());
      put(opts, op, "group-fwd-mask", x.groupFwdMask());
      put(opts, op, "group-addr", x.groupAddr());
      put(opts, op, "multicast-snooping", x.multicastSnooping());
      put(opts, op, "vlan-protocol", x.vlanProtocol());
      put(opts, op, "vlan-default-pvid", x.vlanDefaultPvid());
      x.multicast().forEach((k, v) -> put(opts, op, k, v));
      extras(opts, x.extras());
    }
    list(o, p, "port", b.port(), this::port);
  }

  private void ovsBridge(ObjectNode parent, String at, OvsBridgeConfig b) {
    var p = Problem.child(at, "bridge");
    var o = section(parent, at, "bridge", b);
    if (o == null) {
      return;
    }
    put(o, p, "allow-extra-patch-ports", b.allowExtraPatchPorts());
    var op = Problem.child(p, "options");
    var opts = section(o, p, "options", b.options());
    if (opts != null) {
      var x = b.options();
      if (x.stpTimers() != null && !x.stpTimers().isEmpty()) {
        var stp = opts.putObject("stp");
        put(stp, Problem.child(op, "stp"), "enabled", x.stp());
        extras(stp, x.stpTimers());
      } else {
        put(opts, op, "stp", x.stp());
      }
      put(opts, op, "rstp", x.rstp());
      put(opts, op, "mcast-snooping-enable", x.mcastSnoopingEnable());
      put(opts, op, "fail-mode", x.failMode());
      put(opts, op, "datapath", x.datapath());
    }
    list(
        o,
        p,
        "port",
        b.port(),
        (port, pp) -> {
          var n = NODES.objectNode();
          put(n, pp, "name", port.name());
          vlan(n, pp, port.vlan());
          var bond = port.linkAggregation();
          var lp = Problem.child(pp, "link-aggregation");
          var l = section(n, pp, "link-aggregation", bond);
          if (l != null) {
            put(l, lp, "mode", bond.mode());
            list(
                l,
                lp,
                "port",
                bond.port(),
                (m, mp) -> {
                  var mn = NODES.objectNode();
                  put(mn, mp, "name", m);
                  return mn;
                });
            put(l, lp, "bond-updelay", bond.bondUpdelay());
            put(l, lp, "bond-downdelay", bond.bondDowndelay());
            ovsDb(l, lp, bond.ovsDb());
          }
          return n;
        });
  }

  private void ovsDb(ObjectNode parent, String at, OvsDb db) {
    var p = Problem.child(at, "ovs-db");
    var o = section(parent, at, "ovs-db", db);
    if (o == null) {
      return;
    }
    stringMap(o, p, "external_ids", db.externalIds());
    stringMap(o, p, "other_config", db.otherConfig());
  }

  private void stringMap(ObjectNode parent, String at, String key, Map<String, String> m) {
    if (m == null) {
      put(parent, at, key, null);
      return;
    }
    var o = parent.putObject(key);
    m.forEach(
        (k, v) -> {
          if (v == null) {
            o.putNull(k);
          } else {
            o.put(k, v);
          }
        });
  }

  private JsonNode port(BridgeConfig.Port port, String at) {
    var n = NODES.objectNode();
    put(n, at, "name", port.name());
    put(n, at, "stp-hairpin-mode", port.stpHairpinMode());
    put(n, at, "stp-path-cost", port.stpPathCost());
    put(n, at, "stp-priority", port.stpPriority());
    vlan(n, at, port.vlan());
    if (port.extras() != null) {
      extras(n, port.extras());
    }
    return n;
  }

  private void vlan(ObjectNode n, String at, BridgeConfig.PortVlan vlan) {
    var vp = Problem.child(at, "vlan");
    var v = section(n, at, "vlan", vlan);
    if (v != null) {
      put(v, vp, "mode", vlan.mode());
      put(v, vp, "tag", vlan.tag());
      put(v, vp, "enable-native", vlan.enableNative());
      list(
          v,
          vp,
          "trunk-tags",
          vlan.trunkTags(),
          (t, tp) -> {
            var tn = NODES.objectNode();
            if (t.range()) {
              var r = tn.putObject("id-range");
              put(r, Problem.child(tp, "id-range"), "min", t.min());
              put(r, Problem.child(tp, "id-range"), "max", t.max());
            } else {
              put(tn, tp, "id", t.min());
            }
            return tn;
          });
    }
  }

  private void macVlan(ObjectNode parent, String at, String key, Interface.MacVlanConfig m) {
    var p = Problem.child(at, key);
    var s = section(parent, at, key, m);
    if (s != null) {
      put(s, p, "base-iface", m.baseIface());
      put(s, p, "mode", m.mode());
      put(s, p, "promiscuous", m.promiscuous());
    }
  }

  private void bond(ObjectNode parent, String at, Interface.BondConfig b) {
    var p = Problem.child(at, "link-aggregation");
    var o = section(parent, at, "link-aggregation", b);
    if (o == null) {
      return;
    }
    put(o, p, "mode", b.mode());
    if (b.options() != null) {
      var opts = o.putObject("options");
      b.options().forEach(opts::set);
    } else {
      put(o, p, "options", null);
    }
    strings(o, p, "port", b.port());
    list(
        o,
        p,
        "ports-config",
        b.portsConfig(),
        (pc, pp) -> {
          var n = NODES.objectNode();
          put(n, pp, "name", pc.name());
          put(n, pp, "priority", pc.priority());
          put(n, pp, "queue-id", pc.queueId());
          return n;
        });
    extras(o, b.extras());
  }

  private JsonNode route(Route r, String at) {
    var n = NODES.objectNode();
    put(n, at, "destination", r.destination());
    put(n, at, "next-hop-interface", r.nextHopInterface());
    put(n, at, "next-hop-address", r.nextHopAddress());
    put(n, at, "metric", r.metric());
    put(n, at, "table-id", r.tableId());
    put(n, at, "weight", r.weight());
    put(n, at, "route-type", r.routeType());
    put(n, at, "source", r.source());
    put(n, at, "mtu", r.mtu());
    var m = r.metrics();
    put(n, at, "lock-mtu", m.lockMtu());
    put(n, at, "cwnd", m.cwnd());
    put(n, at, "initcwnd", m.initcwnd());
    put(n, at, "initrwnd", m.initrwnd());
    put(n, at, "advmss", m.advmss());
    put(n, at, "quickack", m.quickack());
    put(n, at, "vrf-name", r.vrfName());
    put(n, at, "state", r.absent() ? "absent" : null);
    extras(n, r.extras());
    return n;
  }

  private JsonNode rule(RouteRule r, String at) {
    var n = NODES.objectNode();
    put(n, at, "family", r.family());
    put(n, at, "ip-from", r.ipFrom());
    put(n, at, "ip-to", r.ipTo());
    put(n, at, "priority", r.priority());
    put(n, at, "route-table", r.routeTable());
    put(n, at, "fwmark", r.fwmark());
    put(n, at, "fwmask", r.fwmask());
    put(n, at, "iif", r.iif());
    put(n, at, "action", r.action());
    put(n, at, "suppress-prefix-length", r.suppressPrefixLength());
    put(n, at, "state", r.absent() ? "absent" : null);
    extras(n, r.extras());
    return n;
  }

  // --- helpers -------------------------------------------------------------------------------

  private interface Element<T> {
    JsonNode write(T value, String at);
  }

  private boolean hasTemplate(String path) {
    return !templates.isEmpty() && templates.containsKey(path);
  }

  /** A new child object for a non-null section, or null (after writing a template, if any). */
  private ObjectNode section(ObjectNode parent, String at, String key, Object value) {
    if (value == null) {
      put(parent, at, key, null);
      return null;
    }
    return parent.putObject(key);
  }

  private <T> void list(ObjectNode parent, String at, String key, List<T> items, Element<T> w) {
    var p = Problem.child(at, key);
    if (items == null) {
      put(parent, at, key, null);
      return;
    }
    ArrayNode arr = parent.putArray(key);
    for (int i = 0; i < items.size(); i++) {
      var ip = Problem.index(p, i);
      if (hasTemplate(ip)) {
        arr.add(templates.get(ip).text());
      } else {
        arr.add(w.write(items.get(i), ip));
      }
    }
  }

  private void strings(ObjectNode parent, String at, String key, List<String> items) {
    list(parent, at, key, items, (s, ip) -> s == null ? NODES.nullNode() : NODES.textNode(s));
  }

  private void put(ObjectNode o, String at, String key, Object v) {
    if (v == null) {
      if (!templates.isEmpty()) {
        var t = templates.get(Problem.child(at, key));
        if (t != null) {
          o.put(key, t.text());
        }
      }
      return;
    }
    if (v instanceof String s) {
      o.put(key, s);
    } else if (v instanceof Integer i) {
      o.put(key, i);
    } else if (v instanceof Long l) {
      o.put(key, l);
    } else if (v instanceof Boolean b) {
      o.put(key, b);
    } else if (v instanceof Wire w) {
      o.put(key, w.wire());
    } else if (v instanceof JsonNode n) {
      o.set(key, n);
    } else {
      throw new IllegalArgumentException("cannot write " + v.getClass());
    }
  }

  private static void extras(ObjectNode o, Extras extras) {
    if (extras == null || extras.isEmpty()) {
      return;
    }
    extras(o, extras, true);
    extras(o, extras, false);
  }

  /** Valid settings first (unsupported and kept keys), then what only a query reports. */
  private static void extras(ObjectNode o, Extras extras, boolean settings) {
    if (extras == null) {
      return;
    }
    if (settings) {
      extras.unsupported().forEach(o::set);
      extras.kept().forEach(o::set);
    } else {
      extras.queryOnly().forEach(o::set);
    }
  }
}

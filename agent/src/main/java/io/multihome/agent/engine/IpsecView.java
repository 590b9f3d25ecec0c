package io.multihome.agent.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.state.DesiredState;
import io.multihome.state.Interface;
import io.multihome.state.StateParser;
import java.util.ArrayList;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Adds each ipsec connection in effect to what {@code show} prints, as nmstate reports one: name,
 * {@code type: ipsec}, {@code state} (up while its Child SA is established), {@code ipv4} with
 * {@code dhcp: true} and the mode-config address the peer handed out, and the {@code libreswan}
 * section with the pre-shared key masked.
 */
final class IpsecView {
  private static final ObjectMapper JSON = new ObjectMapper();

  private IpsecView() {}

  static DesiredState show(
      DesiredState state,
      Map<String, IpsecConnections.Connection> connections,
      Map<String, IpsecConnections.Status> status,
      Predicate<String> wanted) {
    var added = new ArrayList<Interface>();
    for (var e : connections.entrySet()) {
      if (wanted.test(e.getKey())) {
        added.add(entry(e.getKey(), e.getValue(), status.get(e.getKey())));
      }
    }
    if (added.isEmpty()) {
      return state;
    }
    var out = new ArrayList<>(state.interfacesOrEmpty());
    out.addAll(added);
    return new DesiredState(
        out,
        state.routes(),
        state.routesRunning(),
        state.routeRules(),
        state.dns(),
        state.dnsRunning(),
        state.description(),
        state.ovsDb(),
        state.ovn(),
        state.extras(),
        state.templates(),
        state.hostname());
  }

  private static Interface entry(
      String name, IpsecConnections.Connection c, IpsecConnections.Status s) {
    var up = s != null && s.established();
    var node = JSON.createObjectNode();
    var i = node.putArray("interfaces").addObject();
    i.put("name", name).put("type", "ipsec").put("state", up ? "up" : "down");
    if (c.modeConfig()) {
      var v4 = i.putObject("ipv4").put("enabled", true).put("dhcp", true);
      if (s != null && s.lease() != null) {
        var a = v4.putArray("address").addObject();
        a.put("ip", s.lease());
        a.put("prefix-length", 32);
      }
    }
    ObjectNode l = i.putObject("libreswan");
    c.libreswan()
        .keys()
        .forEach(
            (k, v) -> {
              if (v == null) {
                return;
              }
              if (k.equals("psk")) {
                l.put(k, IpsecPlanner.HIDDEN);
              } else if (v instanceof Boolean b) {
                l.put(k, b);
              } else if (v instanceof Long n) {
                l.put(k, n);
              } else {
                l.put(k, v.toString());
              }
            });
    var parsed = StateParser.parse(node);
    if (!parsed.ok()) {
      throw new IllegalStateException("ipsec connection " + name + ": " + parsed.problems());
    }
    return parsed.state().interfaces().get(0);
  }
}

package io.multihome.agent.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.agent.ovsdb.SwitchState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a bridge should look like in OVSDB: its managed columns ({@link OvsColumns}), and its ports
 * with their interfaces, in order. Rows are matched to the database by name, so the same records
 * serve as the planner's desired state and as the checkpoint's saved state. The planner builds them
 * in place (the maps and lists are mutable until the plan is made).
 */
public final class OvsSpec {
  private OvsSpec() {}

  public record Bridge(String name, Map<String, JsonNode> columns, List<Port> ports) {
    Port port(String portName) {
      for (var p : ports) {
        if (p.name().equals(portName)) {
          return p;
        }
      }
      return null;
    }

    /** The port holding interface {@code iface}, or null. */
    Port portOf(String iface) {
      for (var p : ports) {
        if (p.iface(iface) != null) {
          return p;
        }
      }
      return null;
    }
  }

  public record Port(String name, Map<String, JsonNode> columns, List<Iface> ifaces) {
    Iface iface(String ifaceName) {
      for (var i : ifaces) {
        if (i.name().equals(ifaceName)) {
          return i;
        }
      }
      return null;
    }
  }

  public record Iface(String name, Map<String, JsonNode> columns) {
    String type() {
      return columns.get("type").asText();
    }
  }

  /** The switch-wide {@code external_ids} and {@code other_config} of the Open_vSwitch row. */
  public record Global(Map<String, String> externalIds, Map<String, String> otherConfig) {}

  /** {@code name} as it is in {@code sw} now, or null when it is not a bridge there. */
  static Bridge current(SwitchState sw, String name) {
    var b = sw.bridge(name);
    if (b == null) {
      return null;
    }
    var ports = new ArrayList<Port>();
    for (var p : sw.portsOf(b)) {
      var ifaces = new ArrayList<Iface>();
      for (var i : sw.interfacesOf(p)) {
        ifaces.add(new Iface(i.name(), new LinkedHashMap<>(OvsColumns.of(i))));
      }
      ports.add(new Port(p.name(), new LinkedHashMap<>(OvsColumns.of(p)), ifaces));
    }
    return new Bridge(b.name(), new LinkedHashMap<>(OvsColumns.of(b)), ports);
  }
}

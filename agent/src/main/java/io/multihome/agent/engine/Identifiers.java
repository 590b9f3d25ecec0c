package io.multihome.agent.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.state.DesiredState;
import io.multihome.state.Identifier;
import io.multihome.state.Interface;
import io.multihome.state.InterfaceState;
import io.multihome.state.InterfaceType;
import io.multihome.state.Problem;
import io.multihome.state.StateParser;
import io.multihome.state.StateWriter;
import java.util.List;
import java.util.Locale;

/**
 * Interfaces found by something other than their name, as nmstate resolves them before anything
 * else: {@code identifier: mac-address} (the link whose permanent MAC, else current MAC, is {@code
 * mac-address}), {@code identifier: pci-address} (the link whose device is at {@code pci-address}),
 * and names that are the profile name of a NIC kept that way earlier. Each such entry is renamed to
 * the link's kernel name with its {@code profile-name} set (the name it was given, unless it gave
 * one); its {@code mac-address} is only what found it, so it is not applied.
 */
final class Identifiers {
  private Identifiers() {}

  static DesiredState resolve(DesiredState desired, Snapshot now, List<Problem> problems) {
    var ifaces = desired.interfacesOrEmpty();
    var kept = now.extras().kept();
    var byName = now.byName();
    ObjectNode tree = null;
    for (int i = 0; i < ifaces.size(); i++) {
      var iface = ifaces.get(i);
      if (iface instanceof Interface.Unsupported || iface.name() == null) {
        continue;
      }
      var c = iface.common();
      var id = c.options().identifier();
      var at = "interfaces[" + i + "]";
      NodeLink link = null;
      String profile = c.options().profileName();
      if (id == Identifier.MAC_ADDRESS && c.macAddress() != null) {
        link = byMac(now, c.macAddress(), iface.kind());
        if (link == null) {
          if (!c.isAbsent()) {
            problems.add(
                new Problem(
                    at + ".mac-address",
                    "no interface holds MAC address "
                        + c.macAddress().toUpperCase(Locale.ROOT)
                        + " (identifier: mac-address)"));
          }
          continue;
        }
      } else if (id == Identifier.PCI_ADDRESS && c.options().pciAddress() != null) {
        link = byPci(now, c.options().pciAddress());
        if (link == null) {
          if (!c.isAbsent()) {
            problems.add(
                new Problem(
                    at + ".pci-address",
                    "no interface has its device at PCI address "
                        + c.options().pciAddress()
                        + " (identifier: pci-address)"));
          }
          continue;
        }
      } else if ((id == null || id == Identifier.NAME) && !byName.containsKey(iface.name())) {
        // A NIC kept under its profile name: the name given is that profile's.
        var p = kept.profileNamed(iface.name());
        link = p == null ? null : find(now, p);
        if (link == null) {
          continue;
        }
        id = Identifier.valueOf(p.identifier().toUpperCase(Locale.ROOT).replace('-', '_'));
        profile = p.profileName();
      } else {
        continue;
      }
      if (tree == null) {
        tree = StateWriter.toTree(desired);
      }
      var o = (ObjectNode) tree.path("interfaces").get(i);
      if (profile == null) {
        profile = iface.name();
      }
      o.put("name", link.name());
      o.put("identifier", id.wire());
      // Only NICs are found this way: state: absent then unconfigures, never deletes.
      if (!o.has("type")) {
        o.put("type", "ethernet");
      }
      if (id == Identifier.MAC_ADDRESS) {
        o.remove("mac-address");
        if (c.macAddress() != null || !o.has("pci-address")) {
          o.put("mac-address", matchedMac(link, c.macAddress()));
        }
      } else {
        o.put("pci-address", link.pciAddress());
      }
      if (c.effectiveState() != InterfaceState.ABSENT) {
        o.put("profile-name", profile);
      }
    }
    if (tree == null) {
      return desired;
    }
    var parsed = StateParser.parse(tree);
    return parsed.ok() ? parsed.state() : desired;
  }

  /**
   * The MAC that found {@code link}: kept in the entry (as the profile's key) in the link's current
   * spelling, so the planner sees no MAC change.
   */
  private static String matchedMac(NodeLink link, String given) {
    return link.link().mac() == null
        ? given
        : link.link().mac().toString().toUpperCase(Locale.ROOT);
  }

  static NodeLink find(Snapshot now, KeptSettings.Profile p) {
    if (Identifier.PCI_ADDRESS.wire().equals(p.identifier())) {
      return p.pciAddress() == null ? null : byPci(now, p.pciAddress());
    }
    return p.macAddress() == null ? null : byMac(now, p.macAddress(), null);
  }

  /** Permanent addresses first, then current ones (nmstate's order). */
  static NodeLink byMac(Snapshot now, String mac, InterfaceType type) {
    var want = mac.toUpperCase(Locale.ROOT);
    for (boolean permanent : new boolean[] {true, false}) {
      for (var l : now.links()) {
        var t = StateReader.typeOf(l);
        if (type != null
            && type != t
            && !(type == InterfaceType.ETHERNET && t == InterfaceType.VETH)) {
          continue;
        }
        var have =
            permanent
                ? l.permanentMac()
                : l.link().mac() == null ? null : l.link().mac().toString();
        if (have != null && have.toUpperCase(Locale.ROOT).equals(want)) {
          return l;
        }
      }
    }
    return null;
  }

  static NodeLink byPci(Snapshot now, String pci) {
    for (var l : now.links()) {
      if (pci.equalsIgnoreCase(l.pciAddress())) {
        return l;
      }
    }
    return null;
  }

  /** The kept profile {@code link} is known by, or null. */
  static KeptSettings.Profile profileOf(Snapshot now, NodeLink link) {
    for (var p : now.extras().kept().profiles()) {
      var l = find(now, p);
      if (l != null && l.name().equals(link.name())) {
        return p;
      }
    }
    return null;
  }
}

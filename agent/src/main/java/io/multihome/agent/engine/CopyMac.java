package io.multihome.agent.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.state.DesiredState;
import io.multihome.state.Interface;
import io.multihome.state.Problem;
import io.multihome.state.StateParser;
import io.multihome.state.StateWriter;
import java.util.List;
import java.util.Locale;

/**
 * {@code copy-mac-from} of a bond or bridge, resolved as nmstate does before planning: the entry
 * gets the MAC address of the named interface — its permanent address when it has one, else the
 * address the document gives it, else its current one — as {@code mac-address}, which is then
 * applied and verified like any MAC address.
 */
final class CopyMac {
  private CopyMac() {}

  static DesiredState resolve(DesiredState desired, Snapshot now, List<Problem> problems) {
    var ifaces = desired.interfacesOrEmpty();
    var byName = now.byName();
    ObjectNode tree = null;
    for (int i = 0; i < ifaces.size(); i++) {
      var iface = ifaces.get(i);
      var from = iface.common().options().copyMacFrom();
      if (from == null || iface instanceof Interface.Unsupported || iface.common().isAbsent()) {
        continue;
      }
      String mac = null;
      var link = byName.get(from);
      if (link != null
          && link.permanentMac() != null
          && !link.permanentMac().equals("00:00:00:00:00:00")) {
        mac = link.permanentMac();
      }
      if (mac == null) {
        for (var d : ifaces) {
          if (from.equals(d.name()) && d.common().macAddress() != null) {
            mac = d.common().macAddress();
          }
        }
      }
      if (mac == null && link != null && link.link().mac() != null) {
        mac = link.link().mac().toString();
      }
      if (mac == null) {
        problems.add(
            new Problem(
                "interfaces[" + i + "].copy-mac-from",
                "interface " + from + " does not exist, so it has no MAC address to copy"));
        continue;
      }
      if (tree == null) {
        tree = StateWriter.toTree(desired);
      }
      ((ObjectNode) tree.path("interfaces").get(i))
          .put("mac-address", mac.toUpperCase(Locale.ROOT));
    }
    if (tree == null) {
      return desired;
    }
    var parsed = StateParser.parse(tree);
    return parsed.ok() ? parsed.state() : desired;
  }
}

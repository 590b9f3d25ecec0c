package io.multihome.agent.engine;

import io.multihome.state.Identifier;
import io.multihome.state.InterfaceOptions;
import java.util.ArrayList;
import java.util.Locale;
import java.util.TreeSet;

/** A link's {@link InterfaceOptions} as {@code show} and verification read them. */
final class OptionsMapping {
  private OptionsMapping() {}

  /**
   * The kept profile the link is known by ({@code identifier}, {@code profile-name} unless it is
   * the link's name, {@code pci-address}), its alternative names (sorted, as nmstate sorts them),
   * its ethtool settings when they were read, and its kept dispatch scripts.
   */
  static InterfaceOptions of(NodeLink l, Snapshot s) {
    var extras = s.extras();
    Identifier id = null;
    String profileName = null;
    String pci = null;
    var profile = Identifiers.profileOf(s, l);
    if (profile != null) {
      id = Identifier.valueOf(profile.identifier().toUpperCase(Locale.ROOT).replace('-', '_'));
      profileName = profile.profileName().equals(l.name()) ? null : profile.profileName();
      pci = profile.pciAddress();
    }
    var alt = new ArrayList<InterfaceOptions.AltName>();
    for (var a : new TreeSet<>(l.altNames())) {
      alt.add(new InterfaceOptions.AltName(a, false));
    }
    var d = extras.kept().dispatch().get(l.name());
    var o =
        new InterfaceOptions(
            id,
            profileName,
            pci,
            null,
            alt.isEmpty() ? null : alt,
            EthtoolMapping.toModel(extras.ethtool().get(l.name())),
            d == null
                ? null
                : new InterfaceOptions.Dispatch(d.postActivation(), d.postDeactivation()),
            null,
            null);
    return o.isEmpty() ? InterfaceOptions.NONE : o;
  }

  /** {@code o} with the LLDP neighbours a query reports. */
  static InterfaceOptions withNeighbors(
      InterfaceOptions o, java.util.List<com.fasterxml.jackson.databind.JsonNode> neighbors) {
    if (neighbors == null || neighbors.isEmpty()) {
      return o;
    }
    var arr = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    neighbors.forEach(arr::add);
    return new InterfaceOptions(
        o.identifier(),
        o.profileName(),
        o.pciAddress(),
        o.copyMacFrom(),
        o.altNames(),
        o.ethtool(),
        o.dispatch(),
        arr,
        null);
  }
}

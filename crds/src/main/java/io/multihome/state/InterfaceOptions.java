package io.multihome.state;

import java.util.List;

/**
 * Interface keys beyond the link's own settings: how the link is identified ({@code identifier},
 * {@code profile-name}, {@code pci-address}), where its MAC comes from ({@code copy-mac-from}), its
 * alternative names ({@code alt-names}), {@code ethtool} settings, {@code dispatch} scripts and
 * {@code 802.1x} port authentication; {@code lldpNeighbors} is {@code lldp.neighbors}, what only a
 * query reports (kept, ignored on apply). A key left out is null.
 */
public record InterfaceOptions(
    Identifier identifier,
    String profileName,
    String pciAddress,
    String copyMacFrom,
    List<AltName> altNames,
    EthtoolConfig ethtool,
    Dispatch dispatch,
    com.fasterxml.jackson.databind.JsonNode lldpNeighbors,
    Ieee8021x ieee8021x) {

  public static final InterfaceOptions NONE =
      new InterfaceOptions(null, null, null, null, null, null, null, null, null);

  /** This with another {@code 802.1x} section. */
  public InterfaceOptions with8021x(Ieee8021x x) {
    return new InterfaceOptions(
        identifier,
        profileName,
        pciAddress,
        copyMacFrom,
        altNames,
        ethtool,
        dispatch,
        lldpNeighbors,
        x);
  }

  /** One {@code alt-names} entry; {@code absent} ({@code state: absent}) removes the name. */
  public record AltName(String name, boolean absent) {}

  /**
   * {@code dispatch}: shell script bodies run after the interface is activated or deactivated; an
   * empty string removes the script.
   */
  public record Dispatch(String postActivation, String postDeactivation) {}

  public boolean isEmpty() {
    return equals(NONE);
  }
}

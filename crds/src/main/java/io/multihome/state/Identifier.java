package io.multihome.state;

/**
 * {@code identifier} of an interface: how the node's link is found. {@code name} (the default)
 * matches the interface name; {@code mac-address} the link holding {@code mac-address} (permanent
 * address first, then the current one); {@code pci-address} the link whose device sits at {@code
 * pci-address}. With the last two, {@code name} becomes the profile name.
 */
public enum Identifier implements Wire {
  NAME("name"),
  MAC_ADDRESS("mac-address"),
  PCI_ADDRESS("pci-address");

  private final String wire;

  Identifier(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}

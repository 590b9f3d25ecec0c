package io.multihome.state;

/** {@code mode} of a {@code mac-vlan} or {@code mac-vtap}. */
public enum MacVlanMode implements Wire {
  VEPA("vepa"),
  BRIDGE("bridge"),
  PRIVATE("private"),
  PASSTHRU("passthru"),
  SOURCE("source");

  private final String wire;

  MacVlanMode(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}

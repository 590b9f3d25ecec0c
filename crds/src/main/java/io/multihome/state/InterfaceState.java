package io.multihome.state;

/** {@code state} of an interface; nmstate applies {@link #UP} when the key is absent. */
public enum InterfaceState implements Wire {
  UP("up"),
  DOWN("down"),
  ABSENT("absent"),
  IGNORE("ignore");

  private final String wire;

  InterfaceState(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}

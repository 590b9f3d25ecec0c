package io.multihome.state;

/**
 * {@code link-aggregation.mode} of an OVS bond port. Open vSwitch's own modes: {@code lacp} is LACP
 * with OVS's default balancing; {@code balance-tcp} needs LACP too.
 */
public enum OvsBondMode implements Wire {
  ACTIVE_BACKUP("active-backup"),
  BALANCE_SLB("balance-slb"),
  BALANCE_TCP("balance-tcp"),
  LACP("lacp");

  private final String wire;

  OvsBondMode(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}

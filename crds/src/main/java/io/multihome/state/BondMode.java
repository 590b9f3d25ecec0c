package io.multihome.state;

/** {@code link-aggregation.mode}; nmstate also accepts the kernel's numbers 0..6. */
public enum BondMode implements Wire {
  BALANCE_RR("balance-rr"),
  ACTIVE_BACKUP("active-backup"),
  BALANCE_XOR("balance-xor"),
  BROADCAST("broadcast"),
  LACP("802.3ad"),
  BALANCE_TLB("balance-tlb"),
  BALANCE_ALB("balance-alb");

  private final String wire;

  BondMode(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}

package io.multihome.agent.dhcp;

/**
 * A lease's timers (epoch ms), the same for DHCPv4 (RFC 2131 T1/T2) and DHCPv6 (an IA's T1/T2):
 * what {@link LeaseClient} keeps a lease by.
 */
interface LeaseTimes {
  /** When the lease was acknowledged (epoch ms). */
  long acquiredAt();

  long t1Seconds();

  long t2Seconds();

  /** When the lease ends; {@link Long#MAX_VALUE} for an infinite one. */
  long expiresAt();

  default long renewAt() {
    return acquiredAt() + t1Seconds() * 1000;
  }

  default long rebindAt() {
    return acquiredAt() + t2Seconds() * 1000;
  }

  default boolean expired(long now) {
    return now >= expiresAt();
  }
}

package io.multihome.agent.dhcp;

import java.util.List;

/**
 * A DHCPv6 IA_NA lease (RFC 8415): one address with its lifetimes, the IA's T1/T2, the server's
 * DUID, DNS servers (option 23) and search list (24), and when it was granted (epoch ms).
 */
public record Lease6(
    String address,
    long iaid,
    String serverId,
    List<String> dns,
    List<String> search,
    long preferredSeconds,
    long validSeconds,
    long t1Seconds,
    long t2Seconds,
    long acquiredAt)
    implements LeaseTimes {

  public Lease6 {
    dns = List.copyOf(dns);
    search = List.copyOf(search);
  }

  @Override
  public long expiresAt() {
    return validSeconds >= Lease4.INFINITE ? Long.MAX_VALUE : acquiredAt + validSeconds * 1000;
  }

  public long remainingValid(long now) {
    return validSeconds >= Lease4.INFINITE
        ? Lease4.INFINITE
        : Math.max(0, (expiresAt() - now) / 1000);
  }

  public long remainingPreferred(long now) {
    if (preferredSeconds >= Lease4.INFINITE) {
      return Lease4.INFINITE;
    }
    return Math.max(0, (acquiredAt + preferredSeconds * 1000 - now) / 1000);
  }
}

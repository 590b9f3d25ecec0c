package io.multihome.agent.cni.ipam;

import java.util.List;

/**
 * One range of a whereabouts network, normalised as whereabouts normalises it: {@code cidr} is the
 * network ({@code range} with host bits cleared, the {@code a-b/len} form split into start and
 * end), {@code start}/{@code end} the optional bounds, {@code excludes} the subnets never handed
 * out. Addresses are allocated lowest first between {@link #first()} and {@link #last()}.
 */
public record IpRange(Cidr cidr, Ip start, Ip end, List<Cidr> excludes) {

  public IpRange {
    excludes = List.copyOf(excludes);
  }

  /** The pool's {@code spec.range}: the network in Go's notation. */
  public String rangeText() {
    return cidr.toString();
  }

  /** Offsets in the pool are counted from the network address. */
  public Ip base() {
    return cidr.network();
  }

  /**
   * The first address handed out. As whereabouts' {@code GetIPRange}: the network address + 1, or
   * {@code range_start} when it lies between that and the last usable address.
   */
  public Ip first() {
    Ip firstUsable = cidr.network().next();
    Ip lastUsable = cidr.last().previous();
    if (start != null && within(start, firstUsable, lastUsable)) {
      return start;
    }
    return firstUsable;
  }

  /** The last address handed out: the broadcast − 1, or {@code range_end} when in bounds. */
  public Ip last() {
    Ip first = first();
    Ip lastUsable = cidr.last().previous();
    if (end != null && within(end, first, lastUsable)) {
      return end;
    }
    return lastUsable;
  }

  /** True when {@code ip} may be handed out from this range (bounds and excludes). */
  public boolean allows(Ip ip) {
    return ip.sameFamily(cidr.address())
        && within(ip, first(), last())
        && excludes.stream().noneMatch(x -> x.contains(ip));
  }

  /** The exclude that covers {@code ip}, if any. */
  Cidr excludeCovering(Ip ip) {
    return excludes.stream().filter(x -> x.contains(ip)).findFirst().orElse(null);
  }

  public int prefix() {
    return cidr.prefix();
  }

  public String describe() {
    return first()
        + "-"
        + last()
        + " of "
        + cidr
        + (excludes.isEmpty() ? "" : " minus " + excludes);
  }

  private static boolean within(Ip ip, Ip low, Ip high) {
    return ip.sameFamily(low) && ip.compareTo(low) >= 0 && ip.compareTo(high) <= 0;
  }
}

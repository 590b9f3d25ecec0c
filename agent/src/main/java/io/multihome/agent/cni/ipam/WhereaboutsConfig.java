package io.multihome.agent.cni.ipam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A whereabouts IPAM configuration after parsing, flat-file merge and normalisation.
 *
 * @param name the network's CNI {@code name}
 * @param cniVersion the version the result is written in
 * @param networkName {@code network_name}: pools and reservations of a named network are separate
 *     from those of other networks with the same range; "" when unnamed
 * @param ranges {@code range} (first, when set) then {@code ipRanges}, in order: one address each
 * @param gateway put on the allocated address of its family; null for none
 * @param routes {@code routes} as given (validated), copied to the result
 * @param dns {@code dns} as given, copied to the result; null when absent
 * @param addresses static {@code addresses}, appended to the result without allocation
 * @param overlappingRanges {@code enable_overlapping_ranges} (default true): an address is also
 *     reserved network-wide, so overlapping ranges never hand it out twice
 */
public record WhereaboutsConfig(
    String name,
    String cniVersion,
    String networkName,
    List<IpRange> ranges,
    Ip gateway,
    JsonNode routes,
    JsonNode dns,
    List<StaticAddress> addresses,
    boolean overlappingRanges) {

  public WhereaboutsConfig {
    ranges = List.copyOf(ranges);
    addresses = List.copyOf(addresses);
  }

  /** A configured address handed out as is ({@code addresses[]}). */
  public record StaticAddress(Cidr address, Ip gateway) {}

  /** whereabouts' pool name: the range with {@code :} and {@code /} as {@code -}, network first. */
  public String poolName(IpRange range) {
    return PoolNames.pool(networkName, range.rangeText());
  }

  /** whereabouts' OverlappingRangeIPReservation name of {@code ip}. */
  public String reservationName(Ip ip) {
    return PoolNames.reservation(networkName, ip);
  }
}

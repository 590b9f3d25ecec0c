package io.multihome.agent.dhcp;

import java.util.List;

/**
 * A DHCPv4 lease as acknowledged, with the time it was acknowledged ({@code acquiredAt}, epoch ms):
 * what the client applies, saves in the state directory and requests again after a restart.
 * Addresses are dotted text so the saved file reads plainly.
 *
 * @param routes option 121 (or, without it, option 33) routes as {@code dst/len via router}
 * @param serverMac the link-layer source of the ACK (the server, or the relay in front of it):
 *     where a unicast renewal is sent
 */
public record Lease4(
    String address,
    int prefix,
    String server,
    String serverMac,
    List<String> routers,
    List<Dhcp4Option.Route> routes,
    boolean classless,
    List<String> dns,
    List<String> search,
    long leaseSeconds,
    long t1Seconds,
    long t2Seconds,
    long acquiredAt)
    implements LeaseTimes {

  public Lease4 {
    routers = List.copyOf(routers);
    routes = List.copyOf(routes);
    dns = List.copyOf(dns);
    search = List.copyOf(search);
  }

  @Override
  public long expiresAt() {
    return leaseSeconds == INFINITE ? Long.MAX_VALUE : acquiredAt + leaseSeconds * 1000;
  }

  /** Seconds left at {@code now} (0 when expired; {@link #INFINITE} for an infinite lease). */
  public long remainingSeconds(long now) {
    if (leaseSeconds == INFINITE) {
      return INFINITE;
    }
    return Math.max(0, (expiresAt() - now) / 1000);
  }

  public String cidr() {
    return address + "/" + prefix;
  }

  /** 0xffffffff: the lease never expires. */
  public static final long INFINITE = 0xffffffffL;

  /** The lease an ACK grants, or null when the ACK lacks what a lease needs. */
  static Lease4 of(Dhcp4Message ack, byte[] serverMac, long now) {
    var yiaddr = ack.yiaddr();
    var server = Dhcp4Option.address(ack.option(Dhcp4Option.SERVER_ID));
    if (yiaddr.equals(Dhcp4Message.ANY) || server == null) {
      return null;
    }
    int prefix = Dhcp4Option.prefixOf(ack.option(Dhcp4Option.SUBNET_MASK));
    if (prefix < 0) {
      prefix = classfulPrefix(yiaddr.getAddress()[0] & 0xff);
    }
    Long time = Dhcp4Option.u32(ack.option(Dhcp4Option.LEASE_TIME));
    long lease = time == null ? 3600 : time;
    Long t1 = Dhcp4Option.u32(ack.option(Dhcp4Option.T1));
    Long t2 = Dhcp4Option.u32(ack.option(Dhcp4Option.T2));
    long renew = t1 == null || t1 >= lease ? lease / 2 : t1;
    long rebind = t2 == null || t2 >= lease || t2 <= renew ? Math.max(renew, lease * 7 / 8) : t2;
    if (lease == INFINITE) {
      renew = INFINITE;
      rebind = INFINITE;
    }
    byte[] classlessOpt = ack.option(Dhcp4Option.CLASSLESS_ROUTES);
    List<Dhcp4Option.Route> routes;
    boolean classless = classlessOpt != null;
    try {
      routes =
          classless
              ? Dhcp4Option.classless(classlessOpt)
              : Dhcp4Option.classful(ack.option(Dhcp4Option.STATIC_ROUTES));
    } catch (IllegalArgumentException e) {
      routes = List.of();
      classless = false;
    }
    List<String> search;
    try {
      search = Dhcp4Option.searchList(ack.option(Dhcp4Option.DOMAIN_SEARCH));
    } catch (IllegalArgumentException e) {
      search = List.of();
    }
    if (search.isEmpty()) {
      var domain = Dhcp4Option.text(ack.option(Dhcp4Option.DOMAIN_NAME));
      search = domain == null ? List.of() : List.of(domain.split("\\s+"));
    }
    return new Lease4(
        yiaddr.getHostAddress(),
        prefix,
        server.getHostAddress(),
        serverMac == null ? null : Hex.text(serverMac),
        Dhcp4Option.addresses(ack.option(Dhcp4Option.ROUTER)).stream()
            .map(a -> a.getHostAddress())
            .toList(),
        routes,
        classless,
        Dhcp4Option.addresses(ack.option(Dhcp4Option.DNS)).stream()
            .map(a -> a.getHostAddress())
            .toList(),
        search,
        lease,
        renew,
        rebind,
        now);
  }

  private static int classfulPrefix(int first) {
    return first < 128 ? 8 : first < 192 ? 16 : 24;
  }
}

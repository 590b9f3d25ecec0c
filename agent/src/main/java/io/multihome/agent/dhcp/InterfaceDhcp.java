package io.multihome.agent.dhcp;

import io.multihome.agent.engine.AutoIp;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dynamic IP of one interface: a DHCPv4 session, a DHCPv6 session and IPv6 autoconf (kernel
 * router-advertisement handling), each present when the settings ask for it.
 */
final class InterfaceDhcp {
  private static final Logger log = LoggerFactory.getLogger(InterfaceDhcp.class);

  private final String name;
  private final AutoIp settings;
  private final Dhcp4Session v4;
  private final Dhcp6Session v6;
  private final Context ctx;

  private InterfaceDhcp(String name, AutoIp settings, Context ctx) {
    this.name = name;
    this.settings = settings;
    this.ctx = ctx;
    this.v4 = settings.v4() == null ? null : new Dhcp4Session(name, settings.v4(), ctx);
    this.v6 =
        settings.v6() == null || !settings.v6().dhcp()
            ? null
            : new Dhcp6Session(name, settings.v6(), ctx);
  }

  static InterfaceDhcp start(String name, AutoIp settings, Context ctx) {
    var i = new InterfaceDhcp(name, settings, ctx);
    if (settings.v6() != null) {
      Autoconf.apply(ctx, name, settings.v6());
    }
    if (i.v4 != null) {
      i.v4.start();
    }
    if (i.v6 != null) {
      i.v6.start();
    }
    return i;
  }

  AutoIp settings() {
    return settings;
  }

  Lease4 lease4() {
    return v4 == null ? null : v4.lease();
  }

  /**
   * Stops the clients: the DHCPv4 one as {@code mode} says, DHCPv6 likewise (its lease is only kept
   * with KEEP); autoconf is turned off when {@code next} no longer asks for it.
   */
  void stop(Dhcp4Client.Stop mode, AutoIp next) {
    if (v4 != null) {
      v4.stop(mode);
    }
    if (v6 != null) {
      boolean v6Same = next != null && java.util.Objects.equals(next.v6(), settings.v6());
      v6.stop(mode == Dhcp4Client.Stop.KEEP || v6Same ? Dhcp4Client.Stop.KEEP : mode);
    }
    if (mode != Dhcp4Client.Stop.KEEP
        && settings.v6() != null
        && settings.v6().autoconf()
        && (next == null || next.v6() == null || !next.v6().autoconf())) {
      Autoconf.off(ctx, name);
    }
  }

  /**
   * Why this interface does not have what it asks for yet, or null. As nmstate's default {@code
   * wait-ip: any}: one lease of either family is enough when both are asked for.
   */
  String missing() {
    boolean want4 = v4 != null;
    boolean want6 = v6 != null;
    boolean has4 = want4 && v4.lease() != null;
    boolean has6 = want6 && v6.lease() != null;
    if (has4 || has6 || (!want4 && !want6)) {
      return null;
    }
    var sb = new StringBuilder();
    if (want4) {
      sb.append("interfaces[")
          .append(name)
          .append("].ipv4.dhcp: no DHCPv4 lease yet (")
          .append(v4.status())
          .append(')');
    }
    if (want6) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      sb.append("interfaces[")
          .append(name)
          .append("].ipv6.dhcp: no DHCPv6 lease yet (")
          .append(v6.status())
          .append(')');
    }
    return sb.toString();
  }

  /** Adds this interface's learned DNS when its settings say auto-dns. */
  void dns(Set<String> servers, Set<String> search) {
    var l4 = lease4();
    if (l4 != null && settings.v4().autoDns()) {
      servers.addAll(l4.dns());
      search.addAll(l4.search());
    }
    var l6 = v6 == null ? null : v6.lease();
    if (l6 != null && settings.v6().autoDns()) {
      servers.addAll(l6.dns());
      search.addAll(l6.search());
    }
  }

  DhcpStatus status() {
    return new DhcpStatus(
        settings,
        lease4(),
        v4 == null ? null : v4.status(),
        v6 == null ? null : v6.lease(),
        v6 == null ? null : v6.status(),
        v4 == null ? -1 : v4.exchangeMillis());
  }

  /**
   * Sends a DHCPRELEASE for {@code lease} from {@code name} (best effort: the interface may be gone
   * or a bridge port by now; the server then lets the lease run out) and forgets the saved lease.
   */
  static void release4(String name, Lease4 lease, AutoIp.V4 settings, Context ctx) {
    try {
      int index = ctx.kernel().index(name);
      if (index >= 0) {
        byte[] mac = ctx.kernel().mac(name);
        try (var link = PacketLink.open(ctx.netns(), name, index, mac)) {
          var id = ClientIds.clientId(settings == null ? null : settings.clientId(), name, mac);
          link.unicast(
              Dhcp4Client.release(lease, mac, id, new Random().nextInt()),
              Dhcp4Message.v4(Dhcp4Client.ip(lease.address())),
              Dhcp4Message.v4(Dhcp4Client.ip(lease.server())),
              lease.serverMac() == null ? null : Hex.bytes(lease.serverMac()));
          log.info("{}: released {} to {}", name, lease.cidr(), lease.server());
        }
      }
    } catch (RuntimeException e) {
      log.info("{}: DHCPRELEASE of {} not sent: {}", name, lease.cidr(), e.getMessage());
    }
    ctx.store().lease4(name, null);
  }
}

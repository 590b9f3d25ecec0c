package io.multihome.agent.dhcp;

import io.multihome.agent.engine.AutoIp;
import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.Route;
import java.util.List;
import java.util.Random;

/**
 * Keeps a DHCPv4 client ({@link Dhcp4Client}) running on one interface for as long as its settings
 * ask (see {@link LeaseSession}). A bound lease's address goes into the kernel with the lease's
 * prefix length and remaining time, with the routes the lease and the settings make.
 */
final class Dhcp4Session extends LeaseSession<Lease4, Dhcp4Client> {
  private final AutoIp.V4 settings;

  Dhcp4Session(String name, AutoIp.V4 settings, Context ctx) {
    super(name, ctx, "DHCP", "dhcp4-");
    this.settings = settings;
  }

  AutoIp.V4 settings() {
    return settings;
  }

  /** Milliseconds the last acquisition took from the first message to the ACK, or -1. */
  long exchangeMillis() {
    var c = client();
    return c == null ? -1 : c.exchangeMillis();
  }

  @Override
  protected void runClient(int index, byte[] mac, Random random) {
    try (var link = PacketLink.open(ctx.netns(), name, index, mac)) {
      run(
          new Dhcp4Client(
              name,
              link,
              this,
              ClientIds.clientId(settings.clientId(), name, mac),
              heldOrSaved(),
              Dhcp4Client.Clock.SYSTEM,
              random));
    }
  }

  @Override
  protected Lease4 saved() {
    return ctx.store().lease4(name);
  }

  @Override
  protected void save(Lease4 lease) {
    ctx.store().lease4(name, lease);
  }

  @Override
  protected IpPrefix prefixOf(Lease4 lease) {
    return new IpPrefix(IpPrefix.parseAddress(lease.address()), lease.prefix());
  }

  @Override
  protected void addAddress(int index, IpPrefix prefix, Lease4 lease, long now) {
    long left = lease.remainingSeconds(now);
    ctx.kernel().address(index, prefix, left, left, false);
  }

  @Override
  protected List<Route> routesOf(Lease4 lease, int index) {
    return KernelLeases.routes(lease, settings, index);
  }

  @Override
  protected String boundStatus(Lease4 lease) {
    return "bound " + lease.cidr() + " from " + lease.server();
  }
}

package io.multihome.agent.dhcp;

import io.multihome.agent.engine.AutoIp;
import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.Route;
import java.util.List;
import java.util.Random;

/**
 * Keeps a DHCPv6 client running on one interface, as {@link Dhcp4Session} does for DHCPv4; the
 * leased address goes into the kernel as a /128 with the lease's lifetimes (the on-link prefix and
 * the default route come from router advertisements, as with NetworkManager).
 */
final class Dhcp6Session extends LeaseSession<Lease6, Dhcp6Client> {
  private final AutoIp.V6 settings;

  Dhcp6Session(String name, AutoIp.V6 settings, Context ctx) {
    super(name, ctx, "DHCPv6", "dhcp6-");
    this.settings = settings;
  }

  @Override
  protected void runClient(int index, byte[] mac, Random random) {
    try (var link = Dhcp6Link.open(ctx.netns(), name, index)) {
      run(
          new Dhcp6Client(
              name,
              link,
              this,
              ClientIds.duid(settings.duid(), mac),
              ClientIds.iaidValue(name),
              heldOrSaved(),
              random));
    }
  }

  @Override
  protected Lease6 saved() {
    return ctx.store().lease6(name);
  }

  @Override
  protected void save(Lease6 lease) {
    ctx.store().lease6(name, lease);
  }

  @Override
  protected IpPrefix prefixOf(Lease6 lease) {
    return new IpPrefix(IpPrefix.parseAddress(lease.address()), 128);
  }

  @Override
  protected void addAddress(int index, IpPrefix prefix, Lease6 lease, long now) {
    ctx.kernel()
        .address(index, prefix, lease.remainingValid(now), lease.remainingPreferred(now), true);
  }

  /** None: routes come from router advertisements. */
  @Override
  protected List<Route> routesOf(Lease6 lease, int index) {
    return List.of();
  }

  @Override
  protected String boundStatus(Lease6 lease) {
    return "bound " + lease.address() + "/128";
  }
}

package io.multihome.agent.engine;

import io.multihome.agent.netlink.Link;

/**
 * A link with the attributes the engine needs beyond what {@link Link} decodes: its alias
 * (IFLA_IFALIAS, nmstate's {@code description}) and whether IPv6 is disabled on it (devconf
 * disable_ipv6, read from IFLA_AF_SPEC) and, for a bridge port, its port number (IFLA_BRPORT_NO:
 * ports get the lowest free number when enslaved, so a rollback re-enslaves in this order). {@code
 * bondPrimary} is a bond's primary port index (IFLA_BOND_PRIMARY), else null; {@code addrGenMode}
 * IFLA_INET6_ADDR_GEN_MODE (0 eui64, 1 none, 2 stable-privacy, 3 random); {@code minMtu}, {@code
 * maxMtu} and {@code permanentMac} the query-only IFLA_MIN_MTU, IFLA_MAX_MTU and IFLA_PERM_ADDRESS;
 * {@code altNames} the alternative names (IFLA_PROP_LIST / IFLA_ALT_IFNAME); {@code pciAddress} the
 * PCI address of the link's device (IFLA_PARENT_DEV_NAME when IFLA_PARENT_DEV_BUS_NAME is {@code
 * pci}, else null).
 */
public record NodeLink(
    Link link,
    String alias,
    boolean ipv6Disabled,
    Integer portNo,
    Integer bondPrimary,
    Integer addrGenMode,
    Integer minMtu,
    Integer maxMtu,
    String permanentMac,
    java.util.List<String> altNames,
    Facts facts,
    String pciAddress) {
  public NodeLink {
    altNames = altNames == null ? java.util.List.of() : java.util.List.copyOf(altNames);
    facts = facts == null ? Facts.NONE : facts;
  }

  /**
   * More of the link dump: IPv4 {@code forwarding} (IFLA_INET_CONF), a bond port's queue id and
   * priority (IFLA_BOND_SLAVE_QUEUE_ID / _PRIO), the link type (ARPHRD_*, 32 is InfiniBand).
   */
  public record Facts(Boolean forwarding, Integer bondQueueId, Integer bondPrio, int arpType) {
    public static final Facts NONE = new Facts(null, null, null, 1);
  }

  public String name() {
    return link.name();
  }

  public int index() {
    return link.index();
  }

  /** Promiscuous mode (IFF_PROMISC): nmstate's {@code accept-all-mac-addresses}. */
  public boolean promiscuous() {
    return (link.flags() & io.multihome.agent.netlink.Rtnl.IFF_PROMISC) != 0;
  }

  public String kind() {
    return link.kindName();
  }
}

package io.multihome.agent.netlink;

/** A change notification from the kernel, or word that some were lost. */
public sealed interface NetlinkEvent {

  /** RTM_NEWLINK / RTM_DELLINK. */
  record LinkEvent(boolean deleted, Link link) implements NetlinkEvent {}

  /** RTM_NEWADDR / RTM_DELADDR. */
  record AddressEvent(boolean deleted, Address address) implements NetlinkEvent {}

  /** RTM_NEWROUTE / RTM_DELROUTE. */
  record RouteEvent(boolean deleted, Route route) implements NetlinkEvent {}

  /** RTM_NEWRULE / RTM_DELRULE. */
  record RuleEvent(boolean deleted, Rule rule) implements NetlinkEvent {}

  /**
   * The socket overran (ENOBUFS): the kernel dropped notifications, so the caller's view is stale
   * and it must resync with a full dump.
   */
  record Overrun() implements NetlinkEvent {}

  /** A notification could not be decoded; the stream continues. */
  record Undecodable(int messageType, String reason) implements NetlinkEvent {}

  /** RTNLGRP_* multicast groups. */
  enum Group {
    LINK(Rtnl.RTNLGRP_LINK),
    IPV4_IFADDR(Rtnl.RTNLGRP_IPV4_IFADDR),
    IPV6_IFADDR(Rtnl.RTNLGRP_IPV6_IFADDR),
    IPV4_ROUTE(Rtnl.RTNLGRP_IPV4_ROUTE),
    IPV6_ROUTE(Rtnl.RTNLGRP_IPV6_ROUTE),
    IPV4_RULE(Rtnl.RTNLGRP_IPV4_RULE),
    IPV6_RULE(Rtnl.RTNLGRP_IPV6_RULE);

    public final int number;

    Group(int number) {
      this.number = number;
    }
  }
}

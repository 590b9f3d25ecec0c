package io.multihome.agent.netlink;

import java.net.InetAddress;

/**
 * An interface address (RTM_NEWADDR). {@code local} is the address with its prefix; {@code peer} is
 * IFA_ADDRESS when it differs (point-to-point), else null. flags are IFA_F_*.
 */
public record Address(
    int index, IpPrefix local, InetAddress peer, int scope, int flags, String label) {

  public int family() {
    return local.family();
  }

  public static Address read(NlMessage m) {
    IfAddrMsg h = IfAddrMsg.read(m);
    Attrs a = m.attrs(IfAddrMsg.LEN);
    Attr localA = a.find(Rtnl.Ifa.LOCAL);
    Attr addrA = a.find(Rtnl.Ifa.ADDRESS);
    Attr primary = localA != null ? localA : addrA;
    if (primary == null) {
      throw new MalformedMessageException("RTM_NEWADDR without IFA_LOCAL/IFA_ADDRESS");
    }
    InetAddress local = primary.address();
    InetAddress peer = addrA != null && localA != null ? addrA.address() : null;
    Integer flags = a.u32(Rtnl.Ifa.FLAGS);
    return new Address(
        h.index(),
        new IpPrefix(local, h.prefixLen()),
        local.equals(peer) ? null : peer,
        h.scope(),
        flags != null ? flags : h.flags(),
        a.string(Rtnl.Ifa.LABEL));
  }
}

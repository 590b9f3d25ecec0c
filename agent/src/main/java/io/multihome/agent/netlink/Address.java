package io.multihome.agent.netlink;

import java.net.InetAddress;

/**
 * An interface address (RTM_NEWADDR). {@code local} is the address with its prefix; {@code peer} is
 * IFA_ADDRESS when it differs (point-to-point), else null. flags are IFA_F_*. {@code validLft} and
 * {@code preferredLft} are the seconds left (IFA_CACHEINFO), null for a permanent address ({@link
 * #FOREVER} lifetimes).
 */
public record Address(
    int index,
    IpPrefix local,
    InetAddress peer,
    int scope,
    int flags,
    String label,
    Long validLft,
    Long preferredLft) {

  /** IFA_F_PERMANENT: added without lifetimes (not by DHCP or autoconf). */
  public static final int IFA_F_PERMANENT = 0x80;

  /** The kernel's "infinite" lifetime. */
  public static final long FOREVER = 0xffffffffL;

  public Address(int index, IpPrefix local, InetAddress peer, int scope, int flags, String label) {
    this(index, local, peer, scope, flags, label, null, null);
  }

  /** Whether it has finite lifetimes: a DHCP lease's or one autoconf made. */
  public boolean dynamic() {
    return validLft != null;
  }

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
    Long valid = null;
    Long preferred = null;
    Attr cache = a.find(Rtnl.Ifa.CACHEINFO);
    if (cache != null && cache.value().remaining() >= 8) {
      var v = cache.value().duplicate().order(java.nio.ByteOrder.nativeOrder());
      long p = Integer.toUnsignedLong(v.getInt(v.position()));
      long l = Integer.toUnsignedLong(v.getInt(v.position() + 4));
      if (l != FOREVER) {
        valid = l;
        preferred = p == FOREVER ? l : p;
      }
    }
    return new Address(
        h.index(),
        new IpPrefix(local, h.prefixLen()),
        local.equals(peer) ? null : peer,
        h.scope(),
        flags != null ? flags : h.flags(),
        a.string(Rtnl.Ifa.LABEL),
        valid,
        preferred);
  }
}

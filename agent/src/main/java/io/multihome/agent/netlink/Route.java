package io.multihome.agent.netlink;

import java.net.InetAddress;

/**
 * A route. {@code dst} null or /0 is the default route; {@code scope}, {@code type} and {@code
 * protocol} are RT_SCOPE_*, RTN_* and RTPROT_* (see {@link Rtnl.Rta}). {@code scope} null on add
 * means "as iproute2 chooses": link for a unicast route without gateway, else universe. {@code mtu}
 * is the RTAX_MTU metric (null: none, the device's MTU applies).
 */
public record Route(
    int family,
    IpPrefix dst,
    IpPrefix src,
    InetAddress gateway,
    Integer oif,
    int table,
    Integer metric,
    Integer scope,
    int type,
    int protocol,
    InetAddress prefSrc,
    Integer mtu) {

  /** A unicast route in the main table, protocol boot (like {@code ip route add}). */
  public static Route to(IpPrefix dst) {
    return new Route(
        dst.family(),
        dst,
        null,
        null,
        null,
        Rtnl.Rta.TABLE_MAIN,
        null,
        null,
        Rtnl.Rta.TYPE_UNICAST,
        Rtnl.Rta.PROT_BOOT,
        null,
        null);
  }

  public Route via(InetAddress gw) {
    return new Route(family, dst, src, gw, oif, table, metric, scope, type, protocol, prefSrc, mtu);
  }

  public Route dev(int index) {
    return new Route(
        family, dst, src, gateway, index, table, metric, scope, type, protocol, prefSrc, mtu);
  }

  public Route table(int t) {
    return new Route(
        family, dst, src, gateway, oif, t, metric, scope, type, protocol, prefSrc, mtu);
  }

  public Route metric(int m) {
    return new Route(family, dst, src, gateway, oif, table, m, scope, type, protocol, prefSrc, mtu);
  }

  public Route scope(int s) {
    return new Route(
        family, dst, src, gateway, oif, table, metric, s, type, protocol, prefSrc, mtu);
  }

  public Route type(int t) {
    return new Route(
        family, dst, src, gateway, oif, table, metric, scope, t, protocol, prefSrc, mtu);
  }

  public Route protocol(int p) {
    return new Route(family, dst, src, gateway, oif, table, metric, scope, type, p, prefSrc, mtu);
  }

  public Route prefSrc(InetAddress a) {
    return new Route(family, dst, src, gateway, oif, table, metric, scope, type, protocol, a, mtu);
  }

  public Route src(IpPrefix s) {
    return new Route(
        family, dst, s, gateway, oif, table, metric, scope, type, protocol, prefSrc, mtu);
  }

  public Route mtu(Integer m) {
    return new Route(
        family, dst, src, gateway, oif, table, metric, scope, type, protocol, prefSrc, m);
  }

  public boolean isDefault() {
    return dst == null || dst.length() == 0;
  }

  @Override
  public String toString() {
    var sb = new StringBuilder(isDefault() ? "default" : dst.toString());
    if (gateway != null) sb.append(" via ").append(gateway.getHostAddress());
    if (oif != null) sb.append(" dev index ").append(oif);
    sb.append(" table ").append(table);
    if (metric != null) sb.append(" metric ").append(metric);
    if (mtu != null) sb.append(" mtu ").append(mtu);
    return sb.toString();
  }

  static Route read(NlMessage m) {
    RtMsg h = RtMsg.read(m);
    Attrs a = m.attrs(RtMsg.LEN);
    Attr dstA = a.find(Rtnl.Rta.DST);
    Attr srcA = a.find(Rtnl.Rta.SRC);
    Attr gwA = a.find(Rtnl.Rta.GATEWAY);
    Attr prefA = a.find(Rtnl.Rta.PREFSRC);
    Integer table = a.u32(Rtnl.Rta.TABLE);

    IpPrefix dst = dstA != null ? new IpPrefix(dstA.address(), h.dstLen()) : defaultOf(h.family());
    return new Route(
        h.family(),
        dst,
        srcA == null ? null : new IpPrefix(srcA.address(), h.srcLen()),
        gwA == null ? null : gwA.address(),
        a.u32(Rtnl.Rta.OIF),
        table != null ? table : h.table(),
        a.u32(Rtnl.Rta.PRIORITY),
        h.scope(),
        h.type(),
        h.protocol(),
        prefA == null ? null : prefA.address(),
        a.nested(Rtnl.Rta.METRICS).u32(Rtnl.Rta.METRIC_MTU));
  }

  private static final int RTA_MULTIPATH = 9;
  private static final int RTNH_LEN = 8;

  /**
   * The routes of one RTM_NEWROUTE: itself, or for a multipath route (RTA_MULTIPATH: IPv6 ECMP
   * siblings are dumped that way) one route per next hop, each with its gateway and device, so a
   * next hop can be shown, matched, deleted and put back on its own ({@code ip route append}).
   */
  static java.util.List<Route> readAll(NlMessage m) {
    Route r = read(m);
    Attr mp = m.attrs(RtMsg.LEN).find(RTA_MULTIPATH);
    if (mp == null) {
      return java.util.List.of(r);
    }
    var out = new java.util.ArrayList<Route>();
    var buf = mp.value().duplicate().order(java.nio.ByteOrder.nativeOrder());
    while (buf.remaining() >= RTNH_LEN) {
      int start = buf.position();
      int len = Short.toUnsignedInt(buf.getShort(start));
      int ifindex = buf.getInt(start + 4);
      if (len < RTNH_LEN || len > buf.remaining()) {
        throw new MalformedMessageException("rtnexthop length " + len);
      }
      var attrs =
          Attrs.parse(buf.duplicate().position(start + RTNH_LEN).limit(start + len).slice());
      Attr gw = attrs.find(Rtnl.Rta.GATEWAY);
      out.add(
          new Route(
              r.family(),
              r.dst(),
              r.src(),
              gw == null ? null : gw.address(),
              ifindex == 0 ? null : ifindex,
              r.table(),
              r.metric(),
              r.scope(),
              r.type(),
              r.protocol(),
              r.prefSrc(),
              r.mtu()));
      buf.position(start + ((len + 3) & ~3));
    }
    return out;
  }

  private static IpPrefix defaultOf(int family) {
    try {
      return family == Rtnl.AF_INET6
          ? new IpPrefix(InetAddress.getByAddress(new byte[16]), 0)
          : new IpPrefix(InetAddress.getByAddress(new byte[4]), 0);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}

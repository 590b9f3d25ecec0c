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
    Integer mtu,
    Metrics metrics,
    Integer weight) {

  /**
   * RTA_METRICS beyond the MTU: {@code lock} is RTAX_LOCK (bit 1 << RTAX_x locks metric x), the
   * others RTAX_ADVMSS, RTAX_CWND, RTAX_INITCWND, RTAX_INITRWND, RTAX_QUICKACK; null = not set.
   */
  public record Metrics(
      Integer lock,
      Integer advmss,
      Integer cwnd,
      Integer initcwnd,
      Integer initrwnd,
      Integer quickack) {
    public static final Metrics NONE = new Metrics(null, null, null, null, null, null);
    public static final int RTAX_LOCK = 1;
    public static final int RTAX_MTU = 2;
    public static final int RTAX_CWND = 7;
    public static final int RTAX_ADVMSS = 8;
    public static final int RTAX_INITCWND = 11;
    public static final int RTAX_INITRWND = 14;
    public static final int RTAX_QUICKACK = 15;

    public boolean isEmpty() {
      return equals(NONE);
    }

    static Metrics read(Attrs m) {
      return new Metrics(
          m.u32(RTAX_LOCK),
          m.u32(RTAX_ADVMSS),
          m.u32(RTAX_CWND),
          m.u32(RTAX_INITCWND),
          m.u32(RTAX_INITRWND),
          m.u32(RTAX_QUICKACK));
    }

    void write(MessageBuilder b) {
      if (lock != null) b.attrU32(RTAX_LOCK, lock);
      if (cwnd != null) b.attrU32(RTAX_CWND, cwnd);
      if (advmss != null) b.attrU32(RTAX_ADVMSS, advmss);
      if (initcwnd != null) b.attrU32(RTAX_INITCWND, initcwnd);
      if (initrwnd != null) b.attrU32(RTAX_INITRWND, initrwnd);
      if (quickack != null) b.attrU32(RTAX_QUICKACK, quickack);
    }
  }

  public Route {
    metrics = metrics == null ? Metrics.NONE : metrics;
  }

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
        null,
        Metrics.NONE,
        null);
  }

  public Route via(InetAddress gw) {
    return new Route(
        family, dst, src, gw, oif, table, metric, scope, type, protocol, prefSrc, mtu, metrics,
        weight);
  }

  /** On device {@code index}; null: no RTA_OIF. */
  public Route dev(Integer index) {
    return new Route(
        family, dst, src, gateway, index, table, metric, scope, type, protocol, prefSrc, mtu,
        metrics, weight);
  }

  public Route table(int t) {
    return new Route(
        family, dst, src, gateway, oif, t, metric, scope, type, protocol, prefSrc, mtu, metrics,
        weight);
  }

  public Route metric(int m) {
    return new Route(
        family, dst, src, gateway, oif, table, m, scope, type, protocol, prefSrc, mtu, metrics,
        weight);
  }

  public Route scope(int s) {
    return new Route(
        family, dst, src, gateway, oif, table, metric, s, type, protocol, prefSrc, mtu, metrics,
        weight);
  }

  public Route type(int t) {
    return new Route(
        family, dst, src, gateway, oif, table, metric, scope, t, protocol, prefSrc, mtu, metrics,
        weight);
  }

  public Route protocol(int p) {
    return new Route(
        family, dst, src, gateway, oif, table, metric, scope, type, p, prefSrc, mtu, metrics,
        weight);
  }

  public Route prefSrc(InetAddress a) {
    return new Route(
        family, dst, src, gateway, oif, table, metric, scope, type, protocol, a, mtu, metrics,
        weight);
  }

  public Route src(IpPrefix s) {
    return new Route(
        family, dst, s, gateway, oif, table, metric, scope, type, protocol, prefSrc, mtu, metrics,
        weight);
  }

  public Route mtu(Integer m) {
    return new Route(
        family, dst, src, gateway, oif, table, metric, scope, type, protocol, prefSrc, m, metrics,
        weight);
  }

  public Route metrics(Metrics m) {
    return new Route(
        family, dst, src, gateway, oif, table, metric, scope, type, protocol, prefSrc, mtu, m,
        weight);
  }

  public Route weight(Integer w) {
    return new Route(
        family, dst, src, gateway, oif, table, metric, scope, type, protocol, prefSrc, mtu, metrics,
        w);
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
    if (weight != null) sb.append(" weight ").append(weight);
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
        a.nested(Rtnl.Rta.METRICS).u32(Rtnl.Rta.METRIC_MTU),
        Metrics.read(a.nested(Rtnl.Rta.METRICS)),
        null);
  }

  static final int RTA_MULTIPATH = 9;
  static final int RTNH_LEN = 8;

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
      int hops = Byte.toUnsignedInt(buf.get(start + 3));
      int ifindex = buf.getInt(start + 4);
      if (len < RTNH_LEN || len > buf.remaining()) {
        throw new MalformedMessageException("rtnexthop length " + len);
      }
      var attrs =
          Attrs.parse(buf.duplicate().position(start + RTNH_LEN).limit(start + len).slice());
      Attr gw = attrs.find(Rtnl.Rta.GATEWAY);
      out.add(
          r.via(gw == null ? null : gw.address())
              .dev(ifindex == 0 ? null : ifindex)
              // nmstate shows an IPv4 next hop's weight (rtnh_hops + 1); IPv6 has none.
              .weight(r.family() == Rtnl.AF_INET ? hops + 1 : null));
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

package io.multihome.agent.netlink;

/**
 * A policy-routing rule (RTM_NEWRULE). action is FR_ACT_* (see {@link Rtnl.Fra}); {@code null}
 * fields are absent selectors.
 */
public record Rule(
    int family,
    Integer priority,
    int table,
    int action,
    IpPrefix src,
    IpPrefix dst,
    String iifName,
    String oifName,
    Integer fwmark,
    Integer fwmask,
    Integer gotoPriority,
    int protocol) {

  /** {@code ip rule add [from src] lookup table priority prio} for the family. */
  public static Rule lookup(int family, int table, int priority) {
    return new Rule(
        family, priority, table, Rtnl.Fra.ACT_TO_TBL, null, null, null, null, null, null, null, 0);
  }

  public Rule from(IpPrefix s) {
    return new Rule(
        family,
        priority,
        table,
        action,
        s,
        dst,
        iifName,
        oifName,
        fwmark,
        fwmask,
        gotoPriority,
        protocol);
  }

  public Rule to(IpPrefix d) {
    return new Rule(
        family,
        priority,
        table,
        action,
        src,
        d,
        iifName,
        oifName,
        fwmark,
        fwmask,
        gotoPriority,
        protocol);
  }

  public Rule iif(String name) {
    return new Rule(
        family,
        priority,
        table,
        action,
        src,
        dst,
        name,
        oifName,
        fwmark,
        fwmask,
        gotoPriority,
        protocol);
  }

  public Rule fwmark(int mark, Integer mask) {
    return new Rule(
        family,
        priority,
        table,
        action,
        src,
        dst,
        iifName,
        oifName,
        mark,
        mask,
        gotoPriority,
        protocol);
  }

  @Override
  public String toString() {
    var sb = new StringBuilder();
    if (priority != null) sb.append(priority).append(": ");
    sb.append("from ").append(src == null ? "all" : src.toString());
    if (dst != null) sb.append(" to ").append(dst);
    if (iifName != null) sb.append(" iif ").append(iifName);
    if (fwmark != null) sb.append(" fwmark ").append(fwmark);
    sb.append(" table ").append(table);
    return sb.toString();
  }

  static Rule read(NlMessage m) {
    FibRuleHdr h = FibRuleHdr.read(m);
    Attrs a = m.attrs(FibRuleHdr.LEN);
    Attr srcA = a.find(Rtnl.Fra.SRC);
    Attr dstA = a.find(Rtnl.Fra.DST);
    Integer table = a.u32(Rtnl.Fra.TABLE);
    Integer proto = a.u8(Rtnl.Fra.PROTOCOL);
    return new Rule(
        h.family(),
        a.u32(Rtnl.Fra.PRIORITY),
        table != null ? table : h.table(),
        h.action(),
        srcA == null ? null : new IpPrefix(srcA.address(), h.srcLen()),
        dstA == null ? null : new IpPrefix(dstA.address(), h.dstLen()),
        a.string(Rtnl.Fra.IIFNAME),
        a.string(Rtnl.Fra.OIFNAME),
        a.u32(Rtnl.Fra.FWMARK),
        a.u32(Rtnl.Fra.FWMASK),
        a.u32(Rtnl.Fra.GOTO),
        proto == null ? 0 : proto);
  }

  void write(MessageBuilder b) {
    new FibRuleHdr(
            family,
            dst == null ? 0 : dst.length(),
            src == null ? 0 : src.length(),
            0,
            table < 256 ? table : Rtnl.Rta.TABLE_UNSPEC,
            action,
            0)
        .write(b);
    if (priority != null) b.attrU32(Rtnl.Fra.PRIORITY, priority);
    if (src != null) b.attrAddress(Rtnl.Fra.SRC, src.address());
    if (dst != null) b.attrAddress(Rtnl.Fra.DST, dst.address());
    if (iifName != null) b.attrString(Rtnl.Fra.IIFNAME, iifName);
    if (oifName != null) b.attrString(Rtnl.Fra.OIFNAME, oifName);
    if (fwmark != null) b.attrU32(Rtnl.Fra.FWMARK, fwmark);
    if (fwmask != null) b.attrU32(Rtnl.Fra.FWMASK, fwmask);
    if (gotoPriority != null) b.attrU32(Rtnl.Fra.GOTO, gotoPriority);
    if (table >= 256) b.attrU32(Rtnl.Fra.TABLE, table);
    if (protocol != 0) b.attrU8(Rtnl.Fra.PROTOCOL, protocol);
  }
}

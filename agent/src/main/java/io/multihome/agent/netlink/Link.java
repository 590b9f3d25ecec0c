package io.multihome.agent.netlink;

import java.util.List;

/**
 * A link as the kernel reports it (RTM_NEWLINK). {@code masterIndex}, {@code parentIndex}
 * (IFLA_LINK: a veth's peer, a vlan's lower device) and {@code netnsId} (IFLA_LINK_NETNSID, set
 * when the parent/peer lives in another namespace) are null when absent. {@code bridgePort} is set
 * for bridge ports; {@code vfs} is filled for SR-IOV PFs.
 */
public record Link(
    int index,
    String name,
    LinkKind kind,
    int flags,
    int mtu,
    HwAddr mac,
    Integer masterIndex,
    Integer parentIndex,
    Integer netnsId,
    OperState operState,
    Integer txQueueLen,
    String slaveKind,
    BridgePortOptions bridgePort,
    Integer numVfs,
    List<Vf> vfs) {

  public boolean isUp() {
    return (flags & Rtnl.IFF_UP) != 0;
  }

  public String kindName() {
    return kind.kind();
  }

  /** IF_OPER_* (RFC 2863) values. */
  public enum OperState {
    UNKNOWN,
    NOTPRESENT,
    DOWN,
    LOWERLAYERDOWN,
    TESTING,
    DORMANT,
    UP;

    static OperState of(Integer v) {
      return v == null || v < 0 || v >= values().length ? UNKNOWN : values()[v];
    }
  }

  /** Decodes an RTM_NEWLINK / RTM_DELLINK message. */
  public static Link read(NlMessage m) {
    IfInfoMsg ifi = IfInfoMsg.read(m);
    Attrs a = m.attrs(IfInfoMsg.LEN);
    Attrs info = a.nested(Rtnl.Ifla.LINKINFO);
    Attr addr = a.find(Rtnl.Ifla.ADDRESS);
    Attr vfList = a.find(Rtnl.Ifla.VFINFO_LIST);
    String slaveKind = info.string(Rtnl.Ifla.INFO_SLAVE_KIND);
    BridgePortOptions port =
        "bridge".equals(slaveKind)
            ? BridgePortOptions.read(info.nested(Rtnl.Ifla.INFO_SLAVE_DATA))
            : null;
    Integer mtu = a.u32(Rtnl.Ifla.MTU);
    return new Link(
        ifi.index(),
        a.string(Rtnl.Ifla.IFNAME),
        LinkKindCodec.read(info),
        ifi.flags(),
        mtu == null ? 0 : mtu,
        addr == null ? null : HwAddr.of(addr.bytes()),
        a.u32(Rtnl.Ifla.MASTER),
        a.u32(Rtnl.Ifla.LINK),
        a.u32(Rtnl.Ifla.LINK_NETNSID),
        OperState.of(a.u8(Rtnl.Ifla.OPERSTATE)),
        a.u32(Rtnl.Ifla.TXQLEN),
        slaveKind,
        port,
        a.u32(Rtnl.Ifla.NUM_VF),
        vfList == null ? List.of() : Vf.readList(vfList.nestedAttrs()));
  }
}

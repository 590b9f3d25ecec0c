package io.multihome.agent.netlink;

import java.util.List;

/** IPv4/IPv6 address list/add/replace/delete. */
public final class AddressOps {
  private final RtNetlink nl;

  AddressOps(RtNetlink nl) {
    this.nl = nl;
  }

  /** All addresses of all links, both families. */
  public List<Address> list() {
    var r =
        new Request(
            "address list",
            "",
            Rtnl.RTM_GETADDR,
            0,
            b -> new IfAddrMsg(Rtnl.AF_UNSPEC, 0, 0, 0, 0).write(b));
    return nl.dump(r).stream()
        .filter(m -> m.type() == Rtnl.RTM_NEWADDR)
        .map(Address::read)
        .toList();
  }

  public List<Address> list(int index) {
    return list().stream().filter(a -> a.index() == index).toList();
  }

  public void add(int index, IpPrefix prefix) {
    nl.execute(addRequest(index, prefix, false));
  }

  /** Adds, or updates the existing address (NLM_F_REPLACE). */
  public void replace(int index, IpPrefix prefix) {
    nl.execute(addRequest(index, prefix, true));
  }

  public void delete(int index, IpPrefix prefix) {
    nl.execute(deleteRequest(index, prefix));
  }

  public static Request deleteRequest(int index, IpPrefix prefix) {
    return request("address delete", Rtnl.RTM_DELADDR, 0, index, prefix);
  }

  public static Request addRequest(int index, IpPrefix prefix, boolean replace) {
    int flags = Rtnl.NLM_F_CREATE | (replace ? Rtnl.NLM_F_REPLACE : Rtnl.NLM_F_EXCL);
    return request(
        replace ? "address replace" : "address add", Rtnl.RTM_NEWADDR, flags, index, prefix);
  }

  private static Request request(String op, int type, int flags, int index, IpPrefix p) {
    return new Request(
        op,
        p + " dev index " + index,
        type,
        flags,
        b -> {
          new IfAddrMsg(p.family(), p.length(), 0, 0, index).write(b);
          // iproute2 sends both; for IPv4 IFA_LOCAL is the address, IFA_ADDRESS the peer.
          b.attrAddress(Rtnl.Ifa.LOCAL, p.address());
          b.attrAddress(Rtnl.Ifa.ADDRESS, p.address());
        });
  }
}

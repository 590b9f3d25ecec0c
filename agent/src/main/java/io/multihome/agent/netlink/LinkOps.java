package io.multihome.agent.netlink;

import java.util.List;
import java.util.Optional;

/**
 * Link operations in the style of vishvananda/netlink. Each change also exists as a static {@link
 * Request} factory so callers can pipeline many through {@link RtNetlink#executeAll}.
 */
public final class LinkOps {
  private final RtNetlink nl;

  LinkOps(RtNetlink nl) {
    this.nl = nl;
  }

  /** Rejects names the kernel would refuse (dev_valid_name), naming the field. */
  static void checkName(String field, String name) {
    if (name == null || name.isEmpty() || name.length() > 15) {
      throw new IllegalArgumentException(field + ": interface name must be 1..15 bytes: " + name);
    }
    if (name.equals(".")
        || name.equals("..")
        || name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c))) {
      throw new IllegalArgumentException(field + ": invalid interface name '" + name + "'");
    }
  }

  // ---- reads

  /** Every link in the namespace, with kind data, bridge-port options and VF info. */
  public List<Link> list() {
    return nl.dump(listRequest()).stream()
        .filter(m -> m.type() == Rtnl.RTM_NEWLINK)
        .map(Link::read)
        .toList();
  }

  /** The named link; throws {@code link get NAME: ENODEV} when absent. */
  public Link get(String name) {
    checkName("name", name);
    return getBy(name, 0);
  }

  public Link get(int index) {
    return getBy(null, index);
  }

  public Optional<Link> find(String name) {
    try {
      return Optional.of(get(name));
    } catch (NetlinkException e) {
      if (e.errno() == Errno.ENODEV) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private Link getBy(String name, int index) {
    var r = getRequest(name, index);
    return nl.exchange(r).stream()
        .filter(m -> m.type() == Rtnl.RTM_NEWLINK)
        .map(Link::read)
        .findFirst()
        .orElseThrow(() -> new NetlinkException("link get", r.target(), Errno.ENODEV, null));
  }

  // ---- changes

  public void add(LinkSpec spec) {
    nl.execute(addRequest(spec));
  }

  public void delete(String name) {
    nl.execute(deleteRequest(name));
  }

  public void delete(int index) {
    nl.execute(
        new Request(
            "link delete",
            "index " + index,
            Rtnl.RTM_DELLINK,
            0,
            b -> IfInfoMsg.of(Rtnl.AF_UNSPEC, index).write(b)));
  }

  public void setUp(String name) {
    nl.execute(setUpRequest(name, true));
  }

  public void setDown(String name) {
    nl.execute(setUpRequest(name, false));
  }

  public void setMtu(String name, int mtu) {
    nl.execute(setMtuRequest(name, mtu));
  }

  public void setMac(String name, HwAddr mac) {
    nl.execute(setMacRequest(name, mac));
  }

  public void setTxQueueLen(String name, int qlen) {
    nl.execute(modify("link set txqueuelen", name, b -> b.attrU32(Rtnl.Ifla.TXQLEN, qlen)));
  }

  public void setMaster(String name, String master) {
    checkName("master", master);
    nl.execute(setMasterRequest(name, get(master).index()));
  }

  public void setNoMaster(String name) {
    nl.execute(setMasterRequest(name, 0));
  }

  public void rename(String name, String newName) {
    checkName("newName", newName);
    int index = get(name).index();
    nl.execute(
        new Request(
            "link rename",
            name + " -> " + newName,
            Rtnl.RTM_NEWLINK,
            0,
            b -> {
              IfInfoMsg.of(Rtnl.AF_UNSPEC, index).write(b);
              b.attrString(Rtnl.Ifla.IFNAME, newName);
            }));
  }

  public void setBridgeOptions(String name, LinkKind.Bridge options) {
    nl.execute(bridgeOptionsRequest(name, options));
  }

  public void setBridgePort(String name, BridgePortOptions options) {
    nl.execute(bridgePortRequest(name, options));
  }

  /** Moves the link into {@code target}; it disappears from this namespace. */
  public void moveToNetns(String name, NetNs target) {
    nl.execute(modify("link set netns", name, b -> b.attrU32(Rtnl.Ifla.NET_NS_FD, target.fd())));
  }

  /** Sets the non-null fields of one VF of an SR-IOV PF. */
  public void setVf(String pfName, Vf vf) {
    nl.execute(vfRequest(pfName, vf));
  }

  // ---- request factories (for batching)

  public static Request addRequest(LinkSpec spec) {
    return new Request(
        "link add",
        spec.describe(),
        Rtnl.RTM_NEWLINK,
        Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL,
        b -> {
          int up = spec.up() ? Rtnl.IFF_UP : 0;
          new IfInfoMsg(Rtnl.AF_UNSPEC, 0, 0, up, up).write(b);
          b.attrString(Rtnl.Ifla.IFNAME, spec.name());
          if (spec.mtu() != null) {
            b.attrU32(Rtnl.Ifla.MTU, spec.mtu());
          }
          if (spec.mac() != null) {
            b.attr(Rtnl.Ifla.ADDRESS, spec.mac().bytes());
          }
          if (spec.txQueueLen() != null) {
            b.attrU32(Rtnl.Ifla.TXQLEN, spec.txQueueLen());
          }
          if (spec.parentIndex() != null) {
            b.attrU32(Rtnl.Ifla.LINK, spec.parentIndex());
          }
          if (spec.masterIndex() != null) {
            b.attrU32(Rtnl.Ifla.MASTER, spec.masterIndex());
          }
          LinkKindCodec.write(b, spec.kind());
        });
  }

  /**
   * {@code ip link show}: a dump of every link, SR-IOV PFs with {@code IFLA_NUM_VF} and their VF
   * table.
   */
  public static Request listRequest() {
    return dumpRequest("link list", Rtnl.AF_UNSPEC, Rtnl.Ifla.RTEXT_FILTER_VF);
  }

  /**
   * A dump of every link of {@code family} with the extra data {@code extFilter} asks for ({@code
   * IFLA_EXT_MASK}); {@code what} names it in errors.
   */
  public static Request dumpRequest(String what, int family, int extFilter) {
    return new Request(
        what,
        "",
        Rtnl.RTM_GETLINK,
        0,
        b -> {
          IfInfoMsg.of(family, 0).write(b);
          b.attrU32(Rtnl.Ifla.EXT_MASK, extFilter);
        });
  }

  /** {@code ip link show NAME} (or the link {@code index} when {@code name} is null), with VFs. */
  public static Request getRequest(String name, int index) {
    return new Request(
        "link get",
        name != null ? name : "index " + index,
        Rtnl.RTM_GETLINK,
        0,
        b -> {
          IfInfoMsg.of(Rtnl.AF_UNSPEC, index).write(b);
          if (name != null) {
            b.attrString(Rtnl.Ifla.IFNAME, name);
          }
          b.attrU32(Rtnl.Ifla.EXT_MASK, Rtnl.Ifla.RTEXT_FILTER_VF);
        });
  }

  public static Request deleteRequest(String name) {
    checkName("name", name);
    return new Request(
        "link delete",
        name,
        Rtnl.RTM_DELLINK,
        0,
        b -> {
          IfInfoMsg.of(Rtnl.AF_UNSPEC, 0).write(b);
          b.attrString(Rtnl.Ifla.IFNAME, name);
        });
  }

  public static Request setUpRequest(String name, boolean up) {
    checkName("name", name);
    return new Request(
        up ? "link set up" : "link set down",
        name,
        Rtnl.RTM_NEWLINK,
        0,
        b -> {
          new IfInfoMsg(Rtnl.AF_UNSPEC, 0, 0, up ? Rtnl.IFF_UP : 0, Rtnl.IFF_UP).write(b);
          b.attrString(Rtnl.Ifla.IFNAME, name);
        });
  }

  /** Enslaves {@code name} to the link with {@code masterIndex}; 0 releases it (nomaster). */
  public static Request setMtuRequest(String name, int mtu) {
    return modify("link set mtu", name, b -> b.attrU32(Rtnl.Ifla.MTU, mtu));
  }

  public static Request setMacRequest(String name, HwAddr mac) {
    return modify("link set address", name, b -> b.attr(Rtnl.Ifla.ADDRESS, mac.bytes()));
  }

  /** Changes only the bridge options that are set (null fields are left as they are). */
  public static Request bridgeOptionsRequest(String name, LinkKind.Bridge options) {
    return modify("link set bridge options", name, b -> LinkKindCodec.write(b, options));
  }

  public static Request setMasterRequest(String name, int masterIndex) {
    return modify(
        masterIndex == 0 ? "link set nomaster" : "link set master",
        name,
        b -> b.attrU32(Rtnl.Ifla.MASTER, masterIndex));
  }

  public static Request bridgePortRequest(String name, BridgePortOptions options) {
    return modify(
        "link set bridge port options",
        name,
        b -> {
          int info = b.beginNestedPlain(Rtnl.Ifla.LINKINFO);
          b.attrString(Rtnl.Ifla.INFO_SLAVE_KIND, "bridge");
          int data = b.beginNestedPlain(Rtnl.Ifla.INFO_SLAVE_DATA);
          options.write(b);
          b.endNested(data);
          b.endNested(info);
        });
  }

  public static Request vfRequest(String pfName, Vf vf) {
    return modify("link set vf " + vf.vf(), pfName, vf::write);
  }

  /** RTM_NEWLINK without NLM_F_CREATE on an existing link found by IFLA_IFNAME. */
  /** An RTM_NEWLINK for the link {@code name} carrying whatever {@code attrs} writes. */
  public static Request modifyRequest(
      String op, String name, java.util.function.Consumer<MessageBuilder> attrs) {
    return modify(op, name, attrs);
  }

  static Request modify(String op, String name, java.util.function.Consumer<MessageBuilder> attrs) {
    checkName("name", name);
    return new Request(
        op,
        name,
        Rtnl.RTM_NEWLINK,
        0,
        b -> {
          IfInfoMsg.of(Rtnl.AF_UNSPEC, 0).write(b);
          b.attrString(Rtnl.Ifla.IFNAME, name);
          attrs.accept(b);
        });
  }
}

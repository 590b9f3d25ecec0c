package io.multihome.agent.sriov;

import io.multihome.agent.netlink.Attr;
import io.multihome.agent.netlink.Attrs;
import io.multihome.agent.netlink.IfInfoMsg;
import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.NlMessage;
import io.multihome.agent.netlink.Request;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.agent.netlink.Rtnl;
import io.multihome.agent.netlink.Vf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link LinkInfoSource} over rtnetlink in one namespace: one link dump with VF info, one for
 * altnames. Altnames are read here because the netlink library's {@code Link} does not decode
 * {@code IFLA_PROP_LIST}; the kernel puts it in every RTM_NEWLINK, so a plain dump carries it.
 */
public final class NetlinkLinkInfo implements LinkInfoSource, AutoCloseable {
  static final int IFLA_PROP_LIST = 52;
  static final int IFLA_ALT_IFNAME = 53;
  private static final String ZERO_MAC = "00:00:00:00:00:00";

  private final RtNetlink nl;

  public NetlinkLinkInfo(RtNetlink nl) {
    this.nl = nl;
  }

  /** In the named namespace, or the agent's own when {@code netns} is null. */
  public static NetlinkLinkInfo open(String netns) {
    return new NetlinkLinkInfo(netns == null ? RtNetlink.open() : RtNetlink.openNamed(netns));
  }

  @Override
  public Map<String, LinkDetails> snapshot() {
    Map<Integer, List<String>> altNames = altNamesByIndex(nl.dump(dumpRequest()));
    var out = new HashMap<String, LinkDetails>();
    for (Link link : nl.links().list()) {
      out.put(
          link.name(),
          new LinkDetails(
              link.name(),
              altNames.getOrDefault(link.index(), List.of()),
              link.vfs() == null ? List.of() : link.vfs().stream().map(this::toInfo).toList()));
    }
    return out;
  }

  private LinkDetails.VfInfo toInfo(Vf vf) {
    String mac = vf.mac() == null ? null : vf.mac().toString();
    return new LinkDetails.VfInfo(vf.vf(), ZERO_MAC.equals(mac) ? null : mac, vf.vlan());
  }

  static Request dumpRequest() {
    return new Request(
        "link list",
        "altnames",
        Rtnl.RTM_GETLINK,
        0,
        b -> IfInfoMsg.of(Rtnl.AF_UNSPEC, 0).write(b));
  }

  /** IFLA_PROP_LIST { IFLA_ALT_IFNAME "name" ... } of every RTM_NEWLINK, by ifindex. */
  static Map<Integer, List<String>> altNamesByIndex(List<NlMessage> messages) {
    var out = new HashMap<Integer, List<String>>();
    for (NlMessage m : messages) {
      if (m.type() != Rtnl.RTM_NEWLINK) {
        continue;
      }
      int index = IfInfoMsg.read(m).index();
      Attrs attrs = m.attrs(IfInfoMsg.LEN);
      Attr props = attrs.find(IFLA_PROP_LIST);
      if (props == null) {
        continue;
      }
      var names = new ArrayList<String>();
      for (Attr alt : props.nestedAttrs().all(IFLA_ALT_IFNAME)) {
        names.add(alt.string());
      }
      out.put(index, List.copyOf(names));
    }
    return out;
  }

  @Override
  public void close() {
    nl.close();
  }
}

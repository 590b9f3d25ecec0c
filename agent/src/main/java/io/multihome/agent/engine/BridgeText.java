package io.multihome.agent.engine;

import io.multihome.agent.netlink.BridgePortOptions;
import io.multihome.agent.netlink.LinkKind;

/** Bridge settings in ip(8) words, for plans printed by {@code --dry-run}. */
final class BridgeText {
  private BridgeText() {}

  static String options(LinkKind.Bridge b) {
    var sb = new StringBuilder();
    append(sb, "stp_state", b.stpState());
    append(sb, "forward_delay", b.forwardDelay());
    append(sb, "hello_time", b.helloTime());
    append(sb, "max_age", b.maxAge());
    append(sb, "priority", b.priority());
    append(sb, "ageing_time", b.ageingTime());
    if (b.vlanFiltering() != null) {
      append(sb, "vlan_filtering", b.vlanFiltering() ? 1 : 0);
    }
    append(sb, "group_fwd_mask", b.groupFwdMask());
    if (b.groupAddr() != null) {
      sb.append(" group_address ").append(b.groupAddr());
    }
    if (b.vlanProtocol() != null) {
      sb.append(" vlan_protocol ").append(b.vlanProtocol() == 0x88a8 ? "802.1ad" : "802.1Q");
    }
    append(sb, "vlan_default_pvid", b.defaultPvid());
    b.multicast()
        .forEach(
            (attr, v) ->
                sb.append(' ')
                    .append(BridgeMulticastMapping.IP_NAMES.getOrDefault(attr, "attr" + attr))
                    .append(' ')
                    .append(v));
    if (b.multicastSnooping() != null) {
      append(sb, "mcast_snooping", b.multicastSnooping() ? 1 : 0);
    }
    return sb.toString().strip();
  }

  static String port(BridgePortOptions p) {
    var sb = new StringBuilder();
    append(sb, "priority", p.priority());
    append(sb, "cost", p.cost());
    if (p.hairpin() != null) {
      sb.append(" hairpin ").append(p.hairpin() ? "on" : "off");
    }
    return sb.toString().strip();
  }

  private static void append(StringBuilder sb, String key, Integer value) {
    if (value != null) {
      sb.append(' ').append(key).append(' ').append(value);
    }
  }
}

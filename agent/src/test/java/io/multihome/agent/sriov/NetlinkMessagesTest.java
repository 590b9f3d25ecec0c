package io.multihome.agent.sriov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multihome.agent.netlink.Attr;
import io.multihome.agent.netlink.Attrs;
import io.multihome.agent.netlink.IfInfoMsg;
import io.multihome.agent.netlink.MessageBuilder;
import io.multihome.agent.netlink.NlMessage;
import io.multihome.agent.netlink.Rtnl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte-level checks of what the agent sends and parses beyond the netlink library's own. */
class NetlinkMessagesTest {
  private static NlMessage only(byte[] bytes) {
    List<NlMessage> all = NlMessage.parseAll(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()));
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Test
  void adminMacRequestCarriesThePfNameAndIflaVfMacWithVfIdAndMac() {
    byte[] bytes =
        NetlinkVfConfigurator.adminMacRequest("ens1f0", 3, "02:11:22:33:44:55").encode(42);
    NlMessage m = only(bytes);
    assertThat(m.type()).isEqualTo(Rtnl.RTM_NEWLINK);
    assertThat(m.seq()).isEqualTo(42);
    Attrs attrs = m.attrs(IfInfoMsg.LEN);
    assertThat(attrs.string(Rtnl.Ifla.IFNAME)).isEqualTo("ens1f0");
    Attr info = attrs.nested(Rtnl.Ifla.VFINFO_LIST).find(Rtnl.Vf.INFO);
    Attr mac = info.nestedAttrs().find(Rtnl.Vf.MAC);
    // struct ifla_vf_mac { __u32 vf; __u8 mac[32]; }
    assertThat(mac.length()).isEqualTo(36);
    ByteBuffer v = mac.value().duplicate().order(ByteOrder.nativeOrder());
    assertThat(v.getInt(0)).isEqualTo(3);
    assertThat(Arrays.copyOfRange(mac.bytes(), 4, 10))
        .containsExactly(0x02, 0x11, 0x22, 0x33, 0x44, 0x55);
    assertThat(info.nestedAttrs().find(Rtnl.Vf.VLAN)).as("nothing but the MAC is set").isNull();
  }

  @Test
  void badAdminMacInputNamesTheField() {
    assertThatThrownBy(() -> NetlinkVfConfigurator.adminMacRequest("ens1f0", 0, "zz"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("mac: invalid 'zz'");
    assertThatThrownBy(
            () -> NetlinkVfConfigurator.adminMacRequest("ens1f0", -1, "02:00:00:00:00:01"))
        .hasMessageStartingWith("vfId:");
    assertThatThrownBy(() -> NetlinkVfConfigurator.adminMacRequest("a/b", 0, "02:00:00:00:00:01"))
        .hasMessageContaining("name");
  }

  @Test
  void altnamesAreReadFromIflaPropListByIfindex() {
    var b = new MessageBuilder();
    b.begin(Rtnl.RTM_NEWLINK, 0, 1);
    IfInfoMsg.of(Rtnl.AF_UNSPEC, 7).write(b);
    b.attrString(Rtnl.Ifla.IFNAME, "ens1f0");
    int props = b.beginNested(NetlinkLinkInfo.IFLA_PROP_LIST);
    b.attrString(NetlinkLinkInfo.IFLA_ALT_IFNAME, "enp59s0f0np0");
    b.attrString(NetlinkLinkInfo.IFLA_ALT_IFNAME, "uplink-a");
    b.endNested(props);
    b.end();
    b.begin(Rtnl.RTM_NEWLINK, 0, 1);
    IfInfoMsg.of(Rtnl.AF_UNSPEC, 8).write(b);
    b.attrString(Rtnl.Ifla.IFNAME, "sw1f0");
    b.end();

    var messages = NlMessage.parseAll(ByteBuffer.wrap(b.toBytes()).order(ByteOrder.nativeOrder()));
    var byIndex = NetlinkLinkInfo.altNamesByIndex(messages);

    assertThat(byIndex).containsOnlyKeys(7);
    assertThat(byIndex.get(7)).containsExactly("enp59s0f0np0", "uplink-a");
  }

  @Test
  void theAltnameDumpAsksForEveryLink() {
    NlMessage m = only(NetlinkLinkInfo.dumpRequest().encode(1));
    assertThat(m.type()).isEqualTo(Rtnl.RTM_GETLINK);
    assertThat(IfInfoMsg.read(m).index()).isZero();
  }
}

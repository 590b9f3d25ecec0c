package io.multihome.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecTest {
  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

  @Test
  void routeMtuIsTheRtaxMtuMetricOnAddOnly() {
    var r = Route.to(IpPrefix.parse("203.0.113.0/24")).dev(3).metric(5).mtu(1400);
    NlMessage add =
        NlMessage.parseAll(ByteBuffer.wrap(RouteOps.addRequest(r, false).encode(1)).order(NATIVE))
            .get(0);
    Attrs metrics = add.attrs(RtMsg.LEN).nested(Rtnl.Rta.METRICS);
    assertThat(metrics.list()).hasSize(1);
    assertThat(metrics.u32(Rtnl.Rta.METRIC_MTU)).isEqualTo(1400);
    assertThat(Route.read(add).mtu()).isEqualTo(1400);
    assertThat(Route.read(add).metric()).isEqualTo(5);

    NlMessage del =
        NlMessage.parseAll(ByteBuffer.wrap(RouteOps.deleteRequest(r).encode(2)).order(NATIVE))
            .get(0);
    assertThat(del.attrs(RtMsg.LEN).find(Rtnl.Rta.METRICS)).isNull();
    assertThat(Route.read(del).mtu()).isNull();
  }

  @Test
  void builderAlignsAttributesAndBackPatchesLengths() {
    var b = new MessageBuilder(8); // small on purpose: forces growth
    b.begin(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_REQUEST, 7);
    IfInfoMsg.of(Rtnl.AF_UNSPEC, 3).write(b);
    b.attrString(Rtnl.Ifla.IFNAME, "abcde"); // 4 + 6 = 10, padded to 12
    int nest = b.beginNestedPlain(Rtnl.Ifla.LINKINFO);
    b.attrU8(1, 0x7f); // 5 -> 8
    b.attrU16be(2, 0x8100);
    b.endNested(nest);
    b.end();
    byte[] bytes = b.toBytes();
    assertThat(bytes.length % 4).isZero();
    var buf = ByteBuffer.wrap(bytes).order(NATIVE);
    assertThat(buf.getInt(0)).isEqualTo(bytes.length);
    assertThat(buf.getInt(0)).isEqualTo(16 + 16 + 12 + 4 + 8 + 8);
    NlMessage m = NlMessage.parseAll(buf).get(0);
    assertThat(m.type()).isEqualTo(Rtnl.RTM_NEWLINK);
    assertThat(m.seq()).isEqualTo(7);
    assertThat(IfInfoMsg.read(m).index()).isEqualTo(3);
    Attrs a = m.attrs(IfInfoMsg.LEN);
    assertThat(a.string(Rtnl.Ifla.IFNAME)).isEqualTo("abcde");
    assertThat(a.find(Rtnl.Ifla.IFNAME).length()).isEqualTo(6);
    Attrs nested = a.nested(Rtnl.Ifla.LINKINFO);
    assertThat(a.find(Rtnl.Ifla.LINKINFO).length()).isEqualTo(16);
    assertThat(nested.u8(1)).isEqualTo(0x7f);
    assertThat(nested.find(2).u16be()).isEqualTo(0x8100);
    // network order on the wire
    assertThat(nested.find(2).bytes()).containsExactly(0x81, 0x00);
  }

  @Test
  void nestedFlagIsMaskedFromType() {
    var b = new MessageBuilder();
    b.begin(1, 0, 0);
    int n = b.beginNested(5);
    b.attrU32(1, 42);
    b.endNested(n);
    b.end();
    Attrs a = NlMessage.parseAll(ByteBuffer.wrap(b.toBytes())).get(0).attrs(0);
    assertThat(a.find(5).nested()).isTrue();
    assertThat(a.nested(5).u32(1)).isEqualTo(42);
  }

  @Test
  void severalMessagesInOneDatagram() {
    var b = new MessageBuilder();
    for (int i = 0; i < 3; i++) {
      b.begin(Rtnl.RTM_NEWADDR, 0, i);
      new IfAddrMsg(Rtnl.AF_INET, 24, 0, 0, i + 1).write(b);
      b.attrAddress(Rtnl.Ifa.LOCAL, IpPrefix.parseAddress("198.18.0." + (i + 1)));
      b.end();
    }
    List<NlMessage> msgs = NlMessage.parseAll(ByteBuffer.wrap(b.toBytes()));
    assertThat(msgs).extracting(NlMessage::seq).containsExactly(0, 1, 2);
    assertThat(Address.read(msgs.get(2)).local()).isEqualTo(IpPrefix.parse("198.18.0.3/24"));
    assertThat(b.messageCount()).isEqualTo(3);
  }

  @Test
  void rejectsMessageLengthBeyondBuffer() {
    var buf = ByteBuffer.allocate(20).order(NATIVE).putInt(0, 64);
    assertThatThrownBy(() -> NlMessage.parseAll(buf))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("nlmsg_len 64");
  }

  @Test
  void rejectsMessageLengthBelowHeader() {
    var buf = ByteBuffer.allocate(16).order(NATIVE).putInt(0, 8);
    assertThatThrownBy(() -> NlMessage.parseAll(buf)).isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void rejectsTrailingGarbage() {
    var b = new MessageBuilder();
    b.begin(1, 0, 0).end();
    byte[] ok = b.toBytes();
    var buf = ByteBuffer.allocate(ok.length + 8).order(NATIVE).put(ok).putInt(1).putInt(2).flip();
    assertThatThrownBy(() -> NlMessage.parseAll(buf)).hasMessageContaining("trailing");
  }

  @Test
  void rejectsAttributeLengthBeyondRemaining() {
    var buf = ByteBuffer.allocate(8).order(NATIVE);
    buf.putShort(0, (short) 12).putShort(2, (short) 3);
    assertThatThrownBy(() -> Attrs.parse(buf))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("attribute 3 length 12");
  }

  @Test
  void rejectsAttributeLengthBelowHeader() {
    var buf = ByteBuffer.allocate(8).order(NATIVE);
    buf.putShort(0, (short) 2).putShort(2, (short) 1);
    assertThatThrownBy(() -> Attrs.parse(buf)).isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void rejectsTooShortValuesAndStructs() {
    var buf = ByteBuffer.allocate(8).order(NATIVE);
    buf.putShort(0, (short) 6).putShort(2, (short) 4);
    Attr a = Attrs.parse(buf).find(4);
    assertThat(a.u16()).isZero();
    assertThatThrownBy(a::u32).hasMessageContaining("needs 4");
    var b = new MessageBuilder();
    b.begin(Rtnl.RTM_NEWLINK, 0, 0).u32(0).end();
    NlMessage m = NlMessage.parseAll(ByteBuffer.wrap(b.toBytes())).get(0);
    assertThatThrownBy(() -> Link.read(m)).hasMessageContaining("ifinfomsg needs 16");
  }

  @Test
  void decodesExtendedAckMessage() {
    // NLMSG_ERROR, capped, with TLVs: error -22, original header, NLMSGERR_ATTR_MSG
    var b = new MessageBuilder();
    b.begin(Rtnl.NLMSG_ERROR, Rtnl.NLM_F_CAPPED | Rtnl.NLM_F_ACK_TLVS, 9);
    b.u32(-22);
    b.u32(100).u16(Rtnl.RTM_NEWLINK).u16(5).u32(9).u32(0);
    b.attrString(Rtnl.NLMSGERR_ATTR_MSG, "mtu less than device minimum");
    b.end();
    NlMessage m = NlMessage.parseAll(ByteBuffer.wrap(b.toBytes())).get(0);
    assertThat(Acks.error(m)).isEqualTo(-22);
    var r = new Request("link set mtu", "br0", Rtnl.RTM_NEWLINK, 0, x -> {});
    NetlinkException e = Acks.toException(r, m, Acks.error(m));
    assertThat(e.errnoName()).isEqualTo("EINVAL");
    assertThat(e.getMessage())
        .isEqualTo("link set mtu br0: EINVAL: Invalid argument (mtu less than device minimum)");
  }

  @Test
  void parsesPrefixesAndMacsWithoutLookups() {
    assertThat(IpPrefix.parse("198.18.0.1/24").length()).isEqualTo(24);
    assertThat(IpPrefix.parse("2001:db8::1").length()).isEqualTo(128);
    assertThatThrownBy(() -> IpPrefix.parse("example.com/24"))
        .hasMessageContaining("address: invalid");
    assertThatThrownBy(() -> IpPrefix.parse("198.18.0.1/33")).hasMessageContaining("out of 0..32");
    assertThat(HwAddr.parse("02:AB:00:00:00:01").toString()).isEqualTo("02:ab:00:00:00:01");
    assertThatThrownBy(() -> HwAddr.parse("02:zz")).hasMessageContaining("mac: invalid");
    assertThatThrownBy(() -> LinkSpec.of("name-that-is-too-long", LinkKind.Bridge.defaults()))
        .hasMessageContaining("name: interface name must be 1..15 bytes");
    assertThatThrownBy(() -> new LinkKind.Vlan(5000, null)).hasMessageContaining("vlan.id");
  }
}

package io.multihome.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The link kinds vrf, ipvlan, hsr, macsec, ipoib and the bond options in {@link BondOptions}
 * written as the kernel reads them and read back; route TCP metrics and multipath next hops.
 */
class KindCodecTest {
  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

  private static LinkKind roundTrip(LinkKind kind) {
    var request = LinkOps.addRequest(LinkSpec.of("x0", kind));
    var m = NlMessage.parseAll(ByteBuffer.wrap(request.encode(1)).order(NATIVE)).get(0);
    return Link.read(m).kind();
  }

  @Test
  void kindsRoundTrip() {
    assertThat(roundTrip(new LinkKind.Vrf(102))).isEqualTo(new LinkKind.Vrf(102));
    assertThat(roundTrip(new LinkKind.Ipvlan(0, LinkKind.Ipvlan.F_PRIVATE)))
        .isEqualTo(new LinkKind.Ipvlan(0, 1));
    assertThat(roundTrip(new LinkKind.Macsec(5, true, true, 2, null)))
        .as("the port is sent as IFLA_MACSEC_PORT; read back it comes from the SCI, absent here")
        .isEqualTo(new LinkKind.Macsec(null, true, true, 2, null));
    assertThat(roundTrip(new LinkKind.Ipoib(0x80ff, 1))).isEqualTo(new LinkKind.Ipoib(0x80ff, 1));
    var hsr = (LinkKind.Hsr) roundTrip(new LinkKind.Hsr(4, 5, 40, 1, null));
    assertThat(hsr.port1()).isEqualTo(4);
    assertThat(hsr.port2()).isEqualTo(5);
    assertThat(hsr.protocol()).isEqualTo(1);
  }

  @Test
  void macsecPortIsTheLastTwoBytesOfTheSci() {
    var b = new MessageBuilder();
    b.begin(Rtnl.RTM_NEWLINK, 0, 1);
    IfInfoMsg.of(Rtnl.AF_UNSPEC, 7).write(b);
    int info = b.beginNestedPlain(Rtnl.Ifla.LINKINFO);
    b.attrString(Rtnl.Ifla.INFO_KIND, "macsec");
    int data = b.beginNestedPlain(Rtnl.Ifla.INFO_DATA);
    b.attr(KindCodec.MACSEC_SCI, new byte[] {2, 0, 0, 0, 0, 1, 0, 5});
    b.attrU8(KindCodec.MACSEC_VALIDATION, 2);
    b.endNested(data);
    b.endNested(info);
    b.end();
    var m = NlMessage.parseAll(ByteBuffer.wrap(b.toBytes()).order(NATIVE)).get(0);
    var k = (LinkKind.Macsec) Link.read(m).kind();
    assertThat(k.port()).isEqualTo(5);
    assertThat(k.validation()).isEqualTo(2);
  }

  @Test
  void bondOptionsHaveOneSpellingAndTheirWireForms() {
    var arp = BondOptions.byName("arp_ip_target");
    assertThat(BondOptions.canonical(arp, " 198.18.0.1, 198.18.0.2 "))
        .isEqualTo("198.18.0.1,198.18.0.2");
    assertThatThrownBy(() -> BondOptions.canonical(arp, "2001:db8::1"))
        .hasMessageContaining("is not an IPv4 address");
    assertThat(BondOptions.canonical(BondOptions.byName("arp_validate"), "3")).isEqualTo("all");
    assertThat(BondOptions.canonical(BondOptions.byName("use_carrier"), false)).isEqualTo("false");
    assertThat(BondOptions.canonical(BondOptions.byName("ad_actor_system"), "02:00:00:00:00:0a"))
        .isEqualTo("02:00:00:00:00:0A");
    assertThatThrownBy(() -> BondOptions.canonical(BondOptions.byName("num_grat_arp"), 300))
        .hasMessageContaining("out of 0..255");

    var more =
        Map.of(
            8, "198.18.0.1,198.18.0.2",
            9, "all",
            6, "false",
            26, "02:00:00:00:00:0A",
            31, "2001:db8::9",
            24, "7");
    var bond =
        new LinkKind.Bond(
            LinkKind.BondMode.ACTIVE_BACKUP, null, null, null, null, null, null, more);
    var back = (LinkKind.Bond) roundTrip(bond);
    assertThat(back.more())
        .containsEntry(8, "198.18.0.1,198.18.0.2")
        .containsEntry(9, "all")
        .containsEntry(6, "false")
        .containsEntry(26, "02:00:00:00:00:0A")
        .containsEntry(24, "7");
    assertThat(back.more().get(31)).isEqualTo("2001:db8::9");
    assertThat(BondOptions.text(IpPrefix.parseAddress("2001:db8:0:1:0:0:0:1")))
        .isEqualTo("2001:db8:0:1::1");
    assertThat(BondOptions.text(IpPrefix.parseAddress("::1"))).isEqualTo("::1");
  }

  @Test
  void routeMetricsAndMultipathNextHopsWithWeights() {
    var base =
        Route.to(IpPrefix.parse("203.0.113.0/24"))
            .metric(50)
            .metrics(new Route.Metrics(1 << Route.Metrics.RTAX_CWND, 1360, 20, 10, 30, 1));
    var add =
        NlMessage.parseAll(
                ByteBuffer.wrap(RouteOps.addRequest(base.dev(2), false).encode(1)).order(NATIVE))
            .get(0);
    assertThat(Route.read(add).metrics()).isEqualTo(base.metrics());

    var hops =
        List.of(
            base.via(IpPrefix.parseAddress("198.18.7.254")).dev(2).weight(3),
            base.via(IpPrefix.parseAddress("198.18.8.254")).dev(3).weight(1));
    var mp =
        NlMessage.parseAll(
                ByteBuffer.wrap(RouteOps.multipathRequest(base, hops, true).encode(2))
                    .order(NATIVE))
            .get(0);
    assertThat(mp.flags() & Rtnl.NLM_F_REPLACE).isNotZero();
    var read = Route.readAll(mp);
    assertThat(read).hasSize(2);
    assertThat(read.get(0).gateway().getHostAddress()).isEqualTo("198.18.7.254");
    assertThat(read.get(0).oif()).isEqualTo(2);
    assertThat(read.get(0).weight()).isEqualTo(3);
    assertThat(read.get(1).oif()).isEqualTo(3);
    assertThat(read.get(1).weight()).isEqualTo(1);
    assertThat(read.get(1).metrics()).isEqualTo(base.metrics());
  }
}

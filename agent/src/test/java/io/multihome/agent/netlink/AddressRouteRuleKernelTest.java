package io.multihome.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multihome.agent.netlink.LinkKind.Veth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class AddressRouteRuleKernelTest {
  private ThrowawayNetns ns;
  private int veth;

  @BeforeEach
  void setUp() {
    ns = new ThrowawayNetns();
    ns.nl.links().add(LinkSpec.of("veth0", Veth.peer("veth1")).withUp(true));
    ns.nl.links().setUp("veth1");
    veth = ns.nl.links().get("veth0").index();
  }

  @AfterEach
  void tearDown() {
    ns.close();
  }

  @Test
  void addressesBothFamilies() {
    var v4 = IpPrefix.parse("198.18.0.1/24");
    var v6 = IpPrefix.parse("2001:db8::1/64");
    ns.nl.addresses().add(veth, v4);
    ns.nl.addresses().add(veth, v6);
    var addrs = ns.nl.addresses().list(veth);
    assertThat(addrs).extracting(Address::local).contains(v4, v6);
    assertThatThrownBy(() -> ns.nl.addresses().add(veth, v4))
        .hasMessageStartingWith("address add 198.18.0.1/24 dev index " + veth + ": EEXIST");
    ns.nl.addresses().replace(veth, v4);
    ns.nl.addresses().delete(veth, v4);
    assertThat(ns.nl.addresses().list(veth)).extracting(Address::local).doesNotContain(v4);
  }

  @Test
  void routesInMainAndCustomTable() {
    ns.nl.addresses().add(veth, IpPrefix.parse("198.18.0.1/24"));
    var gw = IpPrefix.parseAddress("198.18.0.254");
    Route dflt = Route.to(IpPrefix.parse("0.0.0.0/0")).via(gw).dev(veth).metric(100);
    Route custom =
        Route.to(IpPrefix.parse("203.0.113.0/24"))
            .dev(veth)
            .table(1000)
            .metric(5)
            .prefSrc(IpPrefix.parseAddress("198.18.0.1"));
    ns.nl.routes().add(dflt);
    ns.nl.routes().add(custom);
    var all = ns.nl.routes().list(Rtnl.AF_INET);
    assertThat(all)
        .anySatisfy(
            r -> {
              assertThat(r.isDefault()).isTrue();
              assertThat(r.gateway()).isEqualTo(gw);
              assertThat(r.metric()).isEqualTo(100);
              assertThat(r.table()).isEqualTo(Rtnl.Rta.TABLE_MAIN);
              assertThat(r.protocol()).isEqualTo(Rtnl.Rta.PROT_BOOT);
            });
    var inTable = ns.nl.routes().list(Rtnl.AF_INET, 1000);
    assertThat(inTable).hasSize(1);
    assertThat(inTable.get(0).dst()).isEqualTo(IpPrefix.parse("203.0.113.0/24"));
    assertThat(inTable.get(0).scope()).isEqualTo(Rtnl.Rta.SCOPE_LINK);
    assertThat(inTable.get(0).prefSrc()).isEqualTo(IpPrefix.parseAddress("198.18.0.1"));
    // local table routes are listed too: every table is dumped
    assertThat(all).anySatisfy(r -> assertThat(r.table()).isEqualTo(Rtnl.Rta.TABLE_LOCAL));

    assertThatThrownBy(() -> ns.nl.routes().add(custom))
        .hasMessageContaining("route add 203.0.113.0/24 dev index " + veth + " table 1000")
        .hasMessageContaining("EEXIST");
    ns.nl
        .routes()
        .replace(custom.metric(5).type(Rtnl.Rta.TYPE_UNICAST).protocol(Rtnl.Rta.PROT_STATIC));
    assertThat(ns.nl.routes().list(Rtnl.AF_INET, 1000).get(0).protocol())
        .isEqualTo(Rtnl.Rta.PROT_STATIC);
    ns.nl.routes().delete(custom);
    assertThat(ns.nl.routes().list(Rtnl.AF_INET, 1000)).isEmpty();
    ns.nl
        .routes()
        .add(Route.to(IpPrefix.parse("203.0.113.0/25")).type(Rtnl.Rta.TYPE_BLACKHOLE).scope(0));
    assertThat(ns.nl.routes().list(Rtnl.AF_INET, Rtnl.Rta.TABLE_MAIN))
        .anySatisfy(r -> assertThat(r.type()).isEqualTo(Rtnl.Rta.TYPE_BLACKHOLE));
  }

  @Test
  void ipv6Route() {
    ns.nl.addresses().add(veth, IpPrefix.parse("2001:db8::1/64"));
    ns.nl.routes().add(Route.to(IpPrefix.parse("2001:db8:1::/48")).dev(veth).metric(7));
    assertThat(ns.nl.routes().list(Rtnl.AF_INET6))
        .anySatisfy(
            r -> {
              assertThat(r.dst()).isEqualTo(IpPrefix.parse("2001:db8:1::/48"));
              assertThat(r.metric()).isEqualTo(7);
              assertThat(r.oif()).isEqualTo(veth);
            });
  }

  @Test
  void rules() {
    Rule rule =
        Rule.lookup(Rtnl.AF_INET, 1000, 100).from(IpPrefix.parse("198.18.0.0/24")).iif("veth0");
    Rule mark = Rule.lookup(Rtnl.AF_INET, 200, 101).fwmark(0x10, 0xff);
    ns.nl.rules().add(rule);
    ns.nl.rules().add(mark);
    var list = ns.nl.rules().list(Rtnl.AF_INET);
    assertThat(list)
        .anySatisfy(
            r -> {
              assertThat(r.priority()).isEqualTo(100);
              assertThat(r.table()).isEqualTo(1000);
              assertThat(r.src()).isEqualTo(IpPrefix.parse("198.18.0.0/24"));
              assertThat(r.iifName()).isEqualTo("veth0");
              assertThat(r.action()).isEqualTo(Rtnl.Fra.ACT_TO_TBL);
            });
    assertThat(list)
        .anySatisfy(
            r -> {
              assertThat(r.fwmark()).isEqualTo(0x10);
              assertThat(r.fwmask()).isEqualTo(0xff);
              assertThat(r.table()).isEqualTo(200);
            });
    assertThatThrownBy(() -> ns.nl.rules().add(rule))
        .hasMessageContaining("rule add 100: from 198.18.0.0/24");
    ns.nl.rules().delete(rule);
    assertThat(ns.nl.rules().list(Rtnl.AF_INET))
        .noneMatch(r -> Integer.valueOf(100).equals(r.priority()));
  }
}

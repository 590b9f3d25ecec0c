package io.multihome.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.state.BridgeConfig.PortVlanMode;
import io.multihome.state.BridgeConfig.TrunkTag;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Field-level reading of every interface kind and of the routing sections. */
class StateParserTest {

  private static DesiredState parse(String kind) throws IOException {
    var result = StateParser.parse(StateRoundTripTest.KINDS.get(kind));
    assertThat(result.problems()).isEmpty();
    return result.state();
  }

  @Test
  void ethernetWithSrIov() throws IOException {
    var eth = (Interface.Ethernet) parse("ethernet").interfaces().get(0);
    assertThat(eth.kind()).isEqualTo(InterfaceType.ETHERNET);
    var c = eth.common();
    assertThat(c.name()).isEqualTo("eth1");
    assertThat(c.state()).isEqualTo(InterfaceState.UP);
    assertThat(c.mtu()).isEqualTo(9000);
    assertThat(c.macAddress()).isEqualTo("02:00:5E:10:00:01");
    assertThat(c.description()).isEqualTo("uplink");
    assertThat(c.ipv4().address())
        .containsExactly(new IpConfig.Address("198.18.0.10", 24, Extras.NONE));
    assertThat(c.ipv6().autoconf()).isTrue();
    assertThat(c.ipv6().autoRouteTableId()).isEqualTo(200L);
    assertThat(eth.ethernet().speed()).isEqualTo(10000);
    var sriov = eth.ethernet().srIov();
    assertThat(sriov.totalVfs()).isEqualTo(2);
    assertThat(sriov.vfs()).hasSize(2);
    var vf0 = sriov.vfs().get(0);
    assertThat(vf0.id()).isZero();
    assertThat(vf0.vlanId()).isEqualTo(101);
    assertThat(vf0.qos()).isEqualTo(3);
    assertThat(vf0.vlanProto()).isEqualTo("802.1ad");
    assertThat(vf0.spoofCheck()).isTrue();
    assertThat(vf0.trust()).isFalse();
    assertThat(sriov.vfs().get(1).macAddress()).isNull();
  }

  @Test
  void linuxBridgeWithStpAndPortVlans() throws IOException {
    var br = (Interface.LinuxBridge) parse("linux-bridge").interfaces().get(0);
    var opts = br.bridge().options();
    assertThat(opts.stp()).isEqualTo(new BridgeConfig.Stp(true, 15, 2, 20, 32768));
    assertThat(opts.macAgeingTime()).isEqualTo(300L);
    assertThat(opts.vlanProtocol()).isEqualTo("802.1q");
    assertThat(br.portNames()).containsExactly("eth1", "eth2");
    var trunk = br.bridge().port().get(0).vlan();
    assertThat(trunk.mode()).isEqualTo(PortVlanMode.TRUNK);
    assertThat(trunk.tag()).isEqualTo(100);
    assertThat(trunk.enableNative()).isTrue();
    assertThat(trunk.trunkTags()).containsExactly(TrunkTag.id(101), TrunkTag.range(200, 299));
    assertThat(br.bridge().port().get(0).stpPathCost()).isEqualTo(100);
    var access = br.bridge().port().get(1).vlan();
    assertThat(access).isEqualTo(new BridgeConfig.PortVlan(PortVlanMode.ACCESS, 300, null, null));
  }

  @Test
  void vlanVethMacVlanMacVtapVxlan() throws IOException {
    var vlan = (Interface.Vlan) parse("vlan").interfaces().get(0);
    assertThat(vlan.vlan())
        .isEqualTo(new Interface.VlanConfig("eth1", 102, "802.1q", "mvrp", true, false));
    var veths = parse("veth").interfaces();
    assertThat(((Interface.Veth) veths.get(0)).veth().peer()).isEqualTo("veth1-peer");
    assertThat(((Interface.Veth) veths.get(1)).veth()).isNull();
    assertThat(veths.get(1).common().state()).isEqualTo(InterfaceState.DOWN);
    var mac = (Interface.MacVlan) parse("mac-vlan").interfaces().get(0);
    assertThat(mac.macVlan())
        .isEqualTo(new Interface.MacVlanConfig("eth1", MacVlanMode.VEPA, true));
    var tap = (Interface.MacVtap) parse("mac-vtap").interfaces().get(0);
    assertThat(tap.macVtap().mode()).isEqualTo(MacVlanMode.PASSTHRU);
    assertThat(tap.kind()).isEqualTo(InterfaceType.MAC_VTAP);
    var vx = (Interface.Vxlan) parse("vxlan").interfaces().get(0);
    assertThat(vx.vxlan())
        .isEqualTo(new Interface.VxlanConfig("eth1", 10, "198.18.5.2", "198.18.5.1", false, 4789));
  }

  @Test
  void bondDummyLoopbackUntyped() throws IOException {
    var bond = (Interface.Bond) parse("bond").interfaces().get(0);
    assertThat(bond.linkAggregation().mode()).isEqualTo(BondMode.LACP);
    assertThat(bond.linkAggregation().options())
        .containsOnlyKeys("miimon", "lacp_rate", "xmit_hash_policy");
    assertThat(bond.linkAggregation().options().get("miimon").asInt()).isEqualTo(100);
    assertThat(bond.linkAggregation().port()).containsExactly("eth1", "eth2");
    var rest = parse("dummy-loopback-untyped").interfaces();
    assertThat(rest.get(0)).isInstanceOf(Interface.Dummy.class);
    assertThat(rest.get(1)).isInstanceOf(Interface.Loopback.class);
    assertThat(rest.get(1).common().mtu()).isEqualTo(65536);
    assertThat(rest.get(2)).isInstanceOf(Interface.Untyped.class);
    assertThat(rest.get(2).kind()).isNull();
    assertThat(rest.get(2).common().isAbsent()).isTrue();
  }

  @Test
  void aTypeSectionImpliesTheType() throws IOException {
    var parsed = StateParser.parse("interfaces: [{name: br9, bridge: {port: [{name: eth1}]}}]");
    assertThat(parsed.problems()).isEmpty();
    var iface = parsed.state().interfaces().get(0);
    assertThat(iface).isInstanceOf(Interface.LinuxBridge.class);
    assertThat(iface.common().type()).isNull();
    assertThat(StateWriter.toYaml(parsed.state())).doesNotContain("type:");
  }

  @Test
  void routesRulesAndDns() throws IOException {
    var s = parse("routes-rules-dns");
    assertThat(s.description()).isEqualTo("routing");
    assertThat(s.routes()).hasSize(3);
    var r0 = s.routes().get(0);
    assertThat(r0.destination()).isEqualTo("198.19.0.0/16");
    assertThat(r0.nextHopInterface()).isEqualTo("eth1");
    assertThat(r0.nextHopAddress()).isEqualTo("198.18.1.1");
    assertThat(r0.metric()).isEqualTo(150L);
    assertThat(r0.tableId()).isEqualTo(100L);
    assertThat(r0.weight()).isEqualTo(2);
    assertThat(r0.absent()).isFalse();
    assertThat(s.routes().get(1).routeType()).isEqualTo("blackhole");
    assertThat(s.routes().get(2).absent()).isTrue();
    assertThat(s.routes().get(2).destination()).isNull();
    var rule = s.routeRules().get(0);
    assertThat(rule.ipFrom()).isEqualTo("198.18.2.0/24");
    assertThat(rule.routeTable()).isEqualTo(100L);
    assertThat(rule.fwmark()).isEqualTo(16L);
    assertThat(rule.suppressPrefixLength()).isZero();
    assertThat(s.routeRules().get(1).absent()).isTrue();
    assertThat(s.dns().server()).containsExactly("198.18.0.53", "2001:db8::53");
    assertThat(s.dns().search()).containsExactly("example.com");
    assertThat(s.dns().options()).containsExactly("rotate");
  }

  @Test
  void emptyDnsConfigMeansPurge() throws IOException {
    var s = StateParser.parse("dns-resolver: {config: {}}").state();
    assertThat(s.dns()).isEqualTo(new DnsConfig(null, null, null));
    assertThat(StateWriter.toYaml(s)).isEqualTo("dns-resolver:\n  config: {}\n");
  }

  @Test
  void hexMarksAreRead() throws IOException {
    var s =
        StateParser.parse("route-rules: {config: [{ip-from: 198.18.0.0/24, fwmark: \"0x10\"}]}")
            .state();
    assertThat(s.routeRules().get(0).fwmark()).isEqualTo(16L);
  }
}

package io.multihome.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Valid nmstate the validator used to refuse (issue 15, item 6). */
class NmstateAcceptanceTest {

  private static List<String> problems(String yaml, boolean exists) throws IOException {
    var parsed = StateParser.parse(yaml);
    var all = new java.util.ArrayList<String>();
    parsed.problems().forEach(p -> all.add(p.toString()));
    StateValidator.validate(parsed.state(), n -> exists).forEach(p -> all.add(p.toString()));
    return all;
  }

  @Test
  void typeUnknownIsResolvedFromTheNodeLikeNoType() throws IOException {
    var parsed = StateParser.parse("interfaces: [{name: eth1, type: unknown, mtu: 1400}]");
    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.state().interfaces().get(0)).isInstanceOf(Interface.Untyped.class);
    assertThat(parsed.state().interfaces().get(0).common().mtu()).isEqualTo(1400);
    assertThat(StateValidator.validate(parsed.state())).isEmpty();
  }

  /** nmstate examples/policy/bridge_ref_port_by_mac/policy.yml writes balance-slb: 1. */
  @Test
  void bondBalanceSlbIsABondOption() throws IOException {
    var yaml =
        """
        interfaces:
        - name: bond0
          type: bond
          link-aggregation:
            mode: balance-xor
            options: {balance-slb: 1}
            port: [eth1, eth2]
        """;
    assertThat(problems(yaml, false)).isEmpty();
    var bond = (Interface.Bond) StateParser.parse(yaml).state().interfaces().get(0);
    assertThat(bond.linkAggregation().options()).containsOnlyKeys("balance_slb");
  }

  @Test
  void bothSpellingsOfTheGroupMaskAreFineWhenEqual() throws IOException {
    var same =
        "interfaces: [{name: br0, type: linux-bridge, bridge: {options: "
            + "{group-forward-mask: 8, group-fwd-mask: 8}}}]";
    assertThat(problems(same, false)).isEmpty();
    var different = same.replace("group-fwd-mask: 8", "group-fwd-mask: 4");
    assertThat(problems(different, false))
        .containsExactly(
            "interfaces[0].bridge.options.group-forward-mask: 'group-forward-mask' and"
                + " 'group-fwd-mask' are the same setting with different values");
  }

  @Test
  void anExistingVlanNeedsNoBaseIfaceANewOneDoes() throws IOException {
    var yaml = "interfaces: [{name: eth1.4, type: vlan, vlan: {id: 4}}]";
    assertThat(problems(yaml, true)).isEmpty();
    assertThat(problems(yaml, false))
        .containsExactly("interfaces[0].vlan.base-iface: is required to create vlan 'eth1.4'");
  }

  @Test
  void ipTunnelIsAKnownTypeNotSupportedYet() throws IOException {
    assertThat(problems("interfaces: [{name: tun0, type: ip-tunnel}]", false))
        .containsExactly(
            "interfaces[0].type: interface type 'ip-tunnel' is not supported yet by multihome");
  }

  @Test
  void nmstateShowKeysOfEveryInterfaceAreAccepted() throws IOException {
    var yaml =
        """
        interfaces:
        - name: eth1
          type: ethernet
          state: up
          accept-all-mac-addresses: false
          lldp: {enabled: false}
          ethtool: {feature: {rx-checksum: true}}
          ipv6: {enabled: true, addr-gen-mode: eui64, address: []}
        """;
    assertThat(problems(yaml, true)).isEmpty();
  }
}

package io.multihome.state;

import static io.multihome.state.StateValidatorTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The interface options of issue 19 in the model: read into typed fields, written back in one
 * spelling, and checked with their paths.
 */
class InterfaceOptionsTest {

  private static InterfaceOptions options(String yaml) throws IOException {
    var parsed = StateParser.parse(Documents.readSingle(yaml));
    assertThat(parsed.problems()).isEmpty();
    return parsed.state().interfaces().get(0).common().options();
  }

  @Test
  void everyOptionIsReadAndWrittenBack() throws IOException {
    var yaml =
        """
        interfaces:
        - name: wan0
          profile-name: uplink
          type: ethernet
          identifier: mac-address
          mac-address: 02:00:5E:10:00:01
          alt-names:
          - name: port1
          - name: old
            state: absent
          ethtool:
            pause: {autoneg: false, rx: true, tx: true}
            feature: {gro: true, tx-checksum-ip-generic: "0"}
            ring: {rx: 512, tx: 256, rx-max: 4096}
            coalesce: {adaptive-rx: true, rx-usecs: 10}
          dispatch:
            post-activation: echo up
            post-deactivation: ""
          lldp:
            enabled: true
            neighbors: [[{type: 5, system-name: sw1}]]
        """;
    var o = options(yaml);

    assertThat(o.identifier()).isEqualTo(Identifier.MAC_ADDRESS);
    assertThat(o.profileName()).isEqualTo("uplink");
    assertThat(o.altNames())
        .containsExactly(
            new InterfaceOptions.AltName("port1", false),
            new InterfaceOptions.AltName("old", true));
    assertThat(o.ethtool().feature())
        .isEqualTo(Map.of("rx-gro", true, "tx-checksum-ip-generic", false));
    assertThat(o.ethtool().ring().rx()).isEqualTo(512L);
    assertThat(o.ethtool().ring().extras().queryOnly()).containsKey("rx-max");
    assertThat(o.ethtool().coalesce().numbers()).isEqualTo(Map.of("rx-usecs", 10L));
    assertThat(o.dispatch()).isEqualTo(new InterfaceOptions.Dispatch("echo up", ""));
    assertThat(o.lldpNeighbors()).hasSize(1);

    var written = StateWriter.toYaml(StateParser.parse(Documents.readSingle(yaml)).state());
    assertThat(written)
        .contains(
            "profile-name: uplink",
            "identifier: mac-address",
            "rx-gro: true",
            "tx-checksum-ip-generic: false",
            "rx-max: 4096",
            "post-deactivation: \"\"",
            "system-name: sw1");
    var again = StateParser.parse(Documents.readSingle(written));
    assertThat(again.problems()).isEmpty();
    assertThat(again.state()).isEqualTo(StateParser.parse(Documents.readSingle(yaml)).state());
    assertThat(problems(yaml)).isEmpty();
  }

  @Test
  void identifiersNeedTheirAddressAndAnEthernetType() throws IOException {
    assertThat(
            problems(
                """
                interfaces:
                - {name: wan0, type: ethernet, identifier: mac-address}
                - {name: wan1, type: ethernet, identifier: pci-address, pci-address: "07:00.0"}
                - {name: br0, type: linux-bridge, identifier: pci-address, pci-address: "0000:07:00.0"}
                - {name: eth3, profile-name: other}
                - name: a-profile-name-longer-than-fifteen
                  type: ethernet
                  identifier: pci-address
                  pci-address: "0000:07:00.1"
                """))
        .containsExactly(
            "interfaces[0].mac-address: is required with identifier: mac-address (it tells which"
                + " interface this is)",
            "interfaces[1].pci-address: '07:00.0' is not a PCI address (expected"
                + " domain:bus:device.function like 0000:07:00.0)",
            "interfaces[2].identifier: identifier: pci-address is for ethernet interfaces only",
            "interfaces[3].profile-name: a profile-name other than the interface name needs"
                + " identifier: mac-address or pci-address");
  }

  @Test
  void altNamesCopyMacFromAndEthtoolAreCheckedAtTheirPaths() throws IOException {
    assertThat(
            problems(
                """
                interfaces:
                - name: eth1
                  alt-names: [{name: eth1}, {name: "a b"}, {name: p1}, {name: p1}, {name: x, state: up}]
                  ethtool:
                    feature: {gro: true, rx-gro: false}
                    ring: {rx: -1}
                - {name: eth2, type: ethernet, copy-mac-from: eth1}
                - {name: br0, type: linux-bridge, copy-mac-from: eth9, mac-address: "02:00:00:00:00:01"}
                - {name: eth9, state: absent}
                """))
        .containsExactlyInAnyOrder(
            "interfaces[0].alt-names[4].state: 'up' is not valid here; the only state is absent",
            "interfaces[0].ethtool.feature.rx-gro: sets feature rx-gro to false, which the"
                + " section already sets to true",
            "interfaces[0].alt-names[0].name: an alternative name cannot be the interface's own"
                + " name",
            "interfaces[0].alt-names[1].name: 'a b' must not contain '/', ':' or whitespace",
            "interfaces[0].alt-names[3].name: 'p1' is listed twice",
            "interfaces[0].ethtool.ring.rx: -1 is outside 0..4294967295",
            "interfaces[1].copy-mac-from: copy-mac-from applies to bond and linux-bridge"
                + " interfaces only",
            "interfaces[2].copy-mac-from: give either copy-mac-from or mac-address, not both",
            "interfaces[2].copy-mac-from: copy-mac-from 'eth9' is marked state: absent at"
                + " interfaces[3]; remove the reference or keep the interface");
  }

  @Test
  void theRunningHostNameIsAField() throws IOException {
    var s = StateParser.parse(Documents.readSingle("hostname: {running: a, config: b}")).state();
    assertThat(s.hostname()).isEqualTo(new DesiredState.Hostname("b", "a"));
    assertThat(List.of(StateWriter.toYaml(s))).allMatch(y -> y.contains("running: a"));
  }
}

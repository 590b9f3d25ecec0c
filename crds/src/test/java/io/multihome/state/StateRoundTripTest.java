package io.multihome.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Byte-level round trips: a state written in the writer's canonical key order comes back
 * byte-for-byte, and parse → write → parse gives an equal model, for every interface kind.
 */
class StateRoundTripTest {

  static final Map<String, String> KINDS =
      Map.ofEntries(
          Map.entry(
              "ethernet",
              """
              interfaces:
              - name: eth1
                description: uplink
                type: ethernet
                state: up
                mac-address: 02:00:5E:10:00:01
                mtu: 9000
                ipv4:
                  enabled: true
                  dhcp: false
                  address:
                  - ip: 198.18.0.10
                    prefix-length: 24
                ipv6:
                  enabled: true
                  dhcp: true
                  autoconf: true
                  auto-dns: false
                  auto-gateway: true
                  auto-routes: true
                  auto-route-table-id: 200
                  auto-route-metric: 50
                  address:
                  - ip: 2001:db8::10
                    prefix-length: 64
                ethernet:
                  auto-negotiation: false
                  speed: 10000
                  duplex: full
                  sr-iov:
                    total-vfs: 2
                    drivers-autoprobe: true
                    vfs:
                    - id: 0
                      mac-address: 02:00:5E:10:00:02
                      spoof-check: true
                      trust: false
                      min-tx-rate: 0
                      max-tx-rate: 100
                      vlan-id: 101
                      qos: 3
                      vlan-proto: 802.1ad
                    - id: 1
              """),
          Map.entry(
              "linux-bridge",
              """
              interfaces:
              - name: br1
                type: linux-bridge
                state: up
                ipv4:
                  enabled: false
                bridge:
                  options:
                    stp:
                      enabled: true
                      forward-delay: 15
                      hello-time: 2
                      max-age: 20
                      priority: 32768
                    mac-ageing-time: 300
                    group-fwd-mask: 0
                    group-addr: 01:80:C2:00:00:00
                    multicast-snooping: true
                    vlan-protocol: 802.1q
                    vlan-default-pvid: 1
                  port:
                  - name: eth1
                    stp-hairpin-mode: false
                    stp-path-cost: 100
                    stp-priority: 32
                    vlan:
                      mode: trunk
                      tag: 100
                      enable-native: true
                      trunk-tags:
                      - id: 101
                      - id-range:
                          min: 200
                          max: 299
                  - name: eth2
                    vlan:
                      mode: access
                      tag: 300
              """),
          Map.entry(
              "vlan",
              """
              interfaces:
              - name: eth1.102
                type: vlan
                state: up
                vlan:
                  base-iface: eth1
                  id: 102
                  protocol: 802.1q
                  registration-protocol: mvrp
                  reorder-headers: true
                  loose-binding: false
              """),
          Map.entry(
              "veth",
              """
              interfaces:
              - name: veth1
                type: veth
                state: up
                veth:
                  peer: veth1-peer
              - name: veth1-peer
                type: veth
                state: down
              """),
          Map.entry(
              "mac-vlan",
              """
              interfaces:
              - name: mac0
                type: mac-vlan
                state: up
                mac-vlan:
                  base-iface: eth1
                  mode: vepa
                  promiscuous: true
              """),
          Map.entry(
              "mac-vtap",
              """
              interfaces:
              - name: mvtap0
                type: mac-vtap
                state: up
                mac-vtap:
                  base-iface: eth2
                  mode: passthru
                  promiscuous: false
              """),
          Map.entry(
              "vxlan",
              """
              interfaces:
              - name: vxlan10
                type: vxlan
                state: up
                vxlan:
                  base-iface: eth1
                  id: 10
                  remote: 198.18.5.2
                  local: 198.18.5.1
                  learning: false
                  destination-port: 4789
              """),
          Map.entry(
              "bond",
              """
              interfaces:
              - name: bond0
                type: bond
                state: up
                link-aggregation:
                  mode: 802.3ad
                  options:
                    miimon: 100
                    lacp_rate: fast
                    xmit_hash_policy: layer3+4
                  port:
                  - eth1
                  - eth2
              """),
          Map.entry(
              "dummy-loopback-untyped",
              """
              interfaces:
              - name: dummy0
                type: dummy
                state: up
              - name: lo
                type: loopback
                state: up
                mtu: 65536
              - name: eth2
                state: absent
              """),
          Map.entry(
              "routes-rules-dns",
              """
              description: routing
              routes:
                config:
                - destination: 198.19.0.0/16
                  next-hop-interface: eth1
                  next-hop-address: 198.18.1.1
                  metric: 150
                  table-id: 100
                  weight: 2
                  source: 198.18.1.10
                  mtu: 1400
                - destination: 203.0.113.0/24
                  route-type: blackhole
                - next-hop-interface: eth1
                  state: absent
              route-rules:
                config:
                - family: ipv4
                  ip-from: 198.18.2.0/24
                  ip-to: 203.0.113.0/24
                  priority: 1000
                  route-table: 100
                  fwmark: 16
                  fwmask: 255
                  iif: eth1
                  suppress-prefix-length: 0
                - priority: 1001
                  action: prohibit
                  state: absent
              dns-resolver:
                config:
                  server:
                  - 198.18.0.53
                  - 2001:db8::53
                  search:
                  - example.com
                  options:
                  - rotate
              """),
          Map.entry(
              "unsupported-and-query-only",
              """
              interfaces:
              - name: eth1
                type: ethernet
                state: up
                ipv4:
                  enabled: true
                  dhcp: true
                  dhcp-client-id: mac
                ethtool:
                  feature:
                    rx-gro: true
                lldp:
                  enabled: true
                min-mtu: 68
                max-mtu: 9702
              - name: ovs0
                type: ovs-bridge
                state: up
                bridge:
                  port:
                  - name: eth2
              - name: vrf0
                type: vrf
                state: up
                vrf:
                  port:
                  - eth1
                  route-table-id: 100
              routes:
                config: []
                running:
                - destination: 0.0.0.0/0
                  next-hop-interface: eth1
              hostname:
                config: node01
              """),
          Map.entry(
              "templates",
              """
              interfaces:
              - name: br1
                type: linux-bridge
                state: up
                mtu: "{{ capture.base-iface.interfaces.0.mtu }}"
                ipv4: "{{ capture.base-iface.interfaces.0.ipv4 }}"
                bridge:
                  port:
                  - name: "{{ capture.base-iface.interfaces.0.name }}"
                  - "{{ capture.extra-port.interfaces.0 }}"
              - "{{ capture.whole.interfaces.0 }}"
              routes:
                config: "{{ capture.bridge-routes.routes.running }}"
              dns-resolver:
                config:
                  server:
                  - "{{ capture.dns.dns-resolver.running.server.0 }}"
                  - 198.18.0.53
              """));

  static Iterable<String> kinds() {
    return KINDS.keySet().stream().sorted().toList();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void canonicalYamlComesBackByteForByte(String kind) throws IOException {
    var text = KINDS.get(kind);
    var parsed = StateParser.parse(text);
    assertThat(parsed.problems()).isEmpty();
    assertThat(StateWriter.toYaml(parsed.state())).isEqualTo(text);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void parseWriteParseGivesAnEqualModelAndTheSameBytes(String kind) throws IOException {
    var first = StateParser.parse(KINDS.get(kind)).state();
    var written = StateWriter.toYaml(first);
    var second = StateParser.parse(written).state();
    assertThat(second).isEqualTo(first);
    assertThat(StateWriter.toYaml(second)).isEqualTo(written);
  }

  @Test
  void jsonInputGivesTheSameModelAsYaml() throws IOException {
    var yaml = StateParser.parse(KINDS.get("linux-bridge")).state();
    var json = StateWriter.toTree(yaml).toString();
    assertThat(json).startsWith("{");
    assertThat(StateParser.parse(json).state()).isEqualTo(yaml);
  }

  @Test
  void aliasesAreReadAndWrittenByTheirCanonicalNames() throws IOException {
    var parsed =
        StateParser.parse(
            """
            interfaces:
            - name: br1
              type: linux-bridge
              bridge:
                options:
                  group-forward-mask: 8
                ports:
                - name: eth1
            - name: bond0
              type: bond
              link-aggregation:
                mode: 1
                ports: [eth2]
            - name: mac0
              type: mac-vlan
              mac-vlan: {base-iface: eth1, mode: bridge, accept-all-mac: true}
            """);
    assertThat(parsed.problems()).isEmpty();
    var yaml = StateWriter.toYaml(parsed.state());
    assertThat(yaml)
        .contains("group-fwd-mask: 8", "port:\n    - name: eth1", "mode: active-backup")
        .contains("port:\n    - eth2", "promiscuous: true")
        .doesNotContain("ports:", "accept-all-mac", "group-forward-mask");
    var bridge = (Interface.LinuxBridge) parsed.state().interfaces().get(0);
    assertThat(bridge.portNames()).containsExactly("eth1");
  }

  @Test
  void numbersAndBooleansWrittenAsStringsAreRead() throws IOException {
    var parsed =
        StateParser.parse(
            """
            interfaces:
            - name: eth1
              mtu: "1500"
              ipv4: {enabled: "true", dhcp: "false"}
            """);
    assertThat(parsed.problems()).isEmpty();
    var c = parsed.state().interfaces().get(0).common();
    assertThat(c.mtu()).isEqualTo(1500);
    assertThat(c.ipv4().enabled()).isTrue();
    assertThat(parsed.state().interfaces().get(0)).isInstanceOf(Interface.Untyped.class);
  }
}

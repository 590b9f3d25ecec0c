package io.multihome.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateValidatorTest {

  static List<String> problems(String yaml) throws IOException {
    return StateValidator.check(Documents.readSingle(yaml)).stream()
        .map(Problem::toString)
        .toList();
  }

  @Test
  void aValidStateHasNoProblems() throws IOException {
    assertThat(
            problems(
                """
                interfaces:
                - name: eth1.102
                  type: vlan
                  vlan: {base-iface: eth1, id: 102}
                  ipv4: {enabled: true, address: [{ip: 198.18.0.1, prefix-length: 24}]}
                """))
        .isEmpty();
  }

  @Test
  void vlanIdOutOfRange() throws IOException {
    assertThat(
            problems(
                """
                interfaces:
                - {name: eth1, type: ethernet}
                - {name: eth2, type: ethernet}
                - name: eth1.4095
                  type: vlan
                  vlan: {base-iface: eth1, id: 4095}
                """))
        .containsExactly("interfaces[2].vlan.id: 4095 is outside 1..4094");
  }

  @Test
  void interfaceNameRules() throws IOException {
    assertThat(
            problems(
                """
                interfaces:
                - {name: a-very-long-name-x, type: dummy}
                - {name: eth/1, type: dummy}
                - {name: "eth 1", type: dummy}
                - {name: "eth:1", type: dummy}
                - {name: "sriov:eth1:3", type: ethernet}
                - {name: "sriov:eth1", type: ethernet}
                - {name: "", type: dummy}
                """))
        .containsExactly(
            "interfaces[0].name: 'a-very-long-name-x' is 18 bytes long; Linux allows at most 15",
            "interfaces[1].name: 'eth/1' must not contain '/'",
            "interfaces[2].name: 'eth 1' must not contain whitespace",
            "interfaces[3].name: 'eth:1' must not contain ':' (only VF references like"
                + " sriov:eth1:0 may)",
            "interfaces[5].name: 'sriov:eth1' is not a VF reference; the form is"
                + " sriov:<pf-name>:<vf-id>",
            "interfaces[6].name: must not be empty");
  }

  @Test
  void duplicateNamesAreReportedAtTheSecondOccurrence() throws IOException {
    assertThat(problems("interfaces: [{name: eth1}, {name: eth2}, {name: eth1, mtu: 1400}]"))
        .containsExactly(
            "interfaces[2].name: duplicate interface name 'eth1' (first at interfaces[0])");
  }

  @Test
  void addressesMustFitTheirFamilyAndPrefix() throws IOException {
    assertThat(
            problems(
                """
                interfaces:
                - name: eth1
                  ipv4:
                    enabled: true
                    address:
                    - {ip: 2001:db8::1, prefix-length: 64}
                    - {ip: 198.18.0.300, prefix-length: 24}
                    - {ip: 198.18.0.1, prefix-length: 33}
                  ipv6:
                    enabled: true
                    address:
                    - {ip: 2001:db8::1, prefix-length: 129}
                    - {ip: 2001:db8::1:2:3:4:5:6:7, prefix-length: 64}
                """))
        .containsExactly(
            "interfaces[0].ipv4.address[0].ip: '2001:db8::1' is an IPv6 address in the ipv4"
                + " section",
            "interfaces[0].ipv4.address[1].ip: '198.18.0.300' is not an IP address",
            "interfaces[0].ipv4.address[2].prefix-length: 33 is outside 0..32",
            "interfaces[0].ipv6.address[0].prefix-length: 129 is outside 0..128",
            "interfaces[0].ipv6.address[1].ip: '2001:db8::1:2:3:4:5:6:7' is not an IP address");
  }

  @Test
  void mtuRange() throws IOException {
    assertThat(
            problems(
                """
                interfaces:
                - {name: eth1, mtu: 67}
                - {name: eth2, mtu: 65536}
                - {name: eth3, mtu: 1000, ipv6: {enabled: true, dhcp: true, autoconf: true}}
                - {name: lo, type: loopback, mtu: 65536}
                """))
        .containsExactly(
            "interfaces[0].mtu: 67 is outside 68..65535",
            "interfaces[1].mtu: 65536 is outside 68..65535",
            "interfaces[2].mtu: 1000 is below 1280, the minimum MTU with IPv6 enabled");
  }

  @Test
  void bridgePortVlanRules() throws IOException {
    assertThat(
            problems(
                """
                interfaces:
                - name: br1
                  type: linux-bridge
                  bridge:
                    port:
                    - name: eth1
                      vlan: {mode: trunk}
                    - name: eth2
                      vlan: {mode: access}
                    - name: eth3
                      vlan:
                        mode: trunk
                        tag: 10
                        trunk-tags: [{id: 100}, {id-range: {min: 50, max: 150}}, {id: 4095}]
                    - name: eth4
                      vlan: {mode: access, tag: 5, enable-native: true, trunk-tags: [{id: 7}]}
                    - name: eth5
                      vlan:
                        mode: trunk
                        trunk-tags: [{id-range: {min: 300, max: 200}}, {id: 1, id-range: {min: 2, max: 3}}]
                """))
        .containsExactly(
            "interfaces[0].bridge.port[4].vlan.trunk-tags[1]: give exactly one of 'id' or"
                + " 'id-range'",
            "interfaces[0].bridge.port[0].vlan.trunk-tags: trunk mode needs at least one entry in"
                + " trunk-tags",
            "interfaces[0].bridge.port[1].vlan.tag: access mode needs tag (the port's VLAN id)",
            "interfaces[0].bridge.port[2].vlan.tag: a tag on a trunk port is its native VLAN and"
                + " needs enable-native: true",
            "interfaces[0].bridge.port[2].vlan.trunk-tags[2].id: 4095 is outside 1..4094",
            "interfaces[0].bridge.port[2].vlan.trunk-tags[1]: VLANs 50..150 overlaps"
                + " trunk-tags[0] (VLAN 100)",
            "interfaces[0].bridge.port[3].vlan.trunk-tags: access mode takes no trunk-tags; use"
                + " mode: trunk",
            "interfaces[0].bridge.port[3].vlan.enable-native: enable-native is only valid in"
                + " trunk mode",
            "interfaces[0].bridge.port[4].vlan.trunk-tags[0].id-range: min 300 is greater than"
                + " max 200");
  }

  @Test
  void newBondNeedsAModeAndNewVethAPeer() throws IOException {
    var yaml =
        """
        interfaces:
        - {name: bond0, type: bond, link-aggregation: {port: [eth1]}}
        - {name: veth0, type: veth}
        - {name: veth1, type: veth, veth: {peer: veth1-br}}
        - {name: veth1-br, type: veth}
        """;
    assertThat(problems(yaml))
        .containsExactly(
            "interfaces[0].link-aggregation.mode: bond mode is mandatory for a new bond; one of"
                + " balance-rr, active-backup, balance-xor, broadcast, 802.3ad, balance-tlb,"
                + " balance-alb",
            "interfaces[1].veth.peer: is required to create veth 'veth0' (the name of the other"
                + " end of the pair)");
    // On a node where both exist already, the document only changes them.
    var state = StateParser.parse(Documents.readSingle(yaml)).state();
    assertThat(StateValidator.validate(state, name -> true)).isEmpty();
  }

  @Test
  void referencesToInterfacesTheDocumentRemoves() throws IOException {
    assertThat(
            problems(
                """
                interfaces:
                - {name: eth1, state: absent}
                - {name: br1, type: linux-bridge, bridge: {port: [{name: eth1}]}}
                - {name: eth1.10, type: vlan, vlan: {base-iface: eth1, id: 10}}
                - {name: eth2, controller: eth1}
                routes:
                  config:
                  - {destination: 198.19.0.0/16, next-hop-interface: eth1}
                  - {destination: 198.19.1.0/24, next-hop-interface: eth1, state: absent}
                """))
        .containsExactly(
            "interfaces[1].bridge.port[0].name: port 'eth1' is marked state: absent at"
                + " interfaces[0]; remove the reference or keep the interface",
            "interfaces[2].vlan.base-iface: base-iface 'eth1' is marked state: absent at"
                + " interfaces[0]; remove the reference or keep the interface",
            "interfaces[3].controller: controller 'eth1' is marked state: absent at"
                + " interfaces[0]; remove the reference or keep the interface",
            "routes.config[0].next-hop-interface: next-hop-interface 'eth1' is marked state:"
                + " absent at interfaces[0]; remove the reference or keep the interface");
  }

  @Test
  void routesNeedADestinationUnlessAbsent() throws IOException {
    assertThat(
            problems(
                """
                routes:
                  config:
                  - {next-hop-interface: eth1, next-hop-address: 198.18.0.1}
                  - {next-hop-interface: eth1, state: absent}
                  - {destination: 198.19.0.0/33, next-hop-interface: eth1}
                  - {destination: 2001:db8::/32, next-hop-interface: eth1, next-hop-address: 198.18.0.1}
                  - {destination: 198.19.0.0/16}
                  - {destination: 198.19.0.0/16, route-type: blackhole, next-hop-interface: eth1}
                  - {destination: 198.19.0.0/16, next-hop-interface: eth1, weight: 0}
                """))
        .containsExactly(
            "routes.config[0].destination: is required (only a route with state: absent may"
                + " leave it out)",
            "routes.config[2].destination: prefix length '33' of '198.19.0.0/33' is outside"
                + " 0..32",
            "routes.config[3].next-hop-address: '198.18.0.1' is IPv4 but the destination is"
                + " IPv6",
            "routes.config[4].next-hop-interface: is required unless route-type is blackhole,"
                + " unreachable or prohibit",
            "routes.config[5].route-type: a blackhole route cannot have a next hop",
            "routes.config[6].weight: 0 is outside 1..256");
  }

  @Test
  void routeRulesAndDns() throws IOException {
    assertThat(
            problems(
                """
                route-rules:
                  config:
                  - {priority: 100, route-table: 100}
                  - {ip-from: 2001:db8::/64, family: ipv4}
                  - {ip-to: 198.18.0.0/24, fwmask: 255}
                  - {priority: 100, state: absent}
                dns-resolver:
                  config:
                    server: [198.18.0.53, "fe80::1%eth1", dns.example.com]
                    search: ["bad domain"]
                    options: [rotate, ndots:2, fastest]
                """))
        .containsExactly(
            "route-rules.config[0]: needs ip-from, ip-to or family",
            "route-rules.config[1].ip-from: '2001:db8::/64' is an IPv6 network, expected IPv4",
            "route-rules.config[2].fwmask: fwmask needs fwmark",
            "dns-resolver.config.server[2]: 'dns.example.com' is not an IP address",
            "dns-resolver.config.search[0]: 'bad domain' is not a domain name",
            "dns-resolver.config.options[2]: 'fastest' is not a resolver option; expected one of"
                + " attempts, debug, edns0, inet6, ip6-bytestring, ip6-dotint, ndots, no-aaaa,"
                + " no-check-names, no-ip6-dotint, no-reload, no-tld-query, rotate,"
                + " single-request, single-request-reopen, timeout, trust-ad, use-vc");
  }

  @Test
  void unknownFieldsAndWrongTypesAreReportedWithTheirPath() throws IOException {
    assertThat(
            problems(
                """
                interfaces:
                - name: eth1
                  type: ethernet
                  mtuu: 1500
                  ipv4: {enabled: yes-please, adress: []}
                  ethernet: {sr-iov: {total-vfs: many}}
                - name: br1
                  type: linux-bridge
                  vlan: {id: 5}
                  bridge: {port: {name: eth1}}
                routs: {}
                """))
        .containsExactly(
            "interfaces[0].ipv4.enabled: must be true or false, not 'yes-please'",
            "interfaces[0].ipv4.adress: unknown field 'adress'; did you mean 'address'?",
            "interfaces[0].ethernet.sr-iov.total-vfs: must be an integer, not 'many'",
            "interfaces[0].mtuu: unknown field 'mtuu'; did you mean 'mtu'?",
            "interfaces[1].bridge.port: must be a list, not a mapping",
            "interfaces[1].vlan: section 'vlan' belongs to type vlan, not linux-bridge",
            "routs: unknown field 'routs'; did you mean 'routes'?");
  }

  @Test
  void unsupportedKindsGetExactlyOneProblemAndAreKeptOvsIsModelled() throws IOException {
    var yaml =
        """
        interfaces:
        - name: ovs-br0
          type: ovs-bridge
          state: up
          bridge:
            options: {stp: true, fail-mode: secure}
            port: [{name: eth1}, {name: ovs0}]
        - name: xfrm0
          type: xfrm
          xfrm: {base-iface: eth2, if-id: 100}
        - {name: ipsec0, type: ipsec, libreswan: {right: 198.18.0.2}}
        """;
    assertThat(problems(yaml))
        .containsExactly(
            "interfaces[1].type: interface type 'xfrm' is not supported yet by multihome");
    var state = StateParser.parse(Documents.readSingle(yaml)).state();
    assertThat(state.interfaces().get(0)).isInstanceOf(Interface.OvsBridge.class);
    // ipsec is modelled (IpsecValidatorTest), the engine refuses to apply it.
    assertThat(state.interfaces().get(2)).isInstanceOf(Interface.Ipsec.class);
    var xfrm = (Interface.Unsupported) state.interfaces().get(1);
    assertThat(xfrm.name()).isEqualTo("xfrm0");
    assertThat(xfrm.raw().path("xfrm").path("if-id").asInt()).isEqualTo(100);
  }

  @Test
  void unsupportedFieldsAreKeptAndReportedQueryOnlyOnesAccepted() throws IOException {
    var yaml =
        """
        interfaces:
        - name: eth1
          type: ethernet
          ethtool: {feature: {rx-gro: true}}
          min-mtu: 68
          max-mtu: 9000
          ipv6: {enabled: true, dhcp: true, autoconf: true, addr-gen-mode: eui64}
        routes:
          running: [{destination: 0.0.0.0/0, next-hop-interface: eth1}]
          config: [{destination: 198.19.0.0/16, next-hop-interface: eth1}]
        hostname: {config: node01}
        """;
    yaml = yaml.replace("  min-mtu: 68", "  802.1x: {identity: x}\n  min-mtu: 68");
    assertThat(problems(yaml))
        .containsExactly(
            "interfaces[0].802.1x.eap-methods: 802.1x needs at least one EAP method"
                + " (tls, peap, ttls, md5)");
    var state = StateParser.parse(Documents.readSingle(yaml)).state();
    assertThat(state.interfaces().get(0).common().extras().queryOnly())
        .containsOnlyKeys("min-mtu", "max-mtu");
    assertThat(StateWriter.toYaml(state)).contains("ethtool:", "addr-gen-mode: eui64");
  }

  @Test
  void templatesPassParsingAndValidation() throws IOException {
    var yaml =
        """
        interfaces:
        - name: "{{ capture.base-iface.interfaces.0.name }}"
          type: ethernet
          mtu: "{{ capture.base-iface.interfaces.0.mtu }}"
          ipv4:
            enabled: true
            address:
            - ip: "{{ capture.addr.interfaces.0.ipv4.address.0.ip }}"
              prefix-length: "{{ capture.addr.interfaces.0.ipv4.address.0.prefix-length }}"
        - name: bond0
          type: bond
          link-aggregation: {mode: "{{ capture.b.interfaces.0.link-aggregation.mode }}"}
        routes:
          config:
          - destination: 0.0.0.0/0
            next-hop-address: "{{ capture.gw.routes.running.0.next-hop-address }}"
            next-hop-interface: "{{ capture.gw.routes.running.0.next-hop-interface }}"
        """;
    assertThat(problems(yaml)).isEmpty();
    var state = StateParser.parse(Documents.readSingle(yaml)).state();
    assertThat(state.templates())
        .containsKeys(
            "interfaces[0].name",
            "interfaces[0].mtu",
            "interfaces[0].ipv4.address[0].prefix-length",
            "interfaces[1].link-aggregation.mode",
            "routes.config[0].next-hop-interface");
    assertThat(state.templates().get("interfaces[0].mtu").capture()).isEqualTo("base-iface");
  }

  @Test
  void sriovRules() throws IOException {
    assertThat(
            problems(
                """
                interfaces:
                - name: eth1
                  type: ethernet
                  ethernet:
                    sr-iov:
                      total-vfs: 2
                      vfs:
                      - {id: 0, mac-address: 02-00-5e-10-00-01, vlan-id: 4095, qos: 8}
                      - {id: 2}
                      - {id: 0, min-tx-rate: 200, max-tx-rate: 100}
                """))
        .containsExactly(
            "interfaces[0].ethernet.sr-iov.vfs[0].mac-address: '02-00-5e-10-00-01' is not a MAC"
                + " address (expected six hex pairs like 02:00:5e:10:00:01)",
            "interfaces[0].ethernet.sr-iov.vfs[0].vlan-id: 4095 is outside 0..4094",
            "interfaces[0].ethernet.sr-iov.vfs[0].qos: 8 is outside 0..7",
            "interfaces[0].ethernet.sr-iov.vfs[1].id: VF 2 does not exist with total-vfs 2 (ids"
                + " are 0..1)",
            "interfaces[0].ethernet.sr-iov.vfs[2].id: VF 0 is listed twice",
            "interfaces[0].ethernet.sr-iov.vfs[2].min-tx-rate: 200 is above max-tx-rate 100");
  }

  @Test
  void portsCannotHoldIpAndMacVlanPromiscuousRule() throws IOException {
    assertThat(
            problems(
                """
                interfaces:
                - {name: br1, type: linux-bridge, bridge: {port: [{name: eth1}]}}
                - {name: eth1, type: ethernet, ipv4: {enabled: true, dhcp: true}}
                - {name: mac0, type: mac-vlan, mac-vlan: {base-iface: eth2, mode: bridge, promiscuous: false}}
                - {name: mac1, type: mac-vlan, mac-vlan: {base-iface: eth2}}
                """))
        .containsExactly(
            "interfaces[1].ipv4.enabled: a port of a bridge or bond cannot have IP; set enabled:"
                + " false or leave the section out",
            "interfaces[2].mac-vlan.promiscuous: promiscuous: false is only allowed in passthru"
                + " mode",
            "interfaces[3].mac-vlan.mode: is required to create mac-vlan 'mac1'");
  }

  @Test
  void nullListItemsAndTopLevelListsAreReported() throws IOException {
    assertThat(
            problems("interfaces: [{name: eth1}, null]\ndns-resolver: {config: {server: [null]}}"))
        .containsExactly(
            "interfaces[1]: must be a mapping, not null (an empty list item?)",
            "dns-resolver.config.server[0]: must be a string, not null");
    assertThat(problems("- name: eth1\n- name: eth2\n"))
        .containsExactly("must be a mapping, not a list");
  }

  @Test
  void absentInterfacesNeedOnlyAName() throws IOException {
    assertThat(
            problems(
                """
                interfaces:
                - {name: eth1.10, type: vlan, state: absent, vlan: {}}
                - {name: br1, type: linux-bridge, state: absent}
                - {name: bond0, type: bond, state: absent}
                - {state: absent}
                """))
        .containsExactly("interfaces[3].name: is required");
  }

  @Test
  void twoThousandInterfacesParseAndValidateQuickly() throws IOException {
    var sb = new StringBuilder("interfaces:\n");
    for (int i = 0; i < 2000; i++) {
      sb.append("- name: br")
          .append(i)
          .append('\n')
          .append("  type: linux-bridge\n")
          .append("  ipv4: {enabled: true, address: [{ip: 198.18.")
          .append(i / 250)
          .append('.')
          .append(i % 250 + 1)
          .append(", prefix-length: 16}]}\n")
          .append("  bridge: {port: [{name: v")
          .append(i)
          .append(
              ", vlan: {mode: trunk, trunk-tags: [{id: 10}, {id-range: {min: 20, max: 30}}]}}]}\n")
          .append("- {name: v")
          .append(i)
          .append(", type: veth, veth: {peer: p")
          .append(i)
          .append("}}\n");
    }
    // One mistake at the end proves the whole list was checked.
    sb.append("- {name: eth1.5000, type: vlan, vlan: {base-iface: eth1, id: 5000}}\n");
    var root = Documents.readSingle(sb.toString());
    var found = StateValidator.check(root);
    assertThat(found)
        .extracting(Problem::toString)
        .containsExactly("interfaces[4000].vlan.id: 5000 is outside 1..4094");
  }

  @Test
  void ieee8021xOfNmstatesExamplesIsAcceptedAndItsSecretsAreMaskedInText() throws Exception {
    // nmstate examples/eth1_with_ieee_802_1x.yml and eth1_with_ieee_802_1x_peap.yml.
    var tls =
        """
        interfaces:
        - name: eth1
          type: ethernet
          state: up
          802.1x:
            ca-cert: /etc/pki/802-1x-test/ca.crt
            client-cert: /etc/pki/802-1x-test/client.example.org.crt
            eap-methods: [tls]
            identity: client.example.org
            private-key: /etc/pki/802-1x-test/client.example.org.key
            private-key-password: password
        """;
    assertThat(problems(tls)).isEmpty();
    var state = StateParser.parse(Documents.readSingle(tls)).state();
    var x = state.interfaces().get(0).common().options().ieee8021x();
    assertThat(x.privateKeyPassword()).isEqualTo("password");
    assertThat(x.toString()).doesNotContain("password=password", "=password,");
    assertThat(StateWriter.toYaml(state))
        .contains("eap-methods:", "- tls", "identity: client.example.org");
    var peap =
        """
        interfaces:
        - name: eth1
          type: ethernet
          state: up
          802.1x: {eap-methods: [peap], identity: client.example.org, password: password,
                   phase2-auth: mschapv2}
        """;
    assertThat(problems(peap)).isEmpty();
  }

  @Test
  void ieee8021xProblemsNameTheirPaths() throws Exception {
    var yaml =
        """
        interfaces:
        - name: br0
          type: linux-bridge
          802.1x: {identity: x, eap-methods: [tls]}
        - name: eth1
          type: ethernet
          802.1x: {eap-methods: [leap, tls, peap], ca-cert: ca.crt, phase2-auth: foo,
                   client-cert: /c, private-key: /k}
        """;
    assertThat(problems(yaml))
        .containsExactlyInAnyOrder(
            "interfaces[0].802.1x: 802.1x authenticates ethernet ports only (type ethernet, or veth)",
            "interfaces[1].802.1x.identity: 802.1x needs an identity",
            "interfaces[1].802.1x.eap-methods[0]: EAP method 'leap' is not supported (supported:"
                + " tls, peap, ttls, md5)",
            "interfaces[1].802.1x.password: EAP-PEAP needs a password",
            "interfaces[1].802.1x.phase2-auth: 'foo' is not a phase 2 method (one of mschapv2, md5,"
                + " gtc, pap, chap, mschap)",
            "interfaces[1].802.1x.ca-cert: must be an absolute path, not 'ca.crt'");
  }

  @Test
  void macsecKeyAgreementSecretIsNeverPrinted() throws Exception {
    // nmstate examples/macsec0_up.yml
    var yaml =
        """
        interfaces:
        - name: macsec0
          type: macsec
          state: up
          macsec: {encrypt: true, base-iface: eth1, mka-cak: 50b71a8ef0bd5751ea76de6d6c98c03a,
                   mka-ckn: f2b4297d39da7330910a74abc0449feb, port: 0}
        """;
    var state = StateParser.parse(Documents.readSingle(yaml)).state();
    assertThat(state.toString())
        .doesNotContain("50b71a8ef0bd5751ea76de6d6c98c03a")
        .contains("f2b4297d39da7330910a74abc0449feb");
    // The placeholder show prints is accepted back (it keeps the CAK in effect).
    assertThat(
            problems(
                yaml.replace("50b71a8ef0bd5751ea76de6d6c98c03a", "'<_password_hid_by_nmstate>'")))
        .isEmpty();
  }
}

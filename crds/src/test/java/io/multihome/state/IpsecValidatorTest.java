package io.multihome.state;

import static io.multihome.state.StateValidatorTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@code type: ipsec}: every libreswan key read, written back and checked at its path. */
class IpsecValidatorTest {

  /** nmstate examples/ipsec_psk.yml, with every other key nmstate's LibreswanConfig has. */
  static final String ALL_KEYS =
      """
      interfaces:
      - name: hosta_conn
        type: ipsec
        ipv4: {enabled: true, dhcp: true}
        libreswan:
          right: 192.0.2.252
          rightid: 'srv-id.example.org'
          rightrsasigkey: 0sAwEAAb
          rightcert: hostb.example.org
          left: 192.0.2.251
          leftid: 'cli-id.example.org'
          ikev2: insist
          ikelifetime: 24h
          salifetime: '3600'
          ike: aes256-sha2_256;modp2048
          esp: aes256-sha2_256
          dpddelay: 10
          dpdtimeout: '30'
          dpdaction: restart
          ipsec-interface: '9'
          authby: secret
          psk: psk_password
          rightsubnet: 203.0.113.0/24
          leftsubnet: 198.18.0.0/16
          leftmodecfgclient: false
          type: tunnel
          hostaddrfamily: ipv4
          clientaddrfamily: ipv4
          require-id-on-certificate: true
      """;

  @Test
  void everyKeyIsReadAndWrittenBack() throws IOException {
    assertThat(problems(ALL_KEYS)).isEmpty();
    var state = StateParser.parse(Documents.readSingle(ALL_KEYS)).state();
    var ipsec = (Interface.Ipsec) state.interfaces().get(0);
    assertThat(ipsec.libreswan().dpdtimeout()).isEqualTo(30L);
    assertThat(ipsec.libreswan().ipsecInterface()).isEqualTo("9");
    var written = StateWriter.toTree(state).path("interfaces").get(0).path("libreswan");
    assertThat(written.path("require-id-on-certificate").asBoolean()).isTrue();
    assertThat(written.path("psk").asText()).isEqualTo("psk_password");
    // Every key given comes back (leftcert and leftrsasigkey are the two left out above).
    var given = Documents.readSingle(ALL_KEYS).path("interfaces").get(0).path("libreswan");
    var names = new java.util.TreeSet<String>();
    written.fieldNames().forEachRemaining(names::add);
    var expected = new java.util.TreeSet<String>();
    given.fieldNames().forEachRemaining(expected::add);
    assertThat(names).isEqualTo(expected).hasSize(24);
  }

  @Test
  void badValuesAreReportedAtTheirPaths() throws IOException {
    var yaml =
        """
        interfaces:
        - name: c1
          type: ipsec
          libreswan:
            left: 'not an address'
            leftid: '%bogus'
            ikev2: maybe
            ikelifetime: 1week
            ike: 'aes gcm'
            dpdaction: explode
            ipsec-interface: true
            authby: secret
            type: tunnel-ish
            hostaddrfamily: ipx
            rightsubnet: 203.0.113.0/33
            leftmodecfgclient: sometimes
        """;
    assertThat(problems(yaml))
        .containsExactlyInAnyOrder(
            "interfaces[0].libreswan.right: is required (the peer's address or host name)",
            "interfaces[0].libreswan.ipsec-interface: invalid ipsec-interface value, should be"
                + " unsigned integer, string 'yes' or 'no'",
            "interfaces[0].libreswan.leftmodecfgclient: must be true or false, not 'sometimes'",
            "interfaces[0].libreswan.left: 'not an address' is neither an IP address, a host name"
                + " nor one of %any, %defaultroute, %direct, %group, %opportunistic,"
                + " %opportunisticgroup",
            "interfaces[0].libreswan.leftid: '%bogus' is not an id libreswan knows (%fromcert,"
                + " %any, %none, %null)",
            "interfaces[0].libreswan.ikev2: 'maybe' is not one of insist, never, no, permit,"
                + " propose, yes",
            "interfaces[0].libreswan.dpdaction: 'explode' is not one of clear, hold, restart",
            "interfaces[0].libreswan.type: 'tunnel-ish' is not one of transport, tunnel",
            "interfaces[0].libreswan.hostaddrfamily: 'ipx' is not one of ipv4, ipv6",
            "interfaces[0].libreswan.ikelifetime: '1week' is not a libreswan duration (a number,"
                + " optionally with s, m, h or d)",
            "interfaces[0].libreswan.ike: 'aes gcm' is not a libreswan proposal list (e.g."
                + " aes256-sha2_256;modp2048)",
            "interfaces[0].libreswan.rightsubnet: '203.0.113.0/33' is not a subnet"
                + " (ADDRESS/PREFIX)",
            "interfaces[0].libreswan.psk: is required with authby: secret");
  }

  @Test
  void authenticationAndModeConflictsAreNamed() throws IOException {
    var yaml =
        """
        interfaces:
        - name: c2
          type: ipsec
          libreswan:
            right: 203.0.113.2
            psk: s3cret
            leftcert: hosta.example.org
            type: transport
            leftsubnet: 198.18.0.0/24
        - name: c3
          type: ipsec
        """;
    assertThat(problems(yaml))
        .containsExactlyInAnyOrder(
            "interfaces[0].libreswan.psk: a pre-shared key and leftcert/leftrsasigkey are two ways"
                + " to authenticate this end; give one",
            "interfaces[0].libreswan.leftsubnet: a transport connection protects the two hosts"
                + " only; subnets need type: tunnel",
            "interfaces[1].libreswan: is required to create ipsec connection c3 (right is its one"
                + " key nmstate requires)");
  }
}

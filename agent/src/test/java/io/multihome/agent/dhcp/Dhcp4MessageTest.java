package io.multihome.agent.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DHCPv4 wire format and the option decoders a lease is built from. */
class Dhcp4MessageTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void encodesAndDecodesBootpFieldsAndOptionsInOrder() {
    var o = new LinkedHashMap<Integer, byte[]>();
    o.put(Dhcp4Option.MESSAGE_TYPE, new byte[] {Dhcp4Message.REQUEST});
    o.put(Dhcp4Option.CLIENT_ID, new byte[] {1, 2, 0, 0, 0, 0, 1});
    o.put(Dhcp4Option.REQUESTED_IP, Dhcp4Client.ip("198.18.70.101"));
    var m =
        new Dhcp4Message(
            Dhcp4Message.BOOTREQUEST,
            0x12345678,
            3,
            true,
            Dhcp4Message.v4(Dhcp4Client.ip("198.18.70.5")),
            null,
            null,
            null,
            new byte[] {2, 0, 0, 0, 0, 1},
            o);
    byte[] wire = m.encode();
    assertThat(wire.length).isEqualTo(300);
    assertThat(wire[0]).isEqualTo((byte) 1);
    assertThat(wire[10]).isEqualTo((byte) 0x80); // broadcast flag
    assertThat(HexFormat.of().formatHex(wire, 236, 240)).isEqualTo("63825363");
    var back = Dhcp4Message.decode(wire, wire.length);
    assertThat(back.xid()).isEqualTo(0x12345678);
    assertThat(back.secs()).isEqualTo(3);
    assertThat(back.broadcast()).isTrue();
    assertThat(back.ciaddr().getHostAddress()).isEqualTo("198.18.70.5");
    assertThat(back.chaddr()).containsExactly(2, 0, 0, 0, 0, 1);
    assertThat(back.options().keySet())
        .containsExactly(Dhcp4Option.MESSAGE_TYPE, Dhcp4Option.CLIENT_ID, Dhcp4Option.REQUESTED_IP);
    assertThat(back.type()).isEqualTo(Dhcp4Message.REQUEST);
  }

  @Test
  void longOptionsAreSplitAndConcatenatedAgain() {
    byte[] dns = new byte[4 * 70]; // 280 bytes: two instances of option 6 (RFC 3396)
    for (int i = 0; i < dns.length; i++) {
      dns[i] = (byte) i;
    }
    var o = new LinkedHashMap<Integer, byte[]>();
    o.put(Dhcp4Option.MESSAGE_TYPE, new byte[] {Dhcp4Message.ACK});
    o.put(Dhcp4Option.DNS, dns);
    var m = new Dhcp4Message(2, 1, 0, false, null, null, null, null, new byte[6], o);
    byte[] wire = m.encode();
    assertThat(Dhcp4Message.decode(wire, wire.length).option(Dhcp4Option.DNS)).isEqualTo(dns);
  }

  @Test
  void refusesWhatIsNotDhcp() {
    assertThatThrownBy(() -> Dhcp4Message.decode(new byte[100], 100))
        .hasMessageContaining("too short");
    assertThatThrownBy(() -> Dhcp4Message.decode(new byte[300], 300))
        .hasMessageContaining("magic cookie");
  }

  @Test
  void classlessRoutesAsRfc3442Encodes() {
    // 0/0 via 198.18.70.254; 198.18.71.0/24 via 198.18.70.1; 10.0.0.0/8 on link (router 0).
    var routes = Dhcp4Option.classless(hex("00 c61246fe 18 c61247 c6124601 08 0a 00000000"));
    assertThat(routes)
        .containsExactly(
            new Dhcp4Option.Route("0.0.0.0", 0, "198.18.70.254"),
            new Dhcp4Option.Route("198.18.71.0", 24, "198.18.70.1"),
            new Dhcp4Option.Route("10.0.0.0", 8, "0.0.0.0"));
    assertThat(routes.get(2).onLink()).isTrue();
    assertThatThrownBy(() -> Dhcp4Option.classless(hex("21 c6124700")))
        .hasMessageContaining("prefix length 33");
    assertThatThrownBy(() -> Dhcp4Option.classless(hex("18 c61247 c612")))
        .hasMessageContaining("truncated");
  }

  @Test
  void classfulStaticRoutesTakeTheClassMaskOrAHostRoute() {
    var routes = Dhcp4Option.classful(hex("c6124700 c6124601 c6124705 c6124601"));
    assertThat(routes)
        .containsExactly(
            new Dhcp4Option.Route("198.18.71.0", 24, "198.18.70.1"),
            new Dhcp4Option.Route("198.18.71.5", 32, "198.18.70.1"));
  }

  @Test
  void domainSearchListWithCompression() {
    // RFC 3397's example: eng.apple.com, marketing.apple.com (the second points into the first).
    var v = hex("03656e67056170706c6503636f6d00" + "096d61726b6574696e67c004");
    assertThat(Dhcp4Option.searchList(v)).containsExactly("eng.apple.com", "marketing.apple.com");
    assertThatThrownBy(() -> Dhcp4Option.searchList(hex("c000")))
        .hasMessageContaining("compression loop");
  }

  @Test
  void netmaskPrefixes() {
    assertThat(Dhcp4Option.prefixOf(Dhcp4Client.ip("255.255.255.0"))).isEqualTo(24);
    assertThat(Dhcp4Option.prefixOf(Dhcp4Client.ip("255.255.254.0"))).isEqualTo(23);
    assertThat(Dhcp4Option.prefixOf(Dhcp4Client.ip("255.0.255.0"))).isEqualTo(-1);
  }

  @Test
  void leaseTimesDefaultAsRfc2131Says() {
    var o = new LinkedHashMap<Integer, byte[]>();
    o.put(Dhcp4Option.MESSAGE_TYPE, new byte[] {Dhcp4Message.ACK});
    o.put(Dhcp4Option.SERVER_ID, Dhcp4Client.ip("198.18.70.254"));
    o.put(Dhcp4Option.LEASE_TIME, Dhcp4Option.u32(800));
    o.put(Dhcp4Option.DOMAIN_NAME, "lab.example\0".getBytes());
    var ack =
        new Dhcp4Message(
            2,
            1,
            0,
            false,
            null,
            Dhcp4Message.v4(Dhcp4Client.ip("198.18.70.9")),
            null,
            null,
            new byte[6],
            o);
    var lease = Lease4.of(ack, null, 0);
    assertThat(lease.t1Seconds()).isEqualTo(400);
    assertThat(lease.t2Seconds()).isEqualTo(700);
    assertThat(lease.prefix()).isEqualTo(24); // no mask: class C
    assertThat(lease.search()).isEqualTo(List.of("lab.example"));
    assertThat(lease.expiresAt()).isEqualTo(800_000);
  }
}

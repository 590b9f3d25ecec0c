package io.multihome.agent.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.netlink.IpPrefix;
import java.net.Inet6Address;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DHCPv6 messages and the IA_NA inside them. */
class Dhcp6MessageTest {
  @Test
  void iaNaRoundTripsAndAddressesPrintAsRfc5952() {
    var addr =
        new Dhcp6Message.IaAddr((Inet6Address) IpPrefix.parseAddress("2001:db8:70::17d"), 300, 600);
    var m =
        new Dhcp6Message(
            Dhcp6Message.REQUEST,
            0xabcdef,
            List.of(
                new Dhcp6Message.Option(Dhcp6Message.OPT_CLIENTID, new byte[] {0, 3, 0, 1}),
                new Dhcp6Message.Option(
                    Dhcp6Message.OPT_IA_NA, Dhcp6Message.IaNa.encode(7, 150, 240, addr))));
    byte[] wire = m.encode();
    var back = Dhcp6Message.decode(wire, wire.length);
    assertThat(back.type()).isEqualTo(Dhcp6Message.REQUEST);
    assertThat(back.xid()).isEqualTo(0xabcdef);
    var ia = Dhcp6Message.IaNa.decode(back.option(Dhcp6Message.OPT_IA_NA));
    assertThat(ia.iaid()).isEqualTo(7);
    assertThat(ia.t1()).isEqualTo(150);
    assertThat(ia.t2()).isEqualTo(240);
    assertThat(ia.addresses()).containsExactly(addr);
    assertThat(Dhcp6Message.text(addr.address())).isEqualTo("2001:db8:70::17d");
    assertThat(Dhcp6Message.text((Inet6Address) IpPrefix.parseAddress("2001:0:0:1:0:0:0:1")))
        .isEqualTo("2001:0:0:1::1");
  }

  @Test
  void anIaWithAStatusCodeHasNoAddress() {
    // IA_NA with IAID 1, T1/T2 0 and a status code 2 (NoAddrsAvail).
    byte[] v = {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 13, 0, 2, 0, 2};
    var ia = Dhcp6Message.IaNa.decode(v);
    assertThat(ia.addresses()).isEmpty();
    assertThat(ia.status()).isEqualTo(Dhcp6Message.STATUS_NO_ADDRS_AVAIL);
  }
}

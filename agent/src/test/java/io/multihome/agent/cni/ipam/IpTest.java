package io.multihome.agent.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class IpTest {

  @Test
  void ipv6IsWrittenAsGoWritesIt() {
    assertThat(Ip.parse("2001:0db8:0000:0000:0000:0000:0000:0001")).hasToString("2001:db8::1");
    assertThat(Ip.parse("2001:db8:0:0:1:0:0:1")).hasToString("2001:db8::1:0:0:1");
    assertThat(Ip.parse("2001:db8:0:1:0:0:0:0")).hasToString("2001:db8:0:1::");
    assertThat(Ip.parse("2001:db8:1:1:1:1:0:1"))
        .as("a single zero word stays")
        .hasToString("2001:db8:1:1:1:1:0:1");
    assertThat(Ip.parse("::1")).hasToString("::1");
    assertThat(Ip.parse("::")).hasToString("::");
  }

  @Test
  void ipv4ArithmeticAndMasks() {
    Ip ip = Ip.parse("198.18.70.200");
    assertThat(ip.masked(24)).hasToString("198.18.70.0");
    assertThat(ip.lastOf(24)).hasToString("198.18.70.255");
    assertThat(ip.plus(BigInteger.valueOf(56))).hasToString("198.18.71.0");
    assertThat(Cidr.parse("198.18.70.200/24", false)).hasToString("198.18.70.0/24");
    assertThat(Cidr.parse("198.18.70.0/24", false).contains(Ip.parse("198.18.71.1"))).isFalse();
    assertThat(Cidr.parse("198.18.70.9", true)).hasToString("198.18.70.9/32");
  }

  @Test
  void noNameLookupsAndNoBadOctets() {
    assertThatThrownBy(() -> Ip.parse("localhost")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ip.parse("198.18.0.256")).isInstanceOf(IllegalArgumentException.class);
  }
}

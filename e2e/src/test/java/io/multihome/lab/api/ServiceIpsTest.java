package io.multihome.lab.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Addresses written as Go's net.IP (and so kube-apiserver) writes them. */
class ServiceIpsTest {
  private static String text(String literal) throws Exception {
    return ServiceIps.text(InetAddress.getByName(literal).getAddress());
  }

  @Test
  void ipv6IsWrittenInRfc5952Form() throws Exception {
    assertThat(text("2001:db8:240:0:0:0:0:7")).isEqualTo("2001:db8:240::7");
    assertThat(text("2001:db8:0:0:1:0:0:1"))
        .as("the first of equal runs")
        .isEqualTo("2001:db8::1:0:0:1");
    assertThat(text("2001:0:0:1:0:0:0:1")).as("the longest run").isEqualTo("2001:0:0:1::1");
    assertThat(text("2001:db8:0:1:1:1:1:1"))
        .as("one zero group stays")
        .isEqualTo("2001:db8:0:1:1:1:1:1");
    assertThat(text("::1")).isEqualTo("::1");
    assertThat(text("2001:db8::")).isEqualTo("2001:db8::");
    assertThat(text("198.18.240.1")).isEqualTo("198.18.240.1");
  }

  @Test
  void familiesOfLiteralsOnly() {
    assertThat(ServiceIps.family("198.18.240.1")).isEqualTo("IPv4");
    assertThat(ServiceIps.family("2001:db8::1")).isEqualTo("IPv6");
    assertThat(ServiceIps.family("localhost")).isNull();
    assertThat(ServiceIps.family("")).isNull();
  }
}

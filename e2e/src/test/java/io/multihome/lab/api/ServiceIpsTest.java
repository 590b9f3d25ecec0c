package io.multihome.lab.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Address families of literals (never a name lookup). */
class ServiceIpsTest {
  @Test
  void familiesOfLiteralsOnly() {
    assertThat(ServiceIps.family("198.18.240.1")).isEqualTo("IPv4");
    assertThat(ServiceIps.family("2001:db8::1")).isEqualTo("IPv6");
    assertThat(ServiceIps.family("localhost")).isNull();
    assertThat(ServiceIps.family("")).isNull();
  }
}

package io.multihome.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinksReadyTest {
  private static final String BRIEF =
      """
      lo               UNKNOWN        127.0.0.1/8 ::1/128
      eth1@eth1-p      UP             fe80::a8c1:abff:fe3c:f1d0/64
      eth1-p@eth1      LOWERLAYERDOWN
      eth2@if7         UP             198.18.0.2/24
      eth3@if9         DOWN           fe80::1/64
      """;

  @Test
  void aLinkIsReadyWhenUpWithItsLinkLocalAddress() {
    assertThat(LinksReady.pending(BRIEF, List.of("eth1"))).isEmpty();
  }

  @Test
  void aLinkNotUpWithoutLinkLocalOrMissingIsPending() {
    assertThat(LinksReady.pending(BRIEF, List.of("eth1-p", "eth2", "eth3", "eth4")))
        .containsExactly(
            "eth1-p@eth1      LOWERLAYERDOWN",
            "eth2@if7         UP             198.18.0.2/24",
            "eth3@if9         DOWN           fe80::1/64",
            "eth4: missing");
  }
}

package io.multihome.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class KernelTierTest {
  @Test
  void nothingMissingPasses() {
    assertThatCode(() -> KernelTier.decide(List.of(), true)).doesNotThrowAnyException();
    assertThatCode(() -> KernelTier.require(true, "x")).doesNotThrowAnyException();
  }

  @Test
  void missingSkipsOutsideTheTierNamingEveryFeature() {
    assertThatThrownBy(() -> KernelTier.decide(List.of("dummy links", "bonds"), false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessage("kernel lacks dummy links; bonds");
  }

  @Test
  void missingFailsInTheTier() {
    assertThatThrownBy(() -> KernelTier.decide(List.of("netdevsim"), true))
        .isInstanceOf(AssertionError.class)
        .isNotInstanceOf(TestAbortedException.class)
        .hasMessage("kernel VM tier: kernel lacks netdevsim");
  }
}

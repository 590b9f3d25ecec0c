package io.multihome.kernelvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class KernelFeatureTest {

  @Test
  void passesWhenNothingIsMissing() {
    assertThatCode(() -> KernelFeature.decide(List.of(), true)).doesNotThrowAnyException();
  }

  @Test
  void skipsNamingEveryMissingFeatureOutsideTheKernelVm() {
    assertThatThrownBy(() -> KernelFeature.decide(List.of("dummy links", "bond links"), false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessage("kernel lacks dummy links; bond links");
  }

  @Test
  void failsInsteadOfSkippingInTheKernelVm() {
    assertThatThrownBy(() -> KernelFeature.decide(List.of("netdevsim"), true))
        .isInstanceOf(AssertionError.class)
        .isNotInstanceOf(TestAbortedException.class)
        .hasMessage("kernel VM tier: kernel lacks netdevsim");
  }

  @Test
  void everyFeatureHasADescriptionNamingWhatIsNeeded() {
    for (var feature : KernelFeature.values()) {
      assertThat(feature.description()).as(feature.name()).isNotBlank();
    }
  }
}

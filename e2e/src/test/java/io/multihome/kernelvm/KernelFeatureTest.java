package io.multihome.kernelvm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The pass/skip/fail rule itself is tested in testkit ({@code KernelTierTest}). */
class KernelFeatureTest {

  @Test
  void everyFeatureHasADescriptionNamingWhatIsNeeded() {
    for (var feature : KernelFeature.values()) {
      assertThat(feature.description()).as(feature.name()).isNotBlank();
    }
  }
}

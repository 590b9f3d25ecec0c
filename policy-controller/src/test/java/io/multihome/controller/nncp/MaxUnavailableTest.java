package io.multihome.controller.nncp;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import org.junit.jupiter.api.Test;

class MaxUnavailableTest {
  @Test
  void integerIsTakenAsIsWithAMinimumOfOne() {
    assertThat(MaxUnavailable.limit(new IntOrString(3), 10)).isEqualTo(3);
    assertThat(MaxUnavailable.limit(new IntOrString(0), 10)).isEqualTo(1);
  }

  @Test
  void percentIsRoundedUpWithAMinimumOfOne() {
    assertThat(MaxUnavailable.limit(new IntOrString("50%"), 5)).isEqualTo(3);
    assertThat(MaxUnavailable.limit(new IntOrString("10%"), 3)).isEqualTo(1);
    assertThat(MaxUnavailable.limit(new IntOrString("1%"), 1000)).isEqualTo(10);
    assertThat(MaxUnavailable.limit(new IntOrString("0%"), 10)).isEqualTo(1);
    assertThat(MaxUnavailable.limit(new IntOrString("100%"), 7)).isEqualTo(7);
  }

  @Test
  void defaultAndGarbageFallBackToFiftyPercent() {
    assertThat(MaxUnavailable.limit(null, 7)).isEqualTo(4);
    assertThat(MaxUnavailable.limit(new IntOrString("lots"), 7)).isEqualTo(4);
    assertThat(MaxUnavailable.limit(new IntOrString("2"), 7)).isEqualTo(2);
  }
}

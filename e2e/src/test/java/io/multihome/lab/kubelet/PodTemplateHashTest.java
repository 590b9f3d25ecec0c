package io.multihome.lab.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import org.junit.jupiter.api.Test;

class PodTemplateHashTest {
  private static PodTemplateSpec template(String image) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .addToLabels("b", "2")
        .addToLabels("a", "1")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage(image)
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void equalTemplatesHashEquallyWhateverTheirMapOrder() {
    var reordered =
        new PodTemplateSpecBuilder(template("x"))
            .editMetadata()
            .withLabels(new java.util.TreeMap<>(java.util.Map.of("a", "1", "b", "2")))
            .endMetadata()
            .build();
    assertThat(PodTemplateHash.of(template("x"), null))
        .isEqualTo(PodTemplateHash.of(reordered, null))
        .matches("[" + PodTemplateHash.ALPHANUMS + "]{1,10}");
  }

  @Test
  void aChangedTemplateOrCollisionCountChangesTheHash() {
    String base = PodTemplateHash.of(template("x"), null);
    assertThat(PodTemplateHash.of(template("y"), null)).isNotEqualTo(base);
    assertThat(PodTemplateHash.of(template("x"), 1)).isNotEqualTo(base);
  }

  @Test
  void safeEncodingMapsDigitsOntoTheSafeAlphabet() {
    // rand.SafeEncodeString: '0' -> alphanums[48 % 27] = '4', '9' -> alphanums[57 % 27] = 'f'
    assertThat(PodTemplateHash.safeEncode("0123456789")).isEqualTo("456789bcdf");
  }

  @Test
  void randomSuffixesAreFiveSafeCharacters() {
    for (int i = 0; i < 50; i++) {
      assertThat(PodTemplateHash.randomSuffix()).matches("[" + PodTemplateHash.ALPHANUMS + "]{5}");
    }
  }
}

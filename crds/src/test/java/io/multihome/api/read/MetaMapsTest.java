package io.multihome.api.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetaMapsTest {
  @Test
  void nullValuesAndKeysAreAbsentAndOrderIsKept() {
    var labels = new LinkedHashMap<String, String>();
    labels.put("b", "2");
    labels.put("gone", null);
    labels.put(null, "x");
    labels.put("a", "1");
    var cm = new ConfigMap();
    cm.setMetadata(new ObjectMeta());
    cm.getMetadata().setLabels(labels);
    assertThat(MetaMaps.labels(cm)).containsExactly(Map.entry("b", "2"), Map.entry("a", "1"));
    assertThat(Map.copyOf(MetaMaps.labels(cm))).hasSize(2);
  }

  @Test
  void missingMapsAreEmpty() {
    var cm = new ConfigMap();
    assertThat(MetaMaps.labels(cm)).isEmpty();
    cm.setMetadata(new ObjectMeta());
    assertThat(MetaMaps.labels(cm)).isEmpty();
    assertThat(MetaMaps.annotations(cm)).isEmpty();
    assertThat(MetaMaps.present(null)).isEmpty();
    var onlyNull = new HashMap<String, String>();
    onlyNull.put("k", null);
    assertThat(MetaMaps.present(onlyNull)).isEmpty();
  }
}

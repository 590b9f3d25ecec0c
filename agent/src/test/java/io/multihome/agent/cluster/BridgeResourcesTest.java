package io.multihome.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BridgeResourcesTest {
  static final String BR = BridgeResources.PREFIX;

  static NodeStatus status(Map<String, String> capacity, Map<String, String> allocatable) {
    var b = new NodeStatusBuilder();
    capacity.forEach((k, v) -> b.addToCapacity(k, new Quantity(v)));
    allocatable.forEach((k, v) -> b.addToAllocatable(k, new Quantity(v)));
    return b.build();
  }

  /** The status after applying the patch, as the API server would. */
  static JsonNode applied(Set<String> bridges, NodeStatus status) {
    var node = Cluster.JSON.createObjectNode();
    if (status != null) {
      node.set("status", Cluster.JSON.valueToTree(status));
    }
    return JsonPatch.apply(BridgeResources.patch(bridges, status), node).path("status");
  }

  @Test
  void addsEveryBridgeToCapacityAndAllocatableAndKeepsTheRest() {
    var before =
        status(
            Map.of("cpu", "4", "memory", "8Gi", "openshift.io/intelnics", "8"),
            Map.of("cpu", "3800m", "openshift.io/intelnics", "8"));
    var after = applied(Set.of("br0", "dev-bridge"), before);
    for (var field : new String[] {"capacity", "allocatable"}) {
      assertThat(after.path(field).path(BR + "br0").asText()).isEqualTo("1000");
      assertThat(after.path(field).path(BR + "dev-bridge").asText()).isEqualTo("1000");
      assertThat(after.path(field).path("openshift.io/intelnics").asText()).isEqualTo("8");
    }
    assertThat(after.path("capacity").path("memory").asText()).isEqualTo("8Gi");
    assertThat(after.path("allocatable").path("cpu").asText()).isEqualTo("3800m");
  }

  @Test
  void removesOnlyBridgesThatWentAndNothingOutsideThePrefix() {
    var before =
        status(
            Map.of(BR + "gone", "1000", BR + "kept", "1000", "openshift.io/x", "2"),
            Map.of(BR + "gone", "1000", BR + "kept", "1000", "openshift.io/x", "2"));
    var ops = BridgeResources.patch(Set.of("kept"), before);
    assertThat(ops.toString())
        .isEqualTo(
            "[{\"op\":\"remove\",\"path\":\"/status/capacity/bridge.network.kubevirt.io~1gone\"},"
                + "{\"op\":\"remove\",\"path\":\"/status/allocatable/bridge.network.kubevirt.io~1gone\"}]");
    var after = applied(Set.of("kept"), before);
    assertThat(after.path("capacity").has(BR + "gone")).isFalse();
    assertThat(after.path("allocatable").has(BR + "gone")).isFalse();
    assertThat(after.path("capacity").path("openshift.io/x").asText()).isEqualTo("2");
  }

  @Test
  void nothingToDoIsAnEmptyPatch() {
    var before = status(Map.of(BR + "br0", "1000"), Map.of(BR + "br0", "1000"));
    assertThat(BridgeResources.patch(Set.of("br0"), before)).isEmpty();
    assertThat(BridgeResources.patch(Set.of(), status(Map.of("cpu", "1"), Map.of()))).isEmpty();
  }

  @Test
  void aMissingStatusOrMapIsCreatedFirst() {
    var after = applied(Set.of("br0"), null);
    assertThat(after.path("capacity").path(BR + "br0").asText()).isEqualTo("1000");
    assertThat(after.path("allocatable").path(BR + "br0").asText()).isEqualTo("1000");
    var onlyCapacity = applied(Set.of("br0"), status(Map.of("cpu", "1"), Map.of()));
    assertThat(onlyCapacity.path("allocatable").path(BR + "br0").asText()).isEqualTo("1000");
  }

  @Test
  void aChangedCountIsPutBackAndAllocatableCatchesUp() {
    var before = status(Map.of(BR + "br0", "5"), Map.of());
    var after = applied(Set.of("br0"), before);
    assertThat(after.path("capacity").path(BR + "br0").asText()).isEqualTo("1000");
    assertThat(after.path("allocatable").path(BR + "br0").asText()).isEqualTo("1000");
  }

  @Test
  void namesTheApiServerWouldRejectAreLeftOut() {
    assertThat(BridgeResources.publishable("dev-bridge")).isTrue();
    assertThat(BridgeResources.publishable("br_0.1")).isTrue();
    assertThat(BridgeResources.publishable("br@1")).isFalse();
    assertThat(BridgeResources.publishable("-br")).isFalse();
    assertThat(BridgeResources.publishable("br-")).isFalse();
    var after = applied(Set.of("br@1", "ok"), status(Map.of(), Map.of()));
    assertThat(after.path("capacity").size()).isEqualTo(1);
    assertThat(after.path("capacity").path(BR + "ok").asText()).isEqualTo("1000");
    assertThat(BridgeResources.patch(Set.of("br@1"), status(Map.of(), Map.of()))).isEmpty();
  }
}

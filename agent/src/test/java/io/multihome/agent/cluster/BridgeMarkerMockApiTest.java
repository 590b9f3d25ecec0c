package io.multihome.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge marker wired in the agent, on the mock API server: bridges of the (scripted) node
 * become {@code bridge.network.kubevirt.io/*} capacity and allocatable, and go with the bridge;
 * what others write into the same maps (a device plugin's {@code openshift.io/*}) is kept.
 */
@EnableKubernetesMockClient(crud = true)
class BridgeMarkerMockApiTest {
  static final String NODE = "node-b";
  static final String BR = BridgeResources.PREFIX;

  KubernetesClient client;
  @TempDir Path stateDir;
  final List<NodeAgent> agents = new ArrayList<>();
  ScriptedNetwork network;

  @BeforeEach
  void setUp() {
    Cluster.node(
        client,
        NODE,
        Map.of("cpu", "4", "openshift.io/intelnics", "8"),
        Map.of("cpu", "3800m", "openshift.io/intelnics", "8"));
    network = new ScriptedNetwork();
  }

  @AfterEach
  void tearDown() {
    agents.forEach(NodeAgent::close);
  }

  NodeAgent start(BridgeMarkerConfig marker) {
    var config = AgentConfig.defaults(NODE, stateDir).withMetricsPort(-1);
    var agent =
        NodeAgent.builder(client, network, config).probes(List::of).bridgeMarker(marker).start();
    agents.add(agent);
    return agent;
  }

  Map<String, String> field(String name) {
    Node node = client.nodes().withName(NODE).get();
    var map =
        "capacity".equals(name)
            ? node.getStatus().getCapacity()
            : node.getStatus().getAllocatable();
    var out = new TreeMap<String, String>();
    map.forEach((k, v) -> out.put(k, v.toString()));
    return out;
  }

  void awaitBoth(Map<String, String> expected) {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(field("capacity")).containsAllEntriesOf(expected);
              assertThat(field("allocatable")).containsAllEntriesOf(expected);
            });
  }

  @Test
  void bridgesComeAndGoWithoutTouchingOtherResources() {
    start(BridgeMarkerConfig.defaults());
    network.addOutOfBand("br1", "linux-bridge");
    network.addOutOfBand("veth1", "veth");
    awaitBoth(Map.of(BR + "br1", "1000", "openshift.io/intelnics", "8"));
    assertThat(field("capacity")).containsEntry("cpu", "4").doesNotContainKey(BR + "veth1");
    assertThat(field("allocatable")).containsEntry("cpu", "3800m");

    // The SR-IOV device plugin side adds its own resource meanwhile.
    client
        .nodes()
        .withName(NODE)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"add\",\"path\":\"/status/capacity/openshift.io~1mellanox\",\"value\":\"2\"}]");
    network.addOutOfBand("br2", "linux-bridge");
    awaitBoth(Map.of(BR + "br1", "1000", BR + "br2", "1000"));
    assertThat(field("capacity")).containsEntry("openshift.io/mellanox", "2");

    network.removeOutOfBand("br1");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(field("capacity")).doesNotContainKey(BR + "br1");
              assertThat(field("allocatable")).doesNotContainKey(BR + "br1");
            });
    assertThat(field("capacity"))
        .containsEntry(BR + "br2", "1000")
        .containsEntry("openshift.io/mellanox", "2")
        .containsEntry("openshift.io/intelnics", "8")
        .containsEntry("cpu", "4");
  }

  @Test
  void aResourceRemovedBySomeoneElseIsPutBack() {
    network.addOutOfBand("br1", "linux-bridge");
    start(BridgeMarkerConfig.defaults());
    awaitBoth(Map.of(BR + "br1", "1000"));
    client
        .nodes()
        .withName(NODE)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"remove\",\"path\":\"/status/capacity/bridge.network.kubevirt.io~1br1\"}]");
    awaitBoth(Map.of(BR + "br1", "1000"));
  }

  @Test
  void aStaleResourceLeftByAnEarlierRunIsRemovedAtStart() {
    client
        .nodes()
        .withName(NODE)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"add\",\"path\":\"/status/capacity/bridge.network.kubevirt.io~1old\","
                + "\"value\":\"1000\"}]");
    network.addOutOfBand("br1", "linux-bridge");
    start(BridgeMarkerConfig.defaults());
    awaitBoth(Map.of(BR + "br1", "1000"));
    assertThat(field("capacity")).doesNotContainKey(BR + "old");
  }

  @Test
  void aBridgeWhoseNameCannotBeAResourceDoesNotBlockTheOthers() {
    network.addOutOfBand("br@x", "linux-bridge");
    network.addOutOfBand("good", "linux-bridge");
    start(BridgeMarkerConfig.defaults());
    awaitBoth(Map.of(BR + "good", "1000"));
    assertThat(field("capacity").keySet()).noneMatch(k -> k.contains("br@x"));
  }

  @Test
  void switchedOffItWritesNothing() throws Exception {
    network.addOutOfBand("br1", "linux-bridge");
    var agent = start(BridgeMarkerConfig.disabled());
    await().atMost(Duration.ofSeconds(5)).until(agent::ready);
    network.addOutOfBand("br2", "linux-bridge");
    // The enabled marker writes within its 100 ms debounce; give a disabled one ten times that.
    Thread.sleep(1000);
    assertThat(field("capacity").keySet()).noneMatch(k -> k.startsWith(BR));
  }

  /**
   * Issue 14: its Node edited with values of the wrong type (an API server refuses them, a store
   * without validation keeps them) stops neither the agent's node informer nor the marker: the
   * bridges are published and the odd values are left as they are.
   */
  @Test
  @SuppressWarnings("unchecked")
  void aNodeWithFieldsOfTheWrongTypeStillGetsItsBridges() {
    var nodes =
        client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(Node.class));
    nodes
        .withName(NODE)
        .edit(
            n -> {
              n.getAdditionalProperties()
                  .put("spec", Map.of("unschedulable", "perhaps", "taints", "none", "someday", 1));
              return n;
            });
    network.addOutOfBand("br1", "linux-bridge");
    start(BridgeMarkerConfig.defaults());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              var node = nodes.withName(NODE).get();
              var status = (Map<String, Map<String, Object>>) node.get("status");
              for (var field : List.of("capacity", "allocatable")) {
                assertThat(status.get(field)).containsEntry(BR + "br1", "1000");
              }
              assertThat(status.get("capacity")).containsEntry("cpu", "4");
              assertThat((Map<String, Object>) node.get("spec"))
                  .containsEntry("unschedulable", "perhaps");
            });
  }
}

package io.multihome.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.ConditionReasons;
import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicySpec;
import io.multihome.api.nmstate.NodeNetworkState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The rollout loop on five nodes: maxUnavailable held on every observed change, policy deletion,
 * node label changes, rollback on a probe failure, the NNS after an out-of-band change, and agent
 * and controller restarts in the middle of a rollout. One lab for the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutE2ETest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ALL = "e2e.multihome.io/all";

  E2ELab lab;

  @BeforeAll
  void startLab() throws Exception {
    lab = E2ELab.start(List.of("e2e-node1", "e2e-node2", "e2e-node3", "e2e-node4", "e2e-node5"));
    for (var node : lab.nodes()) {
      lab.label(node, ALL, "true");
    }
  }

  @AfterAll
  void closeLab() throws Exception {
    assertThat(lab.closeAndListLeftovers()).isEmpty();
  }

  @AfterEach
  void removePoliciesAndResetNodes() throws Exception {
    lab.resetBetweenTests();
  }

  @Test
  void rolloutNeverExceedsMaxUnavailableAndDeletionLeavesTheNodesAsTheyAre() {
    Map<String, String> before;
    try (var observer = new RolloutObserver(lab.client(), "mu", 2)) {
      lab.client().resource(bridgePolicy("mu", "br-mu", Map.of(ALL, "true"), 2)).create();
      awaitPolicy("mu", ConditionTypes.AVAILABLE, "5/5 nodes successfully configured");
      assertThat(observer.violations()).isEmpty();
      assertThat(observer.maxSeen()).isBetween(1, 2);
      assertThat(observer.sawLimitPending()).as("some node waited for the limit").isTrue();
    }
    for (var node : lab.nodes()) {
      assertThat(masterOf(node, "eth1")).as("eth1 on " + node).isEqualTo("br-mu");
    }
    before = settledStates();

    lab.deletePolicy("mu");

    assertThat(settledStates()).isEqualTo(before);
    for (var node : lab.nodes()) {
      assertThat(masterOf(node, "eth1")).as("bridge kept on " + node).isEqualTo("br-mu");
    }
  }

  @Test
  void nodeLabelChangesCreateAndDeleteTheEnactment() {
    String key = "e2e.multihome.io/lbl";
    String node = "e2e-node3";
    lab.client().resource(bridgePolicy("lbl", "br-lbl", Map.of(key, "in"), 1)).create();
    awaitPolicy("lbl", ConditionTypes.IGNORED, "Policy does not match any node");
    assertThat(lab.enactmentsOf("lbl")).isEmpty();

    lab.label(node, key, "in");
    awaitPolicy("lbl", ConditionTypes.AVAILABLE, "1/1 nodes successfully configured");
    assertThat(lab.enactmentsOf("lbl"))
        .extracting(e -> e.getMetadata().getName())
        .containsExactly(node + ".lbl");
    assertThat(masterOf(node, "eth1")).isEqualTo("br-lbl");
    var configured = lab.settledState(node);

    lab.label(node, key, "out");
    await().atMost(E2ELab.WAIT).until(() -> lab.enactmentsOf("lbl").isEmpty());
    awaitPolicy("lbl", ConditionTypes.IGNORED, "Policy does not match any node");
    var after = lab.settledState(node);
    assertThat(after).as(E2ELab.diff(configured, after)).isEqualTo(configured);
  }

  @Test
  void aProbeFailureRollsTheNodeBackAndDegradesThePolicy() {
    String key = "e2e.multihome.io/probe";
    lab.label("e2e-node1", key, "true");
    lab.label("e2e-node2", key, "true");
    try {
      var before = settledStates();
      // 198.18.200.128/25 on a bridge without ports is more specific than eth0's /24 for the
      // gateway 198.18.200.254: the kernel accepts it, the gateway stops answering.
      lab.client().resource(addressPolicy("break-gw", "br-bad", "198.18.200.200", 25)).create();

      awaitPolicy(
          "break-gw",
          ConditionTypes.DEGRADED,
          "1/2 nodes failed to configure, 1 nodes aborted configuration");
      var failing = trueCondition(lab.enactment("e2e-node1", "break-gw").orElseThrow());
      assertThat(failing.getType()).isEqualTo(ConditionTypes.FAILING);
      assertThat(failing.getReason()).isEqualTo(ConditionReasons.FAILED_TO_CONFIGURE);
      assertThat(failing.getMessage())
          .startsWith("attempt 2/2: probe gateway-ping failed: ")
          .contains(
              "ping " + E2ELab.GATEWAY + ": default gateway " + E2ELab.GATEWAY + " does not answer",
              "planned changes: ip link add br-bad type bridge");
      var aborted = trueCondition(lab.enactment("e2e-node2", "break-gw").orElseThrow());
      assertThat(aborted.getType()).isEqualTo(ConditionTypes.ABORTED);
      assertThat(aborted.getReason()).isEqualTo(ConditionReasons.CONFIGURATION_ABORTED);

      var after = settledStates();
      for (var node : lab.nodes()) {
        assertThat(after.get(node))
            .as(node + " unchanged:\n" + E2ELab.diff(before.get(node), after.get(node)))
            .isEqualTo(before.get(node));
      }
    } finally {
      lab.label("e2e-node1", key, null);
      lab.label("e2e-node2", key, null);
    }
  }

  @Test
  void nodeNetworkStateFollowsAnOutOfBandChange() {
    String node = "e2e-node4";
    String ns = lab.namespaceOf(node);
    E2ELab.ip(ns, "link", "add", "oob0", "type", "bridge");
    await().atMost(E2ELab.WAIT).until(() -> nnsInterfaces(node).contains("oob0"));
    E2ELab.ip(ns, "link", "del", "oob0");
    await().atMost(E2ELab.WAIT).until(() -> !nnsInterfaces(node).contains("oob0"));
    assertThat(nnsInterfaces(node)).contains("eth0", "eth1", "eth2");
  }

  @Test
  void anAgentRestartMidRolloutStrandsNothing() throws Exception {
    String stopped = "e2e-node2";
    lab.stopAgent(stopped);
    try (var observer = new RolloutObserver(lab.client(), "ar", 1)) {
      lab.client().resource(bridgePolicy("ar", "br-ar", Map.of(ALL, "true"), 1)).create();
      // node1 done, node2 granted but its agent is gone (its lease still live), the rest waiting.
      await()
          .atMost(E2ELab.WAIT)
          .untilAsserted(
              () -> {
                assertThat(type("e2e-node1", "ar")).isEqualTo(ConditionTypes.AVAILABLE);
                assertThat(lab.enactment(stopped, "ar"))
                    .hasValueSatisfying(e -> assertThat(RolloutObserver.unavailable(e)).isTrue());
                assertThat(type("e2e-node3", "ar")).isEqualTo(ConditionTypes.PENDING);
              });
      assertThat(masterOf(stopped, "eth1")).isNull();

      lab.startAgent(stopped);

      awaitPolicy("ar", ConditionTypes.AVAILABLE, "5/5 nodes successfully configured");
      assertThat(observer.violations()).isEmpty();
    }
    for (var node : lab.nodes()) {
      assertThat(type(node, "ar")).isEqualTo(ConditionTypes.AVAILABLE);
      assertThat(masterOf(node, "eth1")).isEqualTo("br-ar");
    }
  }

  @Test
  void aControllerRestartMidRolloutStrandsNothing() {
    try (var observer = new RolloutObserver(lab.client(), "cr", 1)) {
      lab.client().resource(bridgePolicy("cr", "br-cr", Map.of(ALL, "true"), 1)).create();
      await()
          .atMost(E2ELab.WAIT)
          .until(
              () ->
                  types("cr").contains(ConditionTypes.AVAILABLE)
                      && types("cr").contains(ConditionTypes.PENDING));
      lab.stopController();
      try {
        var midway = types("cr");
        assertThat(midway).contains(ConditionTypes.PENDING);
      } finally {
        lab.startController();
      }
      awaitPolicy("cr", ConditionTypes.AVAILABLE, "5/5 nodes successfully configured");
      assertThat(observer.violations()).isEmpty();
    }
    assertThat(types("cr")).containsOnly(ConditionTypes.AVAILABLE).hasSize(5);
  }

  // --- helpers ------------------------------------------------------------------------------

  private void awaitPolicy(String name, String type, String message) {
    lab.awaitPolicy(name, type, message);
  }

  private Map<String, String> settledStates() {
    var out = new HashMap<String, String>();
    lab.nodes().forEach(n -> out.put(n, lab.settledState(n)));
    return out;
  }

  private String type(String node, String policy) {
    return lab.enactment(node, policy)
        .flatMap(E2ELab::trueCondition)
        .map(Condition::getType)
        .orElse("");
  }

  private List<String> types(String policy) {
    return lab.enactmentsOf(policy).stream()
        .map(E2ELab::trueCondition)
        .map(c -> c.map(Condition::getType).orElse(""))
        .toList();
  }

  private static Condition trueCondition(NodeNetworkConfigurationEnactment e) {
    return E2ELab.trueCondition(e).orElseThrow();
  }

  /** The name of {@code link}'s master in the node, or null. */
  private String masterOf(String node, String link) {
    var l = E2ELab.ipJson(lab.namespaceOf(node), "link", "show", "dev", link).get(0);
    return l.hasNonNull("master") ? l.get("master").asText() : null;
  }

  private List<String> nnsInterfaces(String node) {
    var nns = lab.client().resources(NodeNetworkState.class).withName(node).get();
    if (nns == null || nns.getStatus() == null || nns.getStatus().getCurrentState() == null) {
      return List.of();
    }
    return StreamSupport.stream(
            nns.getStatus().getCurrentState().path("interfaces").spliterator(), false)
        .map(i -> i.path("name").asText())
        .toList();
  }

  static NodeNetworkConfigurationPolicy bridgePolicy(
      String name, String bridge, Map<String, String> selector, int maxUnavailable) {
    ObjectNode state = JSON.createObjectNode();
    var br = state.putArray("interfaces").addObject();
    br.put("name", bridge).put("type", "linux-bridge").put("state", "up");
    br.putObject("ipv4").put("enabled", false);
    br.putObject("ipv6").put("enabled", false);
    var options = br.putObject("bridge");
    options.putObject("options").putObject("stp").put("enabled", false);
    options.putArray("port").addObject().put("name", "eth1");
    return policy(name, state, selector, maxUnavailable);
  }

  static NodeNetworkConfigurationPolicy addressPolicy(
      String name, String bridge, String ip, int prefix) {
    ObjectNode state = JSON.createObjectNode();
    var br = state.putArray("interfaces").addObject();
    br.put("name", bridge).put("type", "linux-bridge").put("state", "up");
    var v4 = br.putObject("ipv4").put("enabled", true);
    v4.putArray("address").addObject().put("ip", ip).put("prefix-length", prefix);
    br.putObject("ipv6").put("enabled", false);
    br.putObject("bridge").putObject("options").putObject("stp").put("enabled", false);
    return policy(name, state, Map.of("e2e.multihome.io/probe", "true"), 1);
  }

  private static NodeNetworkConfigurationPolicy policy(
      String name, ObjectNode state, Map<String, String> selector, int maxUnavailable) {
    var p = new NodeNetworkConfigurationPolicy();
    p.getMetadata().setName(name);
    p.setSpec(new NodeNetworkConfigurationPolicySpec());
    p.getSpec().setDesiredState(state);
    p.getSpec().setNodeSelector(selector);
    p.getSpec().setMaxUnavailable(new IntOrString(maxUnavailable));
    return p;
  }
}

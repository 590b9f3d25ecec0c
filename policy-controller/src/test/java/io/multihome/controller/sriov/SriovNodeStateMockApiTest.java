package io.multihome.controller.sriov;

import static io.multihome.controller.sriov.MockCluster.OPERATOR_NS;
import static io.multihome.controller.sriov.MockCluster.SRIOV_LABEL;
import static io.multihome.controller.sriov.MockCluster.intelPf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.multihome.api.sriov.NicSelector;
import io.multihome.api.sriov.SriovInterface;
import io.multihome.api.sriov.SriovNetworkNodePolicy;
import io.multihome.api.sriov.SriovNetworkNodePolicySpec;
import io.multihome.api.sriov.SriovNetworkNodeStateSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class SriovNodeStateMockApiTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PF_PCI = "0000:3b:00.0";

  KubernetesClient client;
  KubernetesMockServer server;
  private MockCluster cluster;
  private Operator operator;

  @BeforeEach
  void setUp() {
    cluster = new MockCluster(client).withCrds().namespace(OPERATOR_NS);
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.stop();
    }
    MockCluster.assertNoServerSideApply(server);
  }

  /**
   * worker-1's state created and reporting one Intel PF, then pol-a: awaited until the state has
   * its interface and the policy is Accepted.
   */
  private void awaitPolicyAOnWorker1() {
    awaitStateCreated("worker-1");
    cluster.reportInterfaces("worker-1", List.of(intelPf("ens1f0", PF_PCI)));
    cluster.createPolicy(
        MockCluster.load(client, "/policies/pol-a.yaml", SriovNetworkNodePolicy.class));
    await().atMost(WAIT).untilAsserted(() -> assertThat(interfaces("worker-1")).hasSize(1));
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(accepted("pol-a").getStatus()).isEqualTo("True"));
  }

  @Test
  void upstreamPairRendersTheExpectedNodeStateAndRewritesOnlyOnChange() {
    cluster.node("worker-1", SRIOV_LABEL);
    start();
    awaitStateCreated("worker-1");
    cluster.reportInterfaces("worker-1", List.of(intelPf("ens1f0", PF_PCI)));

    cluster.createPolicy(
        MockCluster.load(client, "/policies/pol-a.yaml", SriovNetworkNodePolicy.class));
    cluster.createPolicy(
        MockCluster.load(client, "/policies/pol-b.yaml", SriovNetworkNodePolicy.class));

    JsonNode expected =
        json(MockCluster.load(client, "/nodestates/upstream-pair.json", JsonNode.class));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(json(cluster.existingState("worker-1").getSpec())).isEqualTo(expected));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(accepted("pol-a").getStatus()).isEqualTo("True");
              assertThat(accepted("pol-b").getStatus()).isEqualTo("True");
            });
    var state = cluster.state("worker-1");
    assertThat(state.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("Node/worker-1"));

    // A new agent report that changes nothing relevant must not rewrite the spec.
    String version = state.getMetadata().getResourceVersion();
    var pf = intelPf("ens1f0", PF_PCI);
    pf.setNumVfs(8);
    cluster.reportInterfaces("worker-1", List.of(pf));
    String afterReport = cluster.state("worker-1").getMetadata().getResourceVersion();
    assertThat(afterReport).isNotEqualTo(version);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(cluster.state("worker-1").getMetadata().getResourceVersion())
                    .isEqualTo(afterReport));
  }

  @Test
  void higherPriorityPolicyWinsAnOverlapAndPriorityChangesReRender() {
    cluster.node("worker-1", SRIOV_LABEL);
    start();
    awaitStateCreated("worker-1");
    cluster.reportInterfaces("worker-1", List.of(intelPf("ens1f0", PF_PCI)));

    cluster.createPolicy(wholePf("pol-low", "res_low", 50, 4, 1500));
    cluster.createPolicy(wholePf("pol-high", "res_high", 10, 8, 9000));

    await().atMost(WAIT).untilAsserted(() -> assertPf("res_high", "pol-high", 8, 9000, "0-7"));

    client
        .resources(SriovNetworkNodePolicy.class)
        .inNamespace(OPERATOR_NS)
        .withName("pol-low")
        .edit(
            p -> {
              p.getSpec().setPriority(5);
              return p;
            });
    await().atMost(WAIT).untilAsserted(() -> assertPf("res_low", "pol-low", 4, 1500, "0-3"));
  }

  @Test
  void nodeLabelChangesMoveTheNodeInAndOut() {
    cluster.node("worker-1", SRIOV_LABEL);
    cluster.node("worker-2", Map.of("kubernetes.io/os", "linux"));
    start();
    awaitStateCreated("worker-1");
    awaitStateCreated("worker-2");
    cluster.reportInterfaces("worker-1", List.of(intelPf("ens1f0", PF_PCI)));
    cluster.reportInterfaces("worker-2", List.of(intelPf("ens1f0", "0000:5e:00.0")));
    cluster.createPolicy(
        MockCluster.load(client, "/policies/pol-a.yaml", SriovNetworkNodePolicy.class));
    await().atMost(WAIT).untilAsserted(() -> assertThat(interfaces("worker-1")).hasSize(1));
    assertThat(interfaces("worker-2")).isEmpty();

    var labels = new HashMap<>(Map.of("kubernetes.io/os", "linux"));
    labels.putAll(SRIOV_LABEL);
    cluster.setNodeLabels("worker-2", labels);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(interfaces("worker-2"))
                    .singleElement()
                    .satisfies(i -> assertThat(i.getPciAddress()).isEqualTo("0000:5e:00.0")));

    cluster.setNodeLabels("worker-2", Map.of("kubernetes.io/os", "linux"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(interfaces("worker-2")).isEmpty());
    assertThat(interfaces("worker-1")).hasSize(1);
  }

  @Test
  void rejectedPolicyGetsEventAndConditionAndNeverReachesANode() {
    cluster.node("worker-1", SRIOV_LABEL);
    start();
    awaitPolicyAOnWorker1();
    String version = cluster.state("worker-1").getMetadata().getResourceVersion();

    // Overlaps pol-a's VFs 0-3 on the same PF: upstream's webhook would refuse it.
    var overlapping =
        MockCluster.load(client, "/policies/pol-b.yaml", SriovNetworkNodePolicy.class);
    overlapping.getMetadata().setName("pol-z-overlap");
    overlapping.getSpec().getNicSelector().setPfNames(List.of("ens1f0#2-5"));
    cluster.createPolicy(overlapping);
    // Statically bad: resourceName pattern and a range beyond numVfs.
    var broken = MockCluster.load(client, "/policies/pol-b.yaml", SriovNetworkNodePolicy.class);
    broken.getMetadata().setName("pol-z-broken");
    broken.getSpec().setResourceName("bad name!");
    broken.getSpec().getNicSelector().setPfNames(List.of("ens1f1#0-9"));
    cluster.createPolicy(broken);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var condition = accepted("pol-z-overlap");
              assertThat(condition.getStatus()).isEqualTo("False");
              assertThat(condition.getReason()).isEqualTo(PolicyStatus.REASON_REJECTED);
              assertThat(condition.getMessage()).contains("spec.nicSelector.pfNames[0]", "pol-a");
              assertThat(cluster.warnings(OPERATOR_NS, "pol-z-overlap"))
                  .singleElement()
                  .satisfies(
                      e -> {
                        assertThat(e.getReason()).isEqualTo(PolicyStatus.REASON_REJECTED);
                        assertThat(e.getMessage())
                            .contains(
                                "VF index range in ens1f0#2-5 is overlapped with existing policy"
                                    + " pol-a");
                      });
              assertThat(accepted("pol-z-broken").getMessage())
                  .contains("spec.resourceName", "spec.nicSelector.pfNames");
              assertThat(cluster.warnings(OPERATOR_NS, "pol-z-broken")).hasSize(1);
            });
    await()
        .during(Duration.ofSeconds(2))
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(cluster.state("worker-1").getMetadata().getResourceVersion())
                    .isEqualTo(version));
    assertThat(accepted("pol-a").getStatus()).isEqualTo("True");
    // The event is written once per verdict, not on every re-evaluation.
    assertThat(cluster.warnings(OPERATOR_NS, "pol-z-overlap")).hasSize(1);
  }

  /**
   * Issue 14: {@code kubectl label node N key-} against a store that keeps {@code key: null} made
   * both reconcilers throw for every node (Map.copyOf). A null value is an absent label.
   */
  @Test
  void aLabelLeftWithANullValueIsAbsent() {
    var labels = new HashMap<>(SRIOV_LABEL);
    labels.put("team", "blue");
    cluster.node("worker-1", labels);
    cluster.storeNullLabel("worker-1", "team");
    assertThat(client.nodes().withName("worker-1").get().getMetadata().getLabels())
        .as("the mock server keeps the null, as a lenient store does")
        .containsEntry("team", null);
    start();
    awaitPolicyAOnWorker1();

    // The selector's own label removed the same way: the node leaves the policy.
    cluster.storeNullLabel("worker-1", "feature.node.kubernetes.io/network-sriov.capable");
    await().atMost(WAIT).untilAsserted(() -> assertThat(interfaces("worker-1")).isEmpty());
  }

  /**
   * Issue 14 item 8: a second whole-PF policy on the same PF was accepted; upstream's webhook
   * refuses it. A policy outside the operator namespace got no status at all; upstream admits it
   * with a warning and never uses it.
   */
  @Test
  void aSecondWholePfPolicyIsRejectedAndAPolicyElsewhereIsToldItIsNotUsed() {
    cluster.node("worker-1", SRIOV_LABEL);
    cluster.namespace("default");
    start();
    awaitStateCreated("worker-1");
    cluster.reportInterfaces("worker-1", List.of(intelPf("ens1f0", PF_PCI)));
    var first = wholePf("pol-first", "res_first", 10, 4, 1500);
    first.getSpec().getNicSelector().setPfNames(List.of("ens1f0"));
    cluster.createPolicy(first);
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(accepted("pol-first").getStatus()).isEqualTo("True"));
    var second = wholePf("pol-second", "res_second", 5, 8, 9000);
    second.getSpec().getNicSelector().setPfNames(List.of("ens1f0"));
    cluster.createPolicy(second);
    var elsewhere = wholePf("pol-elsewhere", "res_elsewhere", 1, 2, 1500);
    elsewhere.getMetadata().setNamespace("default");
    client.resource(elsewhere).create();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var c = accepted("pol-second");
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getMessage())
                  .contains(
                      "spec.nicSelector.pfNames[0]: VF index range in ens1f0 is overlapped with"
                          + " existing policy pol-first");
              var p =
                  client
                      .resources(SriovNetworkNodePolicy.class)
                      .inNamespace("default")
                      .withName("pol-elsewhere")
                      .get();
              var n =
                  Conditions.find(PolicyStatus.conditions(p), PolicyStatus.CONDITION_ACCEPTED)
                      .orElseThrow(AssertionError::new);
              assertThat(n.getStatus()).isEqualTo("False");
              assertThat(n.getReason()).isEqualTo(PolicyStatus.REASON_WRONG_NAMESPACE);
              assertThat(n.getMessage())
                  .isEqualTo(
                      "pol-elsewhere is created or updated but not used. Only policy in"
                          + " sriov-network-operator namespace is respected.");
              assertThat(cluster.warnings("default", "pol-elsewhere"))
                  .singleElement()
                  .satisfies(
                      e ->
                          assertThat(e.getReason()).isEqualTo(PolicyStatus.REASON_WRONG_NAMESPACE));
            });
    // Neither reaches the node: the first policy's 4 VFs at MTU 1500 stay.
    await()
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .untilAsserted(() -> assertPf("res_first", "pol-first", 4, 1500, "0-3"));
  }

  @Test
  void statesOfDeletedNodesAreRemovedAndLastPolicyDeletionEmptiesTheSpec() {
    cluster.node("worker-1", SRIOV_LABEL);
    cluster.node("worker-2", SRIOV_LABEL);
    start();
    awaitStateCreated("worker-1");
    awaitStateCreated("worker-2");
    cluster.reportInterfaces("worker-1", List.of(intelPf("ens1f0", PF_PCI)));
    cluster.createPolicy(
        MockCluster.load(client, "/policies/pol-a.yaml", SriovNetworkNodePolicy.class));
    await().atMost(WAIT).untilAsserted(() -> assertThat(interfaces("worker-1")).hasSize(1));

    client.nodes().withName("worker-2").delete();
    await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.state("worker-2")).isNull());

    client
        .resources(SriovNetworkNodePolicy.class)
        .inNamespace(OPERATOR_NS)
        .withName("pol-a")
        .delete();
    await().atMost(WAIT).untilAsserted(() -> assertThat(interfaces("worker-1")).isEmpty());
  }

  @Test
  void aStateWhoseAgentReportsNothingKeepsItsSpec() {
    cluster.node("worker-1", SRIOV_LABEL);
    start();
    awaitStateCreated("worker-1");
    cluster.reportInterfaces("worker-1", List.of(intelPf("ens1f0", PF_PCI)));
    cluster.createPolicy(
        MockCluster.load(client, "/policies/pol-a.yaml", SriovNetworkNodePolicy.class));
    await().atMost(WAIT).untilAsserted(() -> assertThat(interfaces("worker-1")).hasSize(1));

    // A restarting agent that has not discovered its NICs yet must not make the VFs go away.
    cluster.reportInterfaces("worker-1", List.of());

    await()
        .during(Duration.ofSeconds(2))
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(interfaces("worker-1")).hasSize(1));
  }

  @Test
  void nodeLabelSelectorDecidesWhichNodesGetAState() {
    cluster.node("worker-1", SRIOV_LABEL);
    cluster.node("infra-1", Map.of("kubernetes.io/os", "linux"));
    operator =
        SriovControllers.start(
            client,
            SriovControllerConfig.defaults()
                .withNodeLabelSelector("feature.node.kubernetes.io/network-sriov.capable=true"));
    awaitStateCreated("worker-1");
    await()
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(cluster.state("infra-1")).isNull());

    cluster.setNodeLabels("infra-1", SRIOV_LABEL);
    awaitStateCreated("infra-1");

    cluster.setNodeLabels("infra-1", Map.of("kubernetes.io/os", "linux"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.state("infra-1")).isNull());
    assertThat(cluster.state("worker-1")).isNotNull();
  }

  private void start() {
    operator = SriovControllers.start(client, SriovControllerConfig.defaults());
  }

  private void awaitStateCreated(String node) {
    await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.state(node)).isNotNull());
  }

  private List<SriovInterface> interfaces(String node) {
    SriovNetworkNodeStateSpec spec = cluster.existingState(node).getSpec();
    return spec == null || spec.getInterfaces() == null ? List.of() : spec.getInterfaces();
  }

  private void assertPf(String resource, String policy, int numVfs, int mtu, String range) {
    assertThat(interfaces("worker-1"))
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.getNumVfs()).isEqualTo(numVfs);
              assertThat(i.getMtu()).isEqualTo(mtu);
              assertThat(i.getVfGroups())
                  .singleElement()
                  .satisfies(
                      g -> {
                        assertThat(g.getResourceName()).isEqualTo(resource);
                        assertThat(g.getPolicyName()).isEqualTo(policy);
                        assertThat(g.getVfRange()).isEqualTo(range);
                      });
            });
  }

  private Condition accepted(String policy) {
    var p = cluster.policy(policy);
    assertThat(p).as(policy).isNotNull();
    return Conditions.find(PolicyStatus.conditions(p), PolicyStatus.CONDITION_ACCEPTED)
        .orElseThrow(() -> new AssertionError("no Accepted condition on " + policy));
  }

  private static SriovNetworkNodePolicy wholePf(
      String name, String resource, int priority, int numVfs, int mtu) {
    var policy = new SriovNetworkNodePolicy();
    policy.getMetadata().setName(name);
    policy.getMetadata().setNamespace(OPERATOR_NS);
    var spec = new SriovNetworkNodePolicySpec();
    spec.setResourceName(resource);
    spec.setNodeSelector(SRIOV_LABEL);
    spec.setPriority(priority);
    spec.setNumVfs(numVfs);
    spec.setMtu(mtu);
    // By model, not by pfNames: upstream's webhook refuses two whole-PF pfNames entries on one PF,
    // while two policies selecting it by vendor/device are merged by priority.
    var nics = new NicSelector();
    nics.setVendor("8086");
    nics.setDeviceID("158b");
    spec.setNicSelector(nics);
    policy.setSpec(spec);
    return policy;
  }

  private JsonNode json(Object value) {
    return client.getKubernetesSerialization().convertValue(value, JsonNode.class);
  }
}

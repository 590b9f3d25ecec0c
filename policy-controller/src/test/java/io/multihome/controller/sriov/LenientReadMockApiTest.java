package io.multihome.controller.sriov;

import static io.multihome.controller.sriov.MockCluster.OPERATOR_NS;
import static io.multihome.controller.sriov.MockCluster.SRIOV_LABEL;
import static io.multihome.controller.sriov.MockCluster.intelPf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.sriov.SriovNetwork;
import io.multihome.api.sriov.SriovNetworkNodePolicy;
import io.multihome.controller.InvalidObjectEvents;
import io.multihome.testkit.RawObjects;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: no object can stop the SR-IOV controllers. Every kind they read gets an unknown field,
 * a wrong type and an unknown enum value, written as raw JSON around the model (what kubectl can
 * store without schema validation, e.g. the upstream docs' SriovNetwork with {@code
 * metaPluginsConfig}); unknown fields are ignored, the rest makes the object invalid (condition
 * and/or Warning event naming the field) and good objects go on being reconciled.
 */
@EnableKubernetesMockClient(crud = true)
class LenientReadMockApiTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PF_PCI = "0000:3b:00.0";

  KubernetesClient client;
  private MockCluster cluster;
  private Operator operator;

  @BeforeEach
  void setUp() {
    cluster = new MockCluster(client).withCrds().namespace(OPERATOR_NS).namespace("default");
    cluster.node("worker-1", SRIOV_LABEL);
    operator = SriovControllers.start(client, SriovControllerConfig.defaults());
    await().atMost(WAIT).until(() -> cluster.state("worker-1") != null);
    cluster.reportInterfaces("worker-1", List.of(intelPf("ens1f0", PF_PCI)));
  }

  @AfterEach
  void tearDown() {
    operator.stop();
  }

  private GenericKubernetesResource create(String apiVersion, String kind, String json) {
    var object =
        client
            .getKubernetesSerialization()
            .unmarshal(json.replace('\'', '"'), GenericKubernetesResource.class);
    return client.genericKubernetesResources(apiVersion, kind).resource(object).create();
  }

  private GenericKubernetesResource policy(String name, String spec) {
    return create(
        "sriovnetwork.openshift.io/v1",
        "SriovNetworkNodePolicy",
        "{'apiVersion': 'sriovnetwork.openshift.io/v1', 'kind': 'SriovNetworkNodePolicy',"
            + " 'metadata': {'name': '"
            + name
            + "', 'namespace': '"
            + OPERATOR_NS
            + "'}, 'spec': "
            + spec
            + "}");
  }

  private GenericKubernetesResource network(String name, String spec) {
    return create(
        "sriovnetwork.openshift.io/v1",
        "SriovNetwork",
        "{'apiVersion': 'sriovnetwork.openshift.io/v1', 'kind': 'SriovNetwork',"
            + " 'metadata': {'name': '"
            + name
            + "', 'namespace': '"
            + OPERATOR_NS
            + "'}, 'spec': "
            + spec
            + "}");
  }

  private Condition accepted(String policy) {
    var p = cluster.policy(policy);
    assertThat(p).as(policy).isNotNull();
    return Conditions.find(PolicyStatus.conditions(p), PolicyStatus.CONDITION_ACCEPTED)
        .orElseThrow(() -> new AssertionError("no Accepted condition on " + policy));
  }

  private Condition ready(String network) {
    var n = client.resources(SriovNetwork.class).inNamespace(OPERATOR_NS).withName(network).get();
    assertThat(n).as(network).isNotNull();
    assertThat(n.getStatus()).as(network + " status").isNotNull();
    return Conditions.find(n.getStatus().getConditions(), SriovNetwork.CONDITION_READY)
        .orElseThrow(() -> new AssertionError("no Ready condition on " + network));
  }

  private NetworkAttachmentDefinition nad(String namespace, String name) {
    return client
        .resources(NetworkAttachmentDefinition.class)
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  private List<Event> warnings(String namespace, String name) {
    return cluster.warnings(namespace, name);
  }

  @Test
  void policiesWithATypoAWrongTypeAndAnUnknownEnumAreRejectedWithTheirPaths() {
    policy(
        "pol-typo",
        "{'resourceName': 'typo', 'nodeSelector': {'feature.node.kubernetes.io/network-sriov."
            + "capable': 'true'}, 'numVFs': 4, 'nicSelector': {'pfNames': ['ens1f0#0-3']}}");
    policy(
        "pol-type",
        "{'resourceName': 'type', 'nodeSelector': {'feature.node.kubernetes.io/network-sriov."
            + "capable': 'true'}, 'numVfs': 'four', 'nicSelector': {'pfNames': ['ens1f0#0-3']}}");
    policy(
        "pol-enum",
        "{'resourceName': 'enum', 'nodeSelector': {'feature.node.kubernetes.io/network-sriov."
            + "capable': 'true'}, 'numVfs': 4, 'deviceType': 'dpdk',"
            + " 'nicSelector': {'pfNames': ['ens1f0#0-3']}}");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(accepted("pol-typo").getMessage())
                  .contains("spec.numVfs: is required", "spec.numVFs: unknown field, ignored");
              assertThat(accepted("pol-type").getMessage())
                  .contains("spec.numVfs: \"four\" is not an integer");
              assertThat(accepted("pol-enum").getMessage())
                  .contains("spec.deviceType: \"dpdk\" is not one of \"netdevice\", \"vfio-pci\"");
              for (var p : List.of("pol-typo", "pol-type", "pol-enum")) {
                assertThat(accepted(p).getStatus()).isEqualTo("False");
                assertThat(warnings(OPERATOR_NS, p))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getMessage()).contains(accepted(p).getMessage()));
              }
            });
    // Still reconciling: a good policy reaches the node.
    cluster.createPolicy(
        MockCluster.load(client, "/policies/pol-a.yaml", SriovNetworkNodePolicy.class));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(accepted("pol-a").getStatus()).isEqualTo("True");
              assertThat(cluster.existingState("worker-1").getSpec().getInterfaces()).hasSize(1);
            });
  }

  @Test
  void networksFromTheUpstreamDocsAndWithBadValuesNeitherStopTheController() {
    // docs: metaPluginsConfig is in no CRD; an API server prunes it, we ignore it.
    network(
        "net-docs",
        "{'resourceName': 'intelnics', 'networkNamespace': 'default', 'vlan': 0,"
            + " 'metaPluginsConfig': '{\\'type\\': \\'tuning\\'}',"
            + " 'ipam': '{\\'type\\': \\'host-local\\', \\'subnet\\': \\'203.0.113.0/24\\'}'}");
    network(
        "net-bad",
        "{'resourceName': 'intelnics', 'networkNamespace': 'default', 'spoofChk': 'ON',"
            + " 'vlan': 'ten'}");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(nad("default", "net-docs")).isNotNull();
              assertThat(ready("net-docs").getStatus()).isEqualTo("True");
              var bad = ready("net-bad");
              assertThat(bad.getStatus()).isEqualTo("False");
              assertThat(bad.getMessage())
                  .isEqualTo(
                      "spec.spoofChk: \"ON\" is not one of \"on\", \"off\"; spec.vlan: \"ten\" is"
                          + " not an integer; the NetworkAttachmentDefinition is left as it is");
              assertThat(warnings(OPERATOR_NS, "net-bad"))
                  .singleElement()
                  .satisfies(e -> assertThat(e.getMessage()).contains("spec.spoofChk"));
            });
    assertThat(nad("default", "net-bad")).isNull();
    network("net-after", "{'resourceName': 'intelnics', 'networkNamespace': 'default'}");
    await().atMost(WAIT).until(() -> nad("default", "net-after") != null);
  }

  @Test
  void aNodeStateEditedByHandIsRewrittenAndReported() {
    cluster.createPolicy(
        MockCluster.load(client, "/policies/pol-a.yaml", SriovNetworkNodePolicy.class));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(cluster.existingState("worker-1").getSpec().getInterfaces())
                    .isNotEmpty());
    int rendered = cluster.state("worker-1").getSpec().getInterfaces().get(0).getNumVfs();
    var states =
        client
            .genericKubernetesResources("sriovnetwork.openshift.io/v1", "SriovNetworkNodeState")
            .inNamespace(OPERATOR_NS);
    var edited = states.withName("worker-1").get();
    @SuppressWarnings("unchecked")
    var spec = (Map<String, Object>) edited.getAdditionalProperties().get("spec");
    @SuppressWarnings("unchecked")
    var iface = ((List<Map<String, Object>>) spec.get("interfaces")).get(0);
    iface.put("numVfs", "many");
    iface.put("linkType", "infiniband-ish");
    iface.put("someday", "maybe");
    states.resource(edited).update();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              // Read untyped: until the controller rewrote it, numVfs is "many", which the typed
              // read would refuse with an exception that ends the wait.
              Object numVfs =
                  states.withName("worker-1").get().get("spec", "interfaces", 0, "numVfs");
              assertThat(numVfs).isEqualTo(rendered);
              assertThat(warnings(OPERATOR_NS, "worker-1"))
                  .anySatisfy(
                      e -> {
                        assertThat(e.getReason()).isEqualTo(InvalidObjectEvents.REASON);
                        assertThat(e.getMessage())
                            .contains(
                                "spec.interfaces[0].numVfs: \"many\" is not an integer",
                                "spec.interfaces[0].linkType: \"infiniband-ish\" is not one of");
                      });
            });
  }

  @Test
  void nadsWithAnExtraKeyAreFineAndWithAConfigObjectAreReported() {
    create(
        "k8s.cni.cncf.io/v1",
        "NetworkAttachmentDefinition",
        "{'apiVersion': 'k8s.cni.cncf.io/v1', 'kind': 'NetworkAttachmentDefinition',"
            + " 'metadata': {'name': 'extra', 'namespace': 'default'},"
            + " 'spec': {'config': '{}', 'extra': 'x'}}");
    create(
        "k8s.cni.cncf.io/v1",
        "NetworkAttachmentDefinition",
        "{'apiVersion': 'k8s.cni.cncf.io/v1', 'kind': 'NetworkAttachmentDefinition',"
            + " 'metadata': {'name': 'object', 'namespace': 'default'},"
            + " 'spec': {'config': {'cniVersion': '1.0.0', 'type': 'bridge'}}}");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(warnings("default", "object"))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getReason()).isEqualTo(InvalidObjectEvents.REASON);
                          assertThat(e.getInvolvedObject().getKind())
                              .isEqualTo("NetworkAttachmentDefinition");
                          assertThat(e.getMessage())
                              .contains("spec.config: expected a string, got an object");
                        }));
    assertThat(warnings("default", "extra")).isEmpty();
    // The SR-IOV side goes on: a network still gets its NAD.
    network("net-after", "{'resourceName': 'intelnics', 'networkNamespace': 'default'}");
    await().atMost(WAIT).until(() -> nad("default", "net-after") != null);
  }

  /**
   * A Node is read by fabric8's model: with a value of the wrong type (an API server refuses it, a
   * store without validation keeps it) it used to fail the node informer and stop the operator.
   */
  @Test
  void aNodeWithFieldsOfTheWrongTypeStopsNothing() {
    RawObjects.write(
        client,
        Node.class,
        "{'apiVersion': 'v1', 'kind': 'Node', 'metadata': {'name': 'worker-odd', 'labels':"
            + " {'feature.node.kubernetes.io/network-sriov.capable': 'true'}},"
            + " 'spec': {'unschedulable': 'perhaps', 'taints': 'none'}}");
    cluster.node("worker-2", SRIOV_LABEL);
    await().atMost(WAIT).until(() -> cluster.state("worker-2") != null);
    // The odd node's labels were readable: it is an SR-IOV node like any other.
    await().atMost(WAIT).until(() -> cluster.state("worker-odd") != null);
  }
}

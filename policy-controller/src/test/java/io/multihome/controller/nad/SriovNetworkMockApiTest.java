package io.multihome.controller.nad;

import static io.multihome.controller.sriov.MockCluster.OPERATOR_NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.nad.NetworkAttachmentDefinitionSpec;
import io.multihome.api.sriov.SriovNetwork;
import io.multihome.controller.sriov.Conditions;
import io.multihome.controller.sriov.MockCluster;
import io.multihome.controller.sriov.SriovControllerConfig;
import io.multihome.controller.sriov.SriovControllers;
import io.multihome.sriov.render.NadRenderer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@EnableKubernetesMockClient(crud = true)
class SriovNetworkMockApiTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  KubernetesClient client;
  KubernetesMockServer server;
  private MockCluster cluster;
  private Operator operator;

  @BeforeEach
  void setUp() {
    cluster =
        new MockCluster(client)
            .withCrds()
            .namespace(OPERATOR_NS)
            .namespace("team-a")
            .namespace("team-b")
            .namespace("team-c");
    operator = SriovControllers.start(client, SriovControllerConfig.defaults());
  }

  @AfterEach
  void tearDown() {
    operator.stop();
    MockCluster.assertNoServerSideApply(server);
  }

  /** Golden files are the sriov module's NadRendererTest ones (upstream's template by hand). */
  @ParameterizedTest
  @ValueSource(strings = {"vlan-qos", "ipam", "other-namespace"})
  void writesTheGoldenNadAndReportsReady(String name) throws Exception {
    var network = client.resource(network(name)).create();
    JsonNode golden = JSON.readTree(getClass().getResourceAsStream("/golden/" + name + ".json"));
    String namespace = golden.get("metadata").get("namespace").asText();
    String nadName = golden.get("metadata").get("name").asText();

    await().atMost(WAIT).untilAsserted(() -> assertThat(nad(namespace, nadName)).isNotNull());
    var nad = nad(namespace, nadName);
    assertThat(comparable(nad)).isEqualTo(golden);
    if (namespace.equals(network.getMetadata().getNamespace())) {
      assertThat(nad.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(o -> assertThat(o.getUid()).isEqualTo(network.getMetadata().getUid()));
    } else {
      assertThat(nad.getMetadata().getOwnerReferences()).isEmpty();
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var ready = ready(network.getMetadata().getNamespace(), nadName);
              assertThat(ready.getStatus()).isEqualTo("True");
              assertThat(ready.getReason()).isEqualTo(SriovNetwork.REASON_NETWORK_READY);
            });
    assertThat(network(network.getMetadata().getNamespace(), nadName).getMetadata().getFinalizers())
        .contains(SriovNetworkReconciler.FINALIZER);
  }

  @Test
  void changingNetworkNamespaceMovesTheNad() {
    client.resource(network("other-namespace")).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(nad("team-b", "shared-net")).isNotNull());

    client
        .resources(SriovNetwork.class)
        .inNamespace(OPERATOR_NS)
        .withName("shared-net")
        .edit(
            n -> {
              n.getSpec().setNetworkNamespace("team-c");
              return n;
            });

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(nad("team-c", "shared-net")).isNotNull();
              assertThat(nad("team-b", "shared-net")).isNull();
            });
  }

  @Test
  void editedNadIsRestored() {
    client.resource(network("vlan-qos")).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(nad("team-a", "vlan-qos")).isNotNull());
    String rendered = nad("team-a", "vlan-qos").getSpec().getConfig();

    nads("team-a")
        .withName("vlan-qos")
        .edit(
            n -> {
              n.getSpec().setConfig("{\"cniVersion\":\"1.0.0\",\"type\":\"macvlan\"}");
              return n;
            });

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(nad("team-a", "vlan-qos").getSpec().getConfig()).isEqualTo(rendered));
  }

  @Test
  void foreignNadIsNeverOverwritten() {
    String foreignConfig = "{\"cniVersion\":\"0.4.0\",\"name\":\"vlan-qos\",\"type\":\"macvlan\"}";
    var foreign = new NetworkAttachmentDefinition();
    foreign.setMetadata(
        new ObjectMetaBuilder()
            .withName("vlan-qos")
            .withNamespace("team-a")
            .withAnnotations(
                Map.of(
                    NadRenderer.OWNER_ANNOTATION,
                    "SriovNetwork.sriovnetwork.openshift.io/team-z/vlan-qos"))
            .build());
    foreign.setSpec(new NetworkAttachmentDefinitionSpec(foreignConfig));
    client.resource(foreign).create();

    client.resource(network("vlan-qos")).create();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var ready = ready("team-a", "vlan-qos");
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo(NetworkStatusFactory.REASON_NAD_NOT_OWNED);
              assertThat(ready.getMessage()).contains("team-a/vlan-qos", "team-z/vlan-qos");
              assertThat(cluster.warnings("team-a", "vlan-qos"))
                  .singleElement()
                  .satisfies(
                      e ->
                          assertThat(e.getReason())
                              .isEqualTo(NetworkStatusFactory.REASON_NAD_NOT_OWNED));
            });
    await()
        .during(Duration.ofSeconds(2))
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(nad("team-a", "vlan-qos").getSpec().getConfig())
                    .isEqualTo(foreignConfig));

    // Deleting the network must not delete the NAD it never owned.
    client.resources(SriovNetwork.class).inNamespace("team-a").withName("vlan-qos").delete();
    await().atMost(WAIT).untilAsserted(() -> assertThat(network("team-a", "vlan-qos")).isNull());
    assertThat(nad("team-a", "vlan-qos").getSpec().getConfig()).isEqualTo(foreignConfig);
  }

  @Test
  void nadWithoutOwnerAnnotationIsLeftAloneUntilItIsGone() {
    var foreign = new NetworkAttachmentDefinition();
    foreign.setMetadata(
        new ObjectMetaBuilder().withName("vlan-qos").withNamespace("team-a").build());
    foreign.setSpec(new NetworkAttachmentDefinitionSpec("{\"type\":\"bridge\"}"));
    client.resource(foreign).create();
    client.resource(network("vlan-qos")).create();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(ready("team-a", "vlan-qos").getMessage())
                    .contains("owner annotation: none"));

    nads("team-a").withName("vlan-qos").delete();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(ready("team-a", "vlan-qos").getStatus()).isEqualTo("True");
              assertThat(NadOwnership.ownerAnnotation(nad("team-a", "vlan-qos")))
                  .contains("SriovNetwork.sriovnetwork.openshift.io/team-a/vlan-qos");
            });
  }

  @Test
  void deletionRemovesTheNadInAnotherNamespace() {
    client.resource(network("other-namespace")).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(nad("team-b", "shared-net")).isNotNull());

    client.resources(SriovNetwork.class).inNamespace(OPERATOR_NS).withName("shared-net").delete();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(nad("team-b", "shared-net")).isNull();
              assertThat(network(OPERATOR_NS, "shared-net")).isNull();
            });
  }

  @Test
  void invalidNetworkIsReportedAndWritesNothing() {
    var network = network("vlan-qos");
    network.getSpec().setNetworkNamespace("team-b"); // only networks in the operator namespace may
    client.resource(network).create();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var ready = ready("team-a", "vlan-qos");
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo(SriovNetwork.REASON_NAD_INVALID);
              assertThat(ready.getMessage()).contains("spec.networkNamespace");
              assertThat(cluster.warnings("team-a", "vlan-qos")).hasSize(1);
            });
    assertThat(nad("team-b", "vlan-qos")).isNull();
    assertThat(nad("team-a", "vlan-qos")).isNull();
  }

  @Test
  void missingNamespaceIsReportedAndTheNadFollowsWhenItAppears() {
    var network = network("other-namespace");
    network.getSpec().setNetworkNamespace("team-late");
    client.resource(network).create();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(ready(OPERATOR_NS, "shared-net").getReason())
                    .isEqualTo(SriovNetwork.REASON_NAMESPACE_NOT_FOUND));

    cluster.namespace("team-late");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(nad("team-late", "shared-net")).isNotNull();
              assertThat(ready(OPERATOR_NS, "shared-net").getStatus()).isEqualTo("True");
            });
  }

  private SriovNetwork network(String file) {
    return MockCluster.load(client, "/networks/" + file + ".yaml", SriovNetwork.class);
  }

  private SriovNetwork network(String namespace, String name) {
    return client.resources(SriovNetwork.class).inNamespace(namespace).withName(name).get();
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          NetworkAttachmentDefinition,
          io.fabric8.kubernetes.api.model.KubernetesResourceList<NetworkAttachmentDefinition>,
          io.fabric8.kubernetes.client.dsl.Resource<NetworkAttachmentDefinition>>
      nads(String namespace) {
    return client.resources(NetworkAttachmentDefinition.class).inNamespace(namespace);
  }

  private NetworkAttachmentDefinition nad(String namespace, String name) {
    return nads(namespace).withName(name).get();
  }

  private Condition ready(String namespace, String name) {
    var network = network(namespace, name);
    assertThat(network).isNotNull();
    var conditions = network.getStatus() == null ? null : network.getStatus().getConditions();
    return Conditions.find(conditions, SriovNetwork.CONDITION_READY)
        .orElseThrow(() -> new AssertionError("no Ready condition on " + namespace + "/" + name));
  }

  /** The NAD as the golden files hold it: server-set metadata dropped, config parsed. */
  private ObjectNode comparable(NetworkAttachmentDefinition nad) throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(client.getKubernetesSerialization().asJson(nad));
    ObjectNode meta = (ObjectNode) json.get("metadata");
    meta.retain("name", "namespace", "annotations");
    ((ObjectNode) json.get("spec")).set("config", JSON.readTree(nad.getSpec().getConfig()));
    return json;
  }
}

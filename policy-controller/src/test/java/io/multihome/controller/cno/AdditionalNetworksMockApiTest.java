package io.multihome.controller.cno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.nad.NetworkAttachmentDefinitionSpec;
import io.multihome.api.openshift.AdditionalNetworkDefinition;
import io.multihome.api.openshift.Network;
import io.multihome.api.openshift.OperatorCondition;
import io.multihome.controller.PolicyController;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CNO additionalNetworks controller, started by {@link PolicyController} with its switch on,
 * against the mock API server; the seed manifest is applied unchanged.
 */
@EnableKubernetesMockClient(crud = true)
class AdditionalNetworksMockApiTest {
  static final String SEED = "/seed-examples/s000-multus-hostdevice/network-operator-cluster.yaml";
  static final Path SHARED_SEED =
      Path.of("/work/shared/seed-examples/s000-multus-hostdevice/network-operator-cluster.yaml");
  static final Duration WAIT = Duration.ofSeconds(15);

  KubernetesClient client;
  PolicyController controller;

  @BeforeEach
  void start() {
    controller = NetworkOperatorMock.start(client, "default", "example", "multihome");
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  Network seed() throws Exception {
    try (InputStream in = getClass().getResourceAsStream(SEED)) {
      return client.resources(Network.class).load(in).item();
    }
  }

  NetworkAttachmentDefinition nad(String ns, String name) {
    return client.resources(NetworkAttachmentDefinition.class).inNamespace(ns).withName(name).get();
  }

  OperatorCondition degraded() {
    return NetworkOperatorMock.degraded(client);
  }

  /** The NAD's config; an assertion failure (awaits retry it) while the NAD does not exist. */
  String config(String namespace, String name) {
    var nad = nad(namespace, name);
    assertThat(nad).as("NAD %s/%s", namespace, name).isNotNull();
    return nad.getSpec().getConfig();
  }

  void edit(java.util.function.Consumer<Network> change) {
    client
        .resources(Network.class)
        .withName("cluster")
        .edit(
            n -> {
              change.accept(n);
              return n;
            });
  }

  static AdditionalNetworkDefinition raw(String name, String ns, String config) {
    var e = new AdditionalNetworkDefinition();
    e.setType("Raw");
    e.setName(name);
    e.setNamespace(ns);
    e.setRawCniConfig(config);
    return e;
  }

  @Test
  void theSeedManifestRendersItsNad() throws Exception {
    if (Files.exists(SHARED_SEED)) {
      try (InputStream in = getClass().getResourceAsStream(SEED)) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
            .as("the test copy is the seed, unchanged")
            .isEqualTo(Files.readString(SHARED_SEED));
      }
    }
    var network = seed();
    client.resource(network).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(nad("example", "example")).isNotNull());
    var nad = nad("example", "example");
    assertThat(nad.getSpec().getConfig())
        .isEqualTo(network.getSpec().getAdditionalNetworks().get(0).getRawCniConfig())
        .startsWith("{\n  \"cniVersion\": \"0.3.1\",\n  \"name\": \"example\",")
        .endsWith("\"type\": \"dhcp\"\n  }\n}");
    var owner = nad.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getApiVersion()).isEqualTo("operator.openshift.io/v1");
    assertThat(owner.getKind()).isEqualTo("Network");
    assertThat(owner.getName()).isEqualTo("cluster");
    assertThat(owner.getController()).isTrue();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(degraded().getStatus()).isEqualTo("False");
              assertThat(degraded().getMessage()).isEqualTo("1 additional network(s) rendered");
            });
  }

  @Test
  void changesAreFollowedAndOnlyOwnNadsAreTouched() throws Exception {
    // Someone else's NADs: one in the way of an entry, one unrelated.
    for (var name : List.of("foreign", "unrelated")) {
      var foreign = new NetworkAttachmentDefinition();
      foreign.getMetadata().setName(name);
      foreign.getMetadata().setNamespace("default");
      var spec = new NetworkAttachmentDefinitionSpec();
      spec.setConfig("{\"type\": \"mine\"}");
      foreign.setSpec(spec);
      client.resource(foreign).create();
    }
    client.resource(seed()).create();
    await().atMost(WAIT).until(() -> nad("example", "example") != null);

    edit(
        n -> {
          n.getSpec().getAdditionalNetworks().get(0).setRawCniConfig("{\"cniVersion\": \"1.0.0\"}");
          n.getSpec().getAdditionalNetworks().add(raw("second", null, "{\"type\": \"bridge\"}"));
          n.getSpec().getAdditionalNetworks().add(raw("foreign", null, "{\"type\": \"ours\"}"));
        });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(config("example", "example")).isEqualTo("{\"cniVersion\": \"1.0.0\"}");
              assertThat(config("default", "second")).isEqualTo("{\"type\": \"bridge\"}");
              assertThat(degraded().getMessage())
                  .isEqualTo(
                      "spec.additionalNetworks[2] (default/foreign): NetworkAttachmentDefinition"
                          + " default/foreign exists and was not rendered from this Network; it"
                          + " is left alone");
            });
    assertThat(nad("default", "foreign").getSpec().getConfig()).isEqualTo("{\"type\": \"mine\"}");

    // Entries go: their NADs go; the foreign ones stay.
    edit(n -> n.getSpec().setAdditionalNetworks(new java.util.ArrayList<>()));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(nad("example", "example")).isNull();
              assertThat(nad("default", "second")).isNull();
              assertThat(degraded().getStatus()).isEqualTo("False");
            });
    assertThat(nad("default", "foreign")).isNotNull();
    assertThat(nad("default", "unrelated")).isNotNull();
  }

  @Test
  void invalidEntriesAreReportedAndKeepTheirNad() throws Exception {
    client.resource(seed()).create();
    await().atMost(WAIT).until(() -> nad("example", "example") != null);
    String before = nad("example", "example").getSpec().getConfig();
    edit(
        n -> {
          n.getSpec().getAdditionalNetworks().get(0).setRawCniConfig("{not json");
          var bad = new AdditionalNetworkDefinition();
          bad.setType("SimpleIPVLAN");
          bad.setName("ipvlan");
          n.getSpec().getAdditionalNetworks().add(bad);
          n.getSpec().getAdditionalNetworks().add(raw("good", "default", "{}"));
          n.getSpec().getAdditionalNetworks().add(raw("later", "not-yet", "{}"));
        });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(degraded().getStatus()).isEqualTo("True");
              assertThat(degraded().getReason()).isEqualTo("InvalidAdditionalNetworks");
              assertThat(degraded().getMessage())
                  .isEqualTo(
                      "spec.additionalNetworks[0] (example/example): failed to Unmarshal"
                          + " RawCNIConfig: {not json; spec.additionalNetworks[1]"
                          + " (default/ipvlan): unknown or unsupported NetworkType: SimpleIPVLAN;"
                          + " spec.additionalNetworks[3] (not-yet/later): namespace not-yet does"
                          + " not exist; create it or change the entry's namespace");
              assertThat(nad("default", "good")).isNotNull();
            });
    assertThat(nad("example", "example").getSpec().getConfig()).isEqualTo(before);
    NetworkOperatorMock.awaitWarning(client, WAIT, "SimpleIPVLAN");

    // The missing namespace appears: its NAD follows without any edit of the Network.
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("not-yet").endMetadata().build())
        .create();
    await().atMost(WAIT).until(() -> nad("not-yet", "later") != null);
  }

  @Test
  void onlyTheClusterNetworkIsReadAndUnmanagedIsLeftAlone() throws Exception {
    var other = seed();
    other.getMetadata().setName("other");
    client.resource(other).create();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var n = client.resources(Network.class).withName("other").get();
              assertThat(n).as("Network other").isNotNull();
              assertThat(n.getStatus()).isNotNull();
              assertThat(NetworkConditions.current(n).getReason())
                  .isEqualTo("NotTheClusterNetwork");
            });
    assertThat(nad("example", "example")).isNull();

    var unmanaged = seed();
    unmanaged.getSpec().setManagementState("Unmanaged");
    client.resource(unmanaged).create();
    Thread.sleep(1500);
    assertThat(nad("example", "example")).isNull();
  }
}

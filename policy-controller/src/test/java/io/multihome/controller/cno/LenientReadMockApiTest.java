package io.multihome.controller.cno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.openshift.Network;
import io.multihome.api.openshift.OperatorCondition;
import io.multihome.controller.PolicyController;
import io.multihome.testkit.RawObjects;
import java.time.Duration;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: no Network can stop the additionalNetworks controller. The Network {@code cluster} is
 * written as raw JSON around the model (what a store without the CNO's schema keeps): unknown
 * fields are ignored; a wrong type in an entry makes that entry invalid (Degraded names the field,
 * a Warning event, its NAD left as it was) while the other entries render; an unreadable setting
 * outside the entries changes nothing. The entry {@code type} is text in the model, so an unknown
 * value reaches the renderer and is reported as the CNO does.
 */
@EnableKubernetesMockClient(crud = true)
class LenientReadMockApiTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  KubernetesClient client;
  PolicyController controller;

  @BeforeEach
  void start() {
    controller = NetworkOperatorMock.start(client, "default");
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  private Resource<GenericKubernetesResource> raw() {
    return client
        .genericKubernetesResources(ResourceDefinitionContext.fromResourceType(Network.class))
        .withName(Network.CLUSTER);
  }

  /**
   * Creates the Network {@code cluster} with {@code spec} (JSON, ' for ") and a top-level extra.
   */
  private void create(String spec) {
    RawObjects.write(
        client,
        Network.class,
        "{'apiVersion': 'operator.openshift.io/v1', 'kind': 'Network', 'metadata': {'name':"
            + " 'cluster'}, 'extra': 1, 'spec': "
            + spec
            + "}");
  }

  /** Replaces the spec of the Network {@code cluster} with {@code spec} (JSON, ' for "). */
  private void replaceSpec(String spec) {
    // A JSON patch without a resourceVersion test: the controller writes the status meanwhile, and
    // a read-modify-write (edit) would then fail with 409 Conflict.
    raw()
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\": \"replace\", \"path\": \"/spec\", \"value\": "
                + spec.replace('\'', '"')
                + "}]");
  }

  private NetworkAttachmentDefinition nad(String name) {
    return client
        .resources(NetworkAttachmentDefinition.class)
        .inNamespace("default")
        .withName(name)
        .get();
  }

  private OperatorCondition degraded() {
    return NetworkOperatorMock.degraded(client);
  }

  /** Waits for {@code assertion}; an object or status not written yet reads as null meanwhile. */
  private static void eventually(ThrowingRunnable assertion) {
    await()
        .atMost(WAIT)
        .ignoreExceptionsInstanceOf(NullPointerException.class)
        .untilAsserted(assertion);
  }

  private void awaitWarning(String text) {
    NetworkOperatorMock.awaitWarning(client, WAIT, text);
  }

  @Test
  void badEntriesAreReportedWithTheirPathsAndTheGoodOnesRender() {
    create(
        "{'futureField': {'a': 1}, 'additionalNetworks': ["
            + "{'type': 'Raw', 'name': 'good', 'rawCNIConfig': '{}', 'color': 'blue'},"
            + "{'type': 'SimpleMacvlan', 'name': 'mv', 'simpleMacvlanConfig':"
            + " {'master': 'eth1', 'mtu': 'big'}},"
            + "{'type': 'Bridge', 'name': 'br'},"
            + "{'type': 'Raw', 'name': {'oops': 1}, 'rawCNIConfig': '{}'}]}");
    eventually(
        () -> {
          assertThat(nad("good")).isNotNull();
          assertThat(degraded().getStatus()).isEqualTo("True");
          assertThat(degraded().getMessage())
              .isEqualTo(
                  "spec.additionalNetworks[1] (default/mv): simpleMacvlanConfig.mtu: \"big\""
                      + " is not an integer; spec.additionalNetworks[2] (default/br): unknown"
                      + " or unsupported NetworkType: Bridge; spec.additionalNetworks[3]:"
                      + " name: expected a string, got an object");
        });
    assertThat(nad("mv")).isNull();
    assertThat(nad("br")).isNull();
    awaitWarning("spec.additionalNetworks[1] (default/mv): simpleMacvlanConfig.mtu");

    // Still reconciling: the entries fixed, every NAD follows and Degraded clears.
    replaceSpec(
        "{'additionalNetworks': [{'type': 'Raw', 'name': 'good', 'rawCNIConfig': '{}'},"
            + "{'type': 'SimpleMacvlan', 'name': 'mv', 'simpleMacvlanConfig': {'mtu': 1400}}]}");
    eventually(
        () -> {
          assertThat(nad("mv").getSpec().getConfig()).contains("\"mtu\": 1400");
          assertThat(degraded().getStatus()).isEqualTo("False");
        });
  }

  @Test
  void anEntryThatBecomesUnreadableKeepsItsNadAndSoDoesOneWhoseNameIsUnreadable() {
    create(
        "{'additionalNetworks': ["
            + "{'type': 'SimpleMacvlan', 'name': 'mv', 'simpleMacvlanConfig': {'mtu': 1400}},"
            + "{'type': 'Raw', 'name': 'keep', 'rawCNIConfig': '{}'}]}");
    await().atMost(WAIT).until(() -> nad("mv") != null && nad("keep") != null);
    var before = nad("mv").getSpec().getConfig();

    replaceSpec(
        "{'additionalNetworks': ["
            + "{'type': 'SimpleMacvlan', 'name': 'mv', 'simpleMacvlanConfig': {'mtu': 'big'}},"
            + "{'type': 'Raw', 'name': ['keep'], 'rawCNIConfig': '{\\'changed\\': 1}'},"
            + "{'type': 'Raw', 'name': 'new', 'rawCNIConfig': '{}'}]}");
    eventually(
        () -> {
          assertThat(nad("new")).isNotNull();
          assertThat(degraded().getMessage())
              .isEqualTo(
                  "spec.additionalNetworks[0] (default/mv): simpleMacvlanConfig.mtu: \"big\""
                      + " is not an integer; spec.additionalNetworks[1]: name: expected a"
                      + " string, got a list");
        });
    // Which NAD entry [1] is cannot be told: nothing is taken for stale.
    assertThat(nad("mv").getSpec().getConfig()).isEqualTo(before);
    assertThat(nad("keep").getSpec().getConfig()).isEqualTo("{}");
  }

  @Test
  void anUnreadableSettingOutsideTheEntriesChangesNothing() {
    create("{'additionalNetworks': [{'type': 'Raw', 'name': 'good', 'rawCNIConfig': '{}'}]}");
    await().atMost(WAIT).until(() -> nad("good") != null);

    // Read as written, this would remove every NAD: neither setting can be trusted.
    replaceSpec("{'disableMultiNetwork': 'yes', 'additionalNetworks': []}");
    eventually(
        () -> {
          assertThat(degraded().getStatus()).isEqualTo("True");
          assertThat(degraded().getReason()).isEqualTo("InvalidFields");
          assertThat(degraded().getMessage())
              .isEqualTo(
                  "spec.disableMultiNetwork: \"yes\" is not a boolean (true or false); no"
                      + " NetworkAttachmentDefinition is changed until the Network can be"
                      + " read");
        });
    awaitWarning("spec.disableMultiNetwork");
    replaceSpec("{'additionalNetworks': 'all of them'}");
    eventually(
        () ->
            assertThat(degraded().getMessage())
                .startsWith("spec.additionalNetworks: expected a list"));
    assertThat(nad("good")).isNotNull();

    replaceSpec(
        "{'additionalNetworks': [{'type': 'Raw', 'name': 'good', 'rawCNIConfig': '{}'},"
            + "{'type': 'Raw', 'name': 'after', 'rawCNIConfig': '{}'}]}");
    eventually(
        () -> {
          assertThat(nad("after")).isNotNull();
          assertThat(degraded().getStatus()).isEqualTo("False");
        });
  }
}

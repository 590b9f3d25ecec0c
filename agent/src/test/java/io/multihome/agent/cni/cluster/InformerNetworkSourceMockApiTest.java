package io.multihome.agent.cni.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.agent.cni.nad.NetworkSource.SourceUnavailableException;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: the NAD informer of the CNI daemon reads NADs leniently. A NAD with an extra key under
 * spec is served; one whose config is not a string is answered with an error naming the field (and
 * does not stop the informer); a null annotation value (a merge-patch removal) is absent.
 */
@EnableKubernetesMockClient(crud = true)
class InformerNetworkSourceMockApiTest {
  KubernetesClient client;
  private InformerNetworkSource source;

  @AfterEach
  void tearDown() {
    if (source != null) {
      source.close();
    }
  }

  private void nad(String json) {
    var nad =
        client
            .getKubernetesSerialization()
            .unmarshal(json.replace('\'', '"'), GenericKubernetesResource.class);
    client
        .genericKubernetesResources(
            ResourceDefinitionContext.fromResourceType(NetworkAttachmentDefinition.class))
        .resource(nad)
        .create();
  }

  @Test
  void oddNadsDoNotStopTheInformerAndBadOnesSayWhy() {
    nad(
        "{'apiVersion': 'k8s.cni.cncf.io/v1', 'kind': 'NetworkAttachmentDefinition',"
            + " 'metadata': {'name': 'extra', 'namespace': 'apps',"
            + " 'annotations': {'k8s.v1.cni.cncf.io/resourceName': 'intel.com/vf', 'gone': null}},"
            + " 'spec': {'config': '{\\'type\\': \\'bridge\\'}', 'extra': {'x': 1}}}");
    nad(
        "{'apiVersion': 'k8s.cni.cncf.io/v1', 'kind': 'NetworkAttachmentDefinition',"
            + " 'metadata': {'name': 'object', 'namespace': 'apps'},"
            + " 'spec': {'config': {'type': 'bridge'}}}");
    source = InformerNetworkSource.start(client, List.of());
    await().atMost(Duration.ofSeconds(10)).until(source::hasSynced);

    var extra = source.find("apps", "extra").orElseThrow();
    assertThat(extra.config()).contains("bridge");
    assertThat(extra.annotations())
        .containsExactly(java.util.Map.entry("k8s.v1.cni.cncf.io/resourceName", "intel.com/vf"));
    assertThatThrownBy(() -> source.find("apps", "object"))
        .isInstanceOf(SourceUnavailableException.class)
        .hasMessage(
            "NetworkAttachmentDefinition apps/object has fields that cannot be read:"
                + " spec.config: expected a string, got an object");

    // Still watching: a NAD created afterwards is served.
    nad(
        "{'apiVersion': 'k8s.cni.cncf.io/v1', 'kind': 'NetworkAttachmentDefinition',"
            + " 'metadata': {'name': 'later', 'namespace': 'apps'},"
            + " 'spec': {'config': '{\\'type\\': \\'macvlan\\'}'}}");
    await().atMost(Duration.ofSeconds(10)).until(() -> source.find("apps", "later").isPresent());
  }
}

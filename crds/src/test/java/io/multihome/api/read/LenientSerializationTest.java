package io.multihome.api.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.ServiceList;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.multihome.api.whereabouts.IPPool;
import org.junit.jupiter.api.Test;

/**
 * The API's own kinds as informers read them (whole lists): fabric8's serialization fails the list
 * on one wrong type; the lenient one reads that field as absent and every other object as written.
 */
class LenientSerializationTest {
  private final KubernetesSerialization lenient = new LenientSerialization();

  private <T> T read(KubernetesSerialization json, String text, Class<T> type) {
    return json.unmarshal(text.replace('\'', '"'), type);
  }

  private static String list(String kind, String bad, String good) {
    return "{'apiVersion': 'v1', 'kind': '"
        + kind
        + "List', 'metadata': {}, 'items': ["
        + bad
        + ", "
        + good
        + "]}";
  }

  @Test
  void aServiceWithAWrongTypeBeforeAGoodOne() {
    var text =
        list(
            "Service",
            "{'kind': 'Service', 'metadata': {'name': 'bad', 'namespace': 'ns'}, 'spec':"
                + " {'clusterIP': {'v4': '198.18.0.1'}, 'ports': [{'port': 'eighty', 'name':"
                + " 'http'}], 'selector': {'app': 'a'}, 'someday': 1}}",
            "{'kind': 'Service', 'metadata': {'name': 'good', 'namespace': 'ns'}, 'spec':"
                + " {'clusterIP': '198.18.0.2', 'ports': [{'port': 80}]}}");
    assertThatThrownBy(() -> read(new KubernetesSerialization(), text, ServiceList.class))
        .as("fabric8's own serialization")
        .isInstanceOf(RuntimeException.class);

    var items = read(lenient, text, ServiceList.class).getItems();
    assertThat(items).extracting(s -> s.getMetadata().getName()).containsExactly("bad", "good");
    var bad = items.get(0).getSpec();
    assertThat(bad.getClusterIP()).isNull();
    assertThat(bad.getPorts().get(0).getPort()).isNull();
    assertThat(bad.getPorts().get(0).getName()).isEqualTo("http");
    assertThat(bad.getSelector()).containsEntry("app", "a");
    assertThat(bad.getAdditionalProperties()).containsEntry("someday", 1);
    assertThat(items.get(1).getSpec().getClusterIP()).isEqualTo("198.18.0.2");
    assertThat(items.get(1).getSpec().getPorts().get(0).getPort()).isEqualTo(80);
  }

  @Test
  void podsNodesAndSlicesWithStructuresWhereScalarsBelongAndTheOtherWayRound() {
    var pods =
        read(
                lenient,
                list(
                    "Pod",
                    "{'kind': 'Pod', 'metadata': {'name': 'bad', 'annotations': ['x']}, 'spec':"
                        + " {'containers': 'nginx', 'nodeName': 'n1'}, 'status': {'phase':"
                        + " {'running': true}, 'podIP': '198.18.0.9'}}",
                    "{'kind': 'Pod', 'metadata': {'name': 'good', 'labels': {'a': 'b'}}}"),
                PodList.class)
            .getItems();
    assertThat(pods).extracting(p -> p.getMetadata().getName()).containsExactly("bad", "good");
    assertThat(pods.get(0).getSpec().getNodeName()).isEqualTo("n1");
    assertThat(pods.get(0).getStatus().getPodIP()).isEqualTo("198.18.0.9");
    assertThat(pods.get(0).getStatus().getPhase()).isNull();
    assertThat(pods.get(1).getMetadata().getLabels()).containsEntry("a", "b");

    var nodes =
        read(
                lenient,
                list(
                    "Node",
                    "{'kind': 'Node', 'metadata': {'name': 'bad', 'generation': 'two'}, 'spec':"
                        + " {'unschedulable': 'perhaps'}, 'status': {'capacity': ['lots']}}",
                    "{'kind': 'Node', 'metadata': {'name': 'good'}}"),
                NodeList.class)
            .getItems();
    assertThat(nodes).extracting(n -> n.getMetadata().getName()).containsExactly("bad", "good");
    assertThat(nodes.get(0).getSpec().getUnschedulable()).isNull();

    var slices =
        read(
                lenient,
                "{'apiVersion': 'discovery.k8s.io/v1', 'kind': 'EndpointSliceList', 'items': ["
                    + "{'metadata': {'name': 'bad'}, 'addressType': 'IPv4', 'endpoints': {'a': 1}},"
                    + "{'metadata': {'name': 'good'}, 'addressType': 'IPv4', 'endpoints':"
                    + " [{'addresses': ['198.18.0.3'], 'conditions': {'ready': 'yes'}}]}]}",
                EndpointSliceList.class)
            .getItems();
    assertThat(slices).extracting(s -> s.getMetadata().getName()).containsExactly("bad", "good");
    assertThat(slices.get(0).getEndpoints()).isNullOrEmpty();
    assertThat(slices.get(1).getEndpoints().get(0).getAddresses()).containsExactly("198.18.0.3");
    assertThat(slices.get(1).getEndpoints().get(0).getConditions().getReady()).isNull();
  }

  @Test
  void genericResourcesAndCustomResourcesAreReadAsBefore() {
    var generic =
        read(
            lenient,
            "{'apiVersion': 'v1', 'kind': 'Service', 'metadata': {'name': 's'}, 'spec':"
                + " {'ports': [{'port': 'eighty'}]}}",
            GenericKubernetesResource.class);
    assertThat(generic.get("spec", "ports", 0, "port").toString()).isEqualTo("eighty");
    var polymorphic =
        read(
            lenient,
            "{'apiVersion': 'v1', 'kind': 'Service', 'metadata': {'name': 's'}, 'spec':"
                + " {'ports': [{'port': 'eighty'}]}}",
            HasMetadata.class);
    assertThat(polymorphic.getMetadata().getName()).isEqualTo("s");

    var pool =
        read(
            lenient,
            "{'apiVersion': 'whereabouts.cni.cncf.io/v1alpha1', 'kind': 'IPPool', 'metadata':"
                + " {'name': 'p'}, 'spec': {'range': ['198.18.0.0/24'], 'allocations': {}}}",
            IPPool.class);
    assertThat(ReadReport.of(pool).problems())
        .extracting(ReadProblem::toString)
        .containsExactly("spec.range: expected a string, got a list");
  }
}

package io.multihome.sriov.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.multihome.api.sriov.SriovNetwork;
import io.multihome.sriov.policy.FieldError;
import io.multihome.sriov.policy.InvalidResourceException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NadRendererTest {
  private static final KubernetesSerialization K8S = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Golden files are hand-written from upstream's template; spec.config is stored as a JSON object
   * (not an escaped string) so the files are reviewable, and both sides are compared as JSON.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "vlan-qos",
        "ipam",
        "trust-spoof",
        "link-state-rates",
        "capabilities",
        "other-namespace",
        "same-namespace-owned",
        "chained"
      })
  void rendersGoldenNad(String name) throws IOException {
    SriovNetwork network = load(name);

    var nad = new NadRenderer("openshift.io", "sriov-network-operator").render(network);

    ObjectNode actual = (ObjectNode) JSON.readTree(K8S.asJson(nad));
    ((ObjectNode) actual.get("spec"))
        .set("config", JSON.readTree(actual.get("spec").get("config").asText()));
    JsonNode golden = JSON.readTree(resource("/golden/" + name + ".json"));
    assertThat(actual).isEqualTo(golden);
  }

  @Test
  void matchesUpstreamSimpleGoldenWithEmptyPrefix() throws IOException {
    // Upstream's TestRendering/simple.golden: RESOURCE_PREFIX unset, network test/ns ->
    // testnamespace.
    var network = network("test", "ns", "testresource");
    network.getSpec().setNetworkNamespace("testnamespace");

    var nad = new NadRenderer("", null).render(network);

    assertThat(nad.getMetadata().getAnnotations())
        .containsEntry("k8s.v1.cni.cncf.io/resourceName", "/testresource");
    assertThat(nad.getMetadata().getNamespace()).isEqualTo("testnamespace");
    assertThat(JSON.readTree(nad.getSpec().getConfig()))
        .isEqualTo(
            JSON.readTree(
                "{ \"cniVersion\":\"1.0.0\", \"name\":\"test\",\"type\":\"sriov\",\"vlan\":0,"
                    + "\"vlanQoS\":0,\"ipam\":{} }"));
  }

  @Test
  void keysComeInUpstreamTemplateOrder() throws IOException {
    SriovNetwork network = load("capabilities");
    network.getSpec().setVlan(7);
    network.getSpec().setSpoofChk(io.multihome.api.sriov.OnOff.ON);
    network.getSpec().setTrust(io.multihome.api.sriov.OnOff.OFF);
    network.getSpec().setVlanProto(io.multihome.api.sriov.VlanProto.DOT1AD);
    network.getSpec().setMinTxRate(1);
    network.getSpec().setMaxTxRate(2);

    JsonNode config = JSON.readTree(new NadRenderer().renderConfig(network));

    List<String> keys = new ArrayList<>();
    config.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactly(
            "cniVersion",
            "name",
            "type",
            "vlan",
            "spoofchk",
            "trust",
            "vlanQoS",
            "vlanProto",
            "min_tx_rate",
            "max_tx_rate",
            "capabilities",
            "link_state",
            "logLevel",
            "logFile",
            "ipam");
  }

  @Test
  void zeroRatesAreRenderedBecauseTheyAreSet() throws IOException {
    var network = network("n", "team-a", "intel_a");
    network.getSpec().setMaxTxRate(0);
    JsonNode config = JSON.readTree(new NadRenderer().renderConfig(network));
    assertThat(config.get("max_tx_rate").asInt()).isZero();
    assertThat(config.has("min_tx_rate")).isFalse();
  }

  @Test
  void badNetworkIsRejectedWithEveryFieldPath() {
    var network = network("bad", "team-a", "intel a");
    network.getSpec().setVlanQoS(3);
    network.getSpec().setIpam("{\"type\": ");
    network.getSpec().setCapabilities("[1]");
    network.getSpec().setMetaPlugins("{\"vrfname\":\"blue\"}");
    network.getSpec().setNetworkNamespace("team-b");

    assertThatThrownBy(
            () -> new NadRenderer("openshift.io", "sriov-network-operator").render(network))
        .isInstanceOfSatisfying(
            InvalidResourceException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::path)
                    .containsExactlyInAnyOrder(
                        "spec.resourceName",
                        "spec.vlanQoS",
                        "spec.ipam",
                        "spec.capabilities",
                        "spec.metaPlugins",
                        "spec.networkNamespace"));
  }

  @Test
  void networkNamespaceIsAllowedFromTheOperatorNamespace() {
    var network = network("shared", "sriov-network-operator", "intel_a");
    network.getSpec().setNetworkNamespace("team-b");
    assertThat(new SriovNetworkValidator("sriov-network-operator").validate(network)).isEmpty();
  }

  private static SriovNetwork network(String name, String namespace, String resourceName) {
    var network = new SriovNetwork();
    network.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .build());
    var spec = new io.multihome.api.sriov.SriovNetworkSpec();
    spec.setResourceName(resourceName);
    network.setSpec(spec);
    return network;
  }

  private static SriovNetwork load(String name) throws IOException {
    try (InputStream in =
        NadRendererTest.class.getResourceAsStream("/networks/" + name + ".yaml")) {
      return K8S.unmarshal(in, SriovNetwork.class);
    }
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = NadRendererTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}

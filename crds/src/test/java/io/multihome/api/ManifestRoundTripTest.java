package io.multihome.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.nmstate.ConditionReasons;
import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.NmstateLabels;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicyV1beta1;
import io.multihome.api.nmstate.NodeNetworkState;
import io.multihome.api.read.ReadProblem;
import io.multihome.api.read.ReadReport;
import io.multihome.api.sriov.DeviceType;
import io.multihome.api.sriov.LinkType;
import io.multihome.api.sriov.OnOff;
import io.multihome.api.sriov.SriovNetwork;
import io.multihome.api.sriov.SriovNetworkNodePolicy;
import io.multihome.api.sriov.SriovNetworkNodeState;
import io.multihome.api.sriov.SyncStatus;
import io.multihome.api.sriov.VlanProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Manifests written for the upstream projects read into our types and write back unchanged. */
class ManifestRoundTripTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** apiVersion/kind to the class that reads it. */
  private static final Map<String, Class<? extends HasMetadata>> TYPES =
      Map.of(
          "nmstate.io/v1/NodeNetworkConfigurationPolicy", NodeNetworkConfigurationPolicy.class,
          "nmstate.io/v1beta1/NodeNetworkConfigurationPolicy",
              NodeNetworkConfigurationPolicyV1beta1.class,
          "nmstate.io/v1beta1/NodeNetworkConfigurationEnactment",
              NodeNetworkConfigurationEnactment.class,
          "nmstate.io/v1beta1/NodeNetworkState", NodeNetworkState.class,
          "sriovnetwork.openshift.io/v1/SriovNetworkNodePolicy", SriovNetworkNodePolicy.class,
          "sriovnetwork.openshift.io/v1/SriovNetworkNodeState", SriovNetworkNodeState.class,
          "sriovnetwork.openshift.io/v1/SriovNetwork", SriovNetwork.class,
          "k8s.cni.cncf.io/v1/NetworkAttachmentDefinition", NetworkAttachmentDefinition.class);

  static Stream<String> manifests() {
    return Stream.of(
        "nncp-bridge-capture.yaml",
        "nncp-v1beta1-vlan.yaml",
        "nnce.yaml",
        "nns.yaml",
        "sriov-policy.yaml",
        "sriov-policy-switchdev.yaml",
        "sriov-network.yaml",
        "sriov-nodestate.yaml",
        "nad-sriov.yaml",
        "nad-macvlan-conflist.yaml");
  }

  private static String read(String name) throws IOException {
    try (InputStream in = ManifestRoundTripTest.class.getResourceAsStream("/manifests/" + name)) {
      assertThat(in).as("test resource %s", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static <T extends HasMetadata> T load(String name, Class<T> type) throws IOException {
    return SERIALIZATION.unmarshal(read(name), type);
  }

  /** Equal trees, treating 3 (int) and 3 (long) as the same number. */
  private static final Comparator<JsonNode> SAME_VALUE =
      (a, b) -> {
        if (a instanceof NumericNode x && b instanceof NumericNode y) {
          return x.decimalValue().compareTo(y.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  @ParameterizedTest
  @MethodSource("manifests")
  void readsAndWritesBackWithoutLosingFields(String name) throws IOException {
    JsonNode original = YAML.readTree(read(name));
    String key = original.path("apiVersion").asText() + "/" + original.path("kind").asText();
    Class<? extends HasMetadata> type = TYPES.get(key);
    assertThat(type).as("a class for %s", key).isNotNull();

    HasMetadata object = SERIALIZATION.unmarshal(read(name), type);
    JsonNode written = YAML.readTree(SERIALIZATION.asYaml(object));

    assertThat(written.equals(SAME_VALUE, original))
        .as(
            "%s changed on the way through %s; first difference at %s%nwritten:%n%s",
            name,
            type.getSimpleName(),
            CrdFilesTest.firstDifference("", original, written).orElse("?"),
            SERIALIZATION.asYaml(object))
        .isTrue();
  }

  @Test
  void nncpFieldsAreTyped() throws IOException {
    var policy = load("nncp-bridge-capture.yaml", NodeNetworkConfigurationPolicy.class);
    var spec = policy.getSpec();
    assertThat(spec.getMaxUnavailable()).isEqualTo(new IntOrString(3));
    assertThat(spec.getNodeSelector()).containsEntry("node-role.kubernetes.io/worker", "");
    assertThat(spec.getCapture()).containsKeys("default-gw", "base-iface");
    assertThat(spec.getDesiredState().at("/interfaces/0/bridge/port/0/name").asText())
        .isEqualTo("{{ capture.base-iface.interfaces.0.name }}");
    var available = policy.getStatus().getConditions().get(0);
    assertThat(available.getType()).isEqualTo(ConditionTypes.AVAILABLE);
    assertThat(available.getReason()).isEqualTo(ConditionReasons.SUCCESSFULLY_CONFIGURED);
    assertThat(policy.getStatus().getUnavailableNodeCountMap()).containsEntry("2", 1);

    var beta = load("nncp-v1beta1-vlan.yaml", NodeNetworkConfigurationPolicyV1beta1.class);
    assertThat(beta.getApiVersion()).isEqualTo("nmstate.io/v1beta1");
    assertThat(beta.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString("50%"));
  }

  @Test
  void enactmentAndStateFieldsAreTyped() throws IOException {
    var nnce = load("nnce.yaml", NodeNetworkConfigurationEnactment.class);
    assertThat(nnce.getMetadata().getName())
        .isEqualTo(NodeNetworkConfigurationEnactment.nameFor("worker-1", "br1-eth1-policy"));
    assertThat(nnce.getMetadata().getLabels())
        .containsEntry(NmstateLabels.NODE, "worker-1")
        .containsEntry(NmstateLabels.POLICY, "br1-eth1-policy");
    assertThat(nnce.getStatus().getPolicyGeneration()).isEqualTo(2L);
    assertThat(nnce.getStatus().getCapturedStates().get("base-iface").getMetaInfo().getVersion())
        .isEqualTo("2.2.38");
    assertThat(nnce.getStatus().getConditions())
        .extracting(c -> c.getType())
        .containsExactlyInAnyOrder(
            ConditionTypes.FAILING,
            ConditionTypes.AVAILABLE,
            ConditionTypes.PROGRESSING,
            ConditionTypes.PENDING,
            ConditionTypes.ABORTED);

    var nns = load("nns.yaml", NodeNetworkState.class);
    assertThat(
            nns.getStatus().getCurrentState().at("/interfaces/0/ethernet/sr-iov/total-vfs").asInt())
        .isEqualTo(8);
    assertThat(nns.getStatus().getHandlerNmstateVersion()).isEqualTo("2.2.38");
  }

  @Test
  void sriovFieldsAreTyped() throws IOException {
    var policy = load("sriov-policy.yaml", SriovNetworkNodePolicy.class);
    assertThat(policy.getSpec().getNicSelector().getPfNames()).containsExactly("ens1f0#0-3");
    assertThat(policy.getSpec().getDeviceType()).isEqualTo(DeviceType.NETDEVICE);
    assertThat(policy.getSpec().getLinkType()).isEqualTo(LinkType.ETH_UPPERCASE);
    assertThat(policy.getSpec().getNumVfs()).isEqualTo(8);
    assertThat(policy.getSpec().getIsRdma()).isFalse();

    var network = load("sriov-network.yaml", SriovNetwork.class);
    assertThat(network.getSpec().getSpoofChk()).isEqualTo(OnOff.ON);
    assertThat(network.getSpec().getVlanProto()).isEqualTo(VlanProto.DOT1Q_UPPERCASE);
    assertThat(network.getStatus().getConditions().get(0).getObservedGeneration()).isEqualTo(1L);

    var state = load("sriov-nodestate.yaml", SriovNetworkNodeState.class);
    var pf = state.getStatus().getInterfaces().get(0);
    assertThat(pf.getTotalVfs()).isEqualTo(64);
    assertThat(pf.getESwitchMode()).isEqualTo("legacy");
    assertThat(pf.getVfs()).extracting(vf -> vf.getVfID()).containsExactly(0, 4);
    assertThat(pf.getVfs().get(0).getVlan()).isEqualTo(100);
    assertThat(state.getStatus().getSyncStatus()).isEqualTo(SyncStatus.SUCCEEDED);
    assertThat(state.getSpec().getInterfaces().get(0).getVfGroups())
        .extracting(g -> g.getDeviceType())
        .containsExactly(DeviceType.NETDEVICE, DeviceType.VFIO_PCI);
  }

  @Test
  void nadConfigStaysTheExactString() throws IOException {
    var nad = load("nad-sriov.yaml", NetworkAttachmentDefinition.class);
    assertThat(nad.getSpec().getConfig())
        .startsWith("{ \"cniVersion\":\"1.0.0\", \"name\":\"net1\"")
        .endsWith("} }");
    assertThat(nad.getMetadata().getAnnotations())
        .containsEntry(
            NetworkAttachmentDefinition.RESOURCE_NAME_ANNOTATION, "openshift.io/intel_a");
  }

  /** Read leniently (no object may stop an informer); the report names the field and value. */
  @Test
  void valueOutsideAnUpstreamEnumIsReportedNamingTheField() {
    String manifest =
        String.join(
            "\n",
            List.of(
                "apiVersion: sriovnetwork.openshift.io/v1",
                "kind: SriovNetwork",
                "metadata: {name: bad, namespace: ns}",
                "spec: {resourceName: a, spoofChk: maybe}"));
    var network = SERIALIZATION.unmarshal(manifest, SriovNetwork.class);
    assertThat(ReadReport.of(network).problems())
        .extracting(ReadProblem::toString)
        .containsExactly("spec.spoofChk: \"maybe\" is not one of \"on\", \"off\"");
    assertThat(network.getSpec().getSpoofChk()).isNull();
  }
}

package io.multihome.api.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicyV1beta1;
import io.multihome.api.nmstate.NodeNetworkState;
import io.multihome.api.sriov.OnOff;
import io.multihome.api.sriov.SriovNetwork;
import io.multihome.api.sriov.SriovNetworkNodePolicy;
import io.multihome.api.sriov.SriovNetworkNodeState;
import org.junit.jupiter.api.Test;

/**
 * Every CR kind read through a fabric8 client's own serialization (nothing configured): unknown
 * fields are skipped, wrong types and unknown enum values become problems with their path, and the
 * rest of the object is read as written.
 */
class LenientReadTest {
  private final KubernetesSerialization json = new KubernetesSerialization();

  private <T> T read(String text, Class<T> type) {
    return json.unmarshal(text.replace('\'', '"'), type);
  }

  @Test
  void sriovNetworkFromTheUpstreamDocsWithTypos() {
    var network =
        read(
            """
            {'apiVersion': 'sriovnetwork.openshift.io/v1', 'kind': 'SriovNetwork',
             'metadata': {'name': 'net1', 'namespace': 'sriov-network-operator'},
             'spec': {'resourceName': 'intelnics', 'networkNamespace': 'default',
                      'metaPluginsConfig': {'type': 'tuning'},
                      'spoofChk': 'ON', 'trust': 'on', 'vlan': 'ten', 'maxTxRate': 100}}
            """,
            SriovNetwork.class);
    var report = ReadReport.of(network);
    assertThat(report.ignoredFields()).containsExactly("spec.metaPluginsConfig");
    assertThat(report.problems())
        .extracting(ReadProblem::toString)
        .containsExactly(
            "spec.spoofChk: \"ON\" is not one of \"on\", \"off\"",
            "spec.vlan: \"ten\" is not an integer");
    assertThat(network.getSpec().getResourceName()).isEqualTo("intelnics");
    assertThat(network.getSpec().getTrust()).isEqualTo(OnOff.ON);
    assertThat(network.getSpec().getSpoofChk()).isNull();
    assertThat(network.getSpec().getMaxTxRate()).isEqualTo(100);
    assertThat(network.getMetadata().getName()).isEqualTo("net1");
  }

  @Test
  void policyWithAWrongTypeInAListAndAnObjectForAString() {
    var policy =
        read(
            """
            {'apiVersion': 'sriovnetwork.openshift.io/v1', 'kind': 'SriovNetworkNodePolicy',
             'metadata': {'name': 'p', 'namespace': 'sriov-network-operator'},
             'spec': {'resourceName': {'oops': 1}, 'numVFs': 4, 'numVfs': 'four',
                      'deviceType': 'dpdk',
                      'nicSelector': {'pfNames': ['ens1f0', {'x': 1}], 'vendor': '8086'},
                      'nodeSelector': {'a': 'b'}}}
            """,
            SriovNetworkNodePolicy.class);
    var report = ReadReport.of(policy);
    assertThat(report.ignoredFields()).containsExactly("spec.numVFs");
    assertThat(report.problems())
        .extracting(ReadProblem::path)
        .containsExactly(
            "spec.resourceName", "spec.numVfs", "spec.deviceType", "spec.nicSelector.pfNames[1]");
    assertThat(report.problems().get(0).reason()).isEqualTo("expected a string, got an object");
    assertThat(report.problems().get(2).reason())
        .contains("\"dpdk\" is not one of", "\"vfio-pci\"");
    assertThat(policy.getSpec().getNicSelector().getVendor()).isEqualTo("8086");
    assertThat(policy.getSpec().getNodeSelector()).containsEntry("a", "b");
  }

  @Test
  void nodeStateWithAnUnknownSyncStatusAndAWrongTypeDeepInside() {
    var state =
        read(
            """
            {'apiVersion': 'sriovnetwork.openshift.io/v1', 'kind': 'SriovNetworkNodeState',
             'metadata': {'name': 'w1', 'namespace': 'sriov-network-operator'},
             'spec': {'interfaces': [{'pciAddress': '0000:3b:00.0', 'numVfs': true,
                                      'vfGroups': [{'vfRange': '0-3', 'deviceType': 'dpdk'}]}]},
             'status': {'syncStatus': 'Weird', 'lastSyncError': ''}}
            """,
            SriovNetworkNodeState.class);
    assertThat(ReadReport.of(state).problems())
        .extracting(ReadProblem::path)
        .containsExactly(
            "spec.interfaces[0].numVfs",
            "spec.interfaces[0].vfGroups[0].deviceType",
            "status.syncStatus");
    assertThat(ReadReport.of(state).problemsUnder("spec")).hasSize(2);
    assertThat(ReadReport.of(state).problemsUnder("status")).hasSize(1);
    assertThat(state.getSpec().getInterfaces().get(0).getPciAddress()).isEqualTo("0000:3b:00.0");
    assertThat(state.getStatus().getSyncStatus()).isNull();
  }

  @Test
  void nncpEnactmentAndStateKeepTheirJsonAndReportWrongTypes() {
    var nncp =
        read(
            """
            {'apiVersion': 'nmstate.io/v1', 'kind': 'NodeNetworkConfigurationPolicy',
             'metadata': {'name': 'br1'},
             'spec': {'nodeSelector': 'worker', 'extra': {'a': 1},
                      'desiredState': {'interfaces': [{'name': 'br1', 'type': 'frobnicator'}]}}}
            """,
            NodeNetworkConfigurationPolicy.class);
    assertThat(ReadReport.of(nncp).problems())
        .extracting(ReadProblem::toString)
        .containsExactly("spec.nodeSelector: expected a map, got \"worker\"");
    assertThat(ReadReport.of(nncp).ignoredFields()).containsExactly("spec.extra");
    assertThat(nncp.getSpec().getDesiredState().at("/interfaces/0/type").asText())
        .isEqualTo("frobnicator");

    var v1beta1 =
        read(
            "{'apiVersion': 'nmstate.io/v1beta1', 'kind': 'NodeNetworkConfigurationPolicy',"
                + " 'metadata': {'name': 'x'}, 'spec': {'maxUnavailable': {'a': 1}}}",
            NodeNetworkConfigurationPolicyV1beta1.class);
    assertThat(ReadReport.of(v1beta1).problems())
        .extracting(ReadProblem::path)
        .containsExactly("spec.maxUnavailable");

    var nnce =
        read(
            """
            {'apiVersion': 'nmstate.io/v1beta1', 'kind': 'NodeNetworkConfigurationEnactment',
             'metadata': {'name': 'n.p'},
             'status': {'policyGeneration': 'one', 'desiredState': 'up', 'foo': 1,
                        'conditions': [{'type': 'Available', 'status': 'True'}]}}
            """,
            NodeNetworkConfigurationEnactment.class);
    assertThat(ReadReport.of(nnce).problems())
        .extracting(ReadProblem::path)
        .containsExactly("status.policyGeneration", "status.desiredState");
    assertThat(nnce.getStatus().getConditions()).hasSize(1);
    assertThat(ReadReport.of(nnce).problemsOutside("status")).isEmpty();
    assertThat(ReadReport.of(nncp).problemsOutside("status")).hasSize(1);

    var nns =
        read(
            "{'apiVersion': 'nmstate.io/v1beta1', 'kind': 'NodeNetworkState', 'metadata':"
                + " {'name': 'n'}, 'status': {'currentState': [], 'lastSuccessfulUpdateTime':"
                + " 5, 'bogus': true}}",
            NodeNetworkState.class);
    assertThat(ReadReport.of(nns).problems())
        .extracting(ReadProblem::path)
        .contains("status.currentState");
    assertThat(ReadReport.of(nns).ignoredFields()).containsExactly("status.bogus");
  }

  @Test
  void nadWithAnExtraKeyUnderSpecAndAConfigObject() {
    var fine =
        read(
            "{'apiVersion': 'k8s.cni.cncf.io/v1', 'kind': 'NetworkAttachmentDefinition',"
                + " 'metadata': {'name': 'a', 'namespace': 'd'},"
                + " 'spec': {'config': '{}', 'extra': 'x'}}",
            NetworkAttachmentDefinition.class);
    assertThat(ReadReport.of(fine).valid()).isTrue();
    assertThat(ReadReport.of(fine).ignoredFields()).containsExactly("spec.extra");
    var bad =
        read(
            "{'apiVersion': 'k8s.cni.cncf.io/v1', 'kind': 'NetworkAttachmentDefinition',"
                + " 'metadata': {'name': 'b', 'namespace': 'd'},"
                + " 'spec': {'config': {'cniVersion': '0.3.1'}}}",
            NetworkAttachmentDefinition.class);
    assertThat(ReadReport.of(bad).problems())
        .extracting(ReadProblem::toString)
        .containsExactly("spec.config: expected a string, got an object");
    assertThat(bad.getMetadata().getName()).isEqualTo("b");
  }

  @Test
  void aListWithOneBadItemReadsTheOthers() {
    var list =
        json.unmarshal(
            """
            {"apiVersion": "sriovnetwork.openshift.io/v1", "kind": "SriovNetworkList", "items": [
              {"metadata": {"name": "good"}, "spec": {"resourceName": "r", "vlan": 5}},
              {"metadata": {"name": "bad"}, "spec": {"vlan": [1, [2]], "resourceName": "r2"}}]}
            """,
            SriovNetworkListForTest.class);
    assertThat(list.getItems())
        .extracting(n -> n.getMetadata().getName())
        .containsExactly("good", "bad");
    assertThat(ReadReport.of(list.getItems().get(0)).valid()).isTrue();
    assertThat(ReadReport.of(list.getItems().get(1)).problems())
        .extracting(ReadProblem::toString)
        .containsExactly("spec.vlan: expected an integer, got a list");
    assertThat(list.getItems().get(1).getSpec().getResourceName()).isEqualTo("r2");
  }

  @Test
  void aCopyBySerializationNeedsTheReportCopiedAndGetsIt() {
    var network =
        read(
            "{'metadata': {'name': 'n'}, 'spec': {'resourceName': 'r', 'trust': 'yes'}}",
            SriovNetwork.class);
    var copy = json.clone(network);
    assertThat(ReadReport.of(copy).valid()).as("the bad value was not serialized").isTrue();
    LenientlyRead.copyReport(network, copy);
    assertThat(ReadReport.of(copy).problems()).hasSize(1);
  }

  /** A typed list, as informers list them. */
  static final class SriovNetworkListForTest extends DefaultKubernetesResourceList<SriovNetwork> {}
}

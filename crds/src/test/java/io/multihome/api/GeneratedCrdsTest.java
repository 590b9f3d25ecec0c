package io.multihome.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated CRDs carry the names, versions, scopes and columns kubectl users know. */
class GeneratedCrdsTest {
  private static final String TRUE_CONDITION = ".status.conditions[?(@.status==\"True\")]";
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  private CustomResourceDefinition crd(String name) throws IOException {
    Path file = CrdFiles.generated().get(name);
    assertThat(file).as("generated CRD %s", name).isNotNull();
    var crd = serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
    assertThat(crd.getApiVersion()).isEqualTo("apiextensions.k8s.io/v1");
    assertThat(crd.getMetadata().getName()).isEqualTo(name);
    return crd;
  }

  private static CustomResourceDefinitionVersion version(CustomResourceDefinition crd, String v) {
    return crd.getSpec().getVersions().stream()
        .filter(x -> x.getName().equals(v))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no version " + v));
  }

  private static JSONSchemaProps property(CustomResourceDefinitionVersion v, String... path) {
    JSONSchemaProps node = v.getSchema().getOpenAPIV3Schema();
    for (String p : path) {
      assertThat(node.getProperties()).as("schema property %s", p).containsKey(p);
      node = node.getProperties().get(p);
    }
    return node;
  }

  @Test
  void nncpServesV1AndDeprecatedV1beta1() throws IOException {
    var crd = crd("nodenetworkconfigurationpolicies.nmstate.io");
    assertThat(crd.getSpec().getGroup()).isEqualTo("nmstate.io");
    assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("NodeNetworkConfigurationPolicy");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("nncp");
    assertThat(crd.getSpec().getVersions())
        .extracting(
            CustomResourceDefinitionVersion::getName,
            CustomResourceDefinitionVersion::getServed,
            CustomResourceDefinitionVersion::getStorage,
            CustomResourceDefinitionVersion::getDeprecated)
        .containsExactly(tuple("v1", true, true, null), tuple("v1beta1", true, false, true));
    for (var v : crd.getSpec().getVersions()) {
      assertThat(v.getSubresources().getStatus()).as("status subresource").isNotNull();
      assertThat(v.getAdditionalPrinterColumns())
          .extracting(c -> c.getName(), c -> c.getJsonPath(), c -> c.getType())
          .containsExactlyInAnyOrder(
              tuple("Status", TRUE_CONDITION + ".type", "string"),
              tuple("Reason", TRUE_CONDITION + ".reason", "string"));
      JSONSchemaProps desired = property(v, "spec", "desiredState");
      assertThat(desired.getType()).isEqualTo("object");
      assertThat(desired.getXKubernetesPreserveUnknownFields()).isTrue();
      JSONSchemaProps maxUnavailable = property(v, "spec", "maxUnavailable");
      assertThat(maxUnavailable.getXKubernetesIntOrString()).isTrue();
      assertThat(
              property(v, "spec", "nodeSelector").getAdditionalProperties().getSchema().getType())
          .isEqualTo("string");
      assertThat(property(v, "status").getProperties())
          .containsKeys(
              "conditions",
              "unavailableNodeCount",
              "unavailableNodeCountMap",
              "lastUnavailableNodeCountUpdate");
      assertThat(property(v, "status", "conditions").getItems().getSchema().getRequired())
          .containsExactlyInAnyOrder("type", "status");
    }
  }

  @Test
  void nnceHasStatusAgeDateColumnAndNoSpecFields() throws IOException {
    var crd = crd("nodenetworkconfigurationenactments.nmstate.io");
    assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("nnce");
    assertThat(crd.getSpec().getVersions()).hasSize(1);
    var v = version(crd, "v1beta1");
    assertThat(v.getStorage()).isTrue();
    assertThat(v.getServed()).isTrue();
    assertThat(v.getSubresources().getStatus()).isNotNull();
    assertThat(v.getAdditionalPrinterColumns())
        .extracting(c -> c.getName(), c -> c.getJsonPath(), c -> c.getType())
        .containsExactlyInAnyOrder(
            tuple("Status", TRUE_CONDITION + ".type", "string"),
            tuple("Status Age", TRUE_CONDITION + ".lastTransitionTime", "date"),
            tuple("Reason", TRUE_CONDITION + ".reason", "string"));
    assertThat(property(v, "status").getProperties().keySet())
        .containsExactlyInAnyOrder(
            "desiredState",
            "desiredStateMetaInfo",
            "capturedStates",
            "policyGeneration",
            "conditions",
            "features",
            "retryCount");
    JSONSchemaProps spec = property(v, "spec");
    assertThat(spec.getProperties()).as("NNCE has no spec fields").isNullOrEmpty();
  }

  @Test
  void nnsIsClusterScopedStatusOnly() throws IOException {
    var crd = crd("nodenetworkstates.nmstate.io");
    assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("nns");
    var v = version(crd, "v1beta1");
    assertThat(v.getStorage()).isTrue();
    assertThat(v.getSubresources().getStatus()).isNotNull();
    assertThat(v.getAdditionalPrinterColumns()).isNullOrEmpty();
    assertThat(property(v, "status").getProperties().keySet())
        .containsExactlyInAnyOrder(
            "currentState",
            "lastSuccessfulUpdateTime",
            "hostNetworkManagerVersion",
            "handlerNetworkManagerVersion",
            "handlerNmstateVersion",
            "conditions");
    assertThat(property(v, "status", "currentState").getXKubernetesPreserveUnknownFields())
        .isTrue();
  }

  @Test
  void sriovKindsAreNamespacedV1WithUpstreamValidation() throws IOException {
    for (String name :
        List.of(
            "sriovnetworknodepolicies.sriovnetwork.openshift.io",
            "sriovnetworknodestates.sriovnetwork.openshift.io",
            "sriovnetworks.sriovnetwork.openshift.io")) {
      var crd = crd(name);
      assertThat(crd.getSpec().getGroup()).isEqualTo("sriovnetwork.openshift.io");
      assertThat(crd.getSpec().getScope()).as(name).isEqualTo("Namespaced");
      assertThat(crd.getSpec().getVersions())
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.getName()).isEqualTo("v1");
                assertThat(v.getStorage()).isTrue();
                assertThat(v.getSubresources().getStatus()).isNotNull();
              });
    }

    var policy = version(crd("sriovnetworknodepolicies.sriovnetwork.openshift.io"), "v1");
    assertThat(property(policy, "spec").getRequired())
        .containsExactlyInAnyOrder("resourceName", "nodeSelector", "numVfs", "nicSelector");
    assertThat(property(policy, "spec", "numVfs").getMinimum()).isEqualTo(0.0);
    assertThat(property(policy, "spec", "priority"))
        .satisfies(
            p -> {
              assertThat(p.getMinimum()).isEqualTo(0.0);
              assertThat(p.getMaximum()).isEqualTo(99.0);
            });
    assertThat(property(policy, "spec", "mtu").getMinimum()).isEqualTo(1.0);
    assertThat(property(policy, "spec", "resourceName").getPattern())
        .isEqualTo("^[a-zA-Z0-9]([a-zA-Z0-9_-]*[a-zA-Z0-9])?$");
    assertThat(property(policy, "spec", "deviceType").getEnum())
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("\"netdevice\"", "\"vfio-pci\"");
    assertThat(property(policy, "spec", "deviceType").getDefault().asText()).isEqualTo("netdevice");
    assertThat(property(policy, "spec", "eSwitchMode").getEnum()).hasSize(2);
    assertThat(property(policy, "spec", "isRdma").getType()).isEqualTo("boolean");
    assertThat(property(policy, "spec", "nicSelector", "pfNames").getType()).isEqualTo("array");

    var network = version(crd("sriovnetworks.sriovnetwork.openshift.io"), "v1");
    assertThat(property(network, "spec", "vlan").getMaximum()).isEqualTo(4095.0);
    assertThat(property(network, "spec", "vlanQoS").getMaximum()).isEqualTo(7.0);
    for (String onOff : List.of("spoofChk", "trust", "allMulticast")) {
      assertThat(property(network, "spec", onOff).getEnum())
          .extracting(Object::toString)
          .containsExactlyInAnyOrder("\"on\"", "\"off\"");
    }
    assertThat(property(network, "spec", "linkState").getEnum()).hasSize(3);
    // Upstream's columns; their order in deploy/crds is CrdFilesTest's (CrdColumnOrder).
    assertThat(network.getAdditionalPrinterColumns())
        .extracting(c -> c.getName())
        .containsExactlyInAnyOrder("Ready", "Age");

    var state = version(crd("sriovnetworknodestates.sriovnetwork.openshift.io"), "v1");
    assertThat(property(state, "status", "interfaces").getItems().getSchema().getProperties())
        .containsKeys("Vfs", "totalvfs", "eSwitchMode", "altNames", "pciAddress");
    assertThat(state.getAdditionalPrinterColumns())
        .extracting(c -> c.getJsonPath())
        .contains(".status.syncStatus");
  }

  @Test
  void nadMatchesTheNpwgDefinition() throws IOException {
    var crd = crd("network-attachment-definitions.k8s.cni.cncf.io");
    assertThat(crd.getSpec().getGroup()).isEqualTo("k8s.cni.cncf.io");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("NetworkAttachmentDefinition");
    assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("network-attachment-definitions");
    assertThat(crd.getSpec().getNames().getSingular()).isEqualTo("network-attachment-definition");
    // multus deployments/multus-daemonset.yml: nad, net-attach-def (any order).
    assertThat(crd.getSpec().getNames().getShortNames())
        .containsExactlyInAnyOrder("net-attach-def", "nad");
    var v = version(crd, "v1");
    assertThat(v.getStorage()).isTrue();
    assertThat(property(v, "spec", "config").getType()).isEqualTo("string");
  }
}

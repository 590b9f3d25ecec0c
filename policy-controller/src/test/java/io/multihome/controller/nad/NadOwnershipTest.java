package io.multihome.controller.nad;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.sriov.SriovNetwork;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NadOwnershipTest {
  @Test
  void ownerAnnotationNamesTheNetwork() {
    var nad = nad("SriovNetwork.sriovnetwork.openshift.io/sriov-network-operator/net1");

    assertThat(NadOwnership.owner(nad)).contains(new ResourceID("net1", "sriov-network-operator"));
    var network = new SriovNetwork();
    network.setMetadata(
        new ObjectMetaBuilder().withName("net1").withNamespace("sriov-network-operator").build());
    assertThat(NadOwnership.isOwnedBy(nad, network)).isTrue();
    network.getMetadata().setNamespace("team-a");
    assertThat(NadOwnership.isOwnedBy(nad, network)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "SriovIBNetwork.sriovnetwork.openshift.io/ns/net1",
        "SriovNetwork.sriovnetwork.openshift.io/ns",
        "SriovNetwork.sriovnetwork.openshift.io//net1",
        "SriovNetwork.sriovnetwork.openshift.io/a/b/c"
      })
  void malformedOrForeignAnnotationsNameNoNetwork(String value) {
    assertThat(NadOwnership.owner(nad(value))).isEmpty();
  }

  @Test
  void nadWithoutAnnotationsHasNoOwner() {
    var nad = new NetworkAttachmentDefinition();
    nad.setMetadata(new ObjectMetaBuilder().withName("x").withNamespace("y").build());
    assertThat(NadOwnership.owner(nad)).isEmpty();
    assertThat(NadOwnership.ownerAnnotation(nad)).isEmpty();
  }

  private static NetworkAttachmentDefinition nad(String owner) {
    var nad = new NetworkAttachmentDefinition();
    nad.setMetadata(
        new ObjectMetaBuilder()
            .withName("net1")
            .withNamespace("team-a")
            .withAnnotations(Map.of("sriovnetwork.openshift.io/owner-ref", owner))
            .build());
    return nad;
  }
}

package io.multihome.kernelvm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** VLAN links (802.1Q and 802.1ad, stacked QinQ) on a dummy parent: create, read back, delete. */
@Tag("kernel-vm")
class VlanKernelTest {

  private TestNetns netns;

  @BeforeEach
  void createNamespace() {
    KernelFeature.require(KernelFeature.DUMMY, KernelFeature.VLAN_8021Q);
    netns = TestNetns.create();
    netns.ip("link", "add", "d0", "type", "dummy");
  }

  @AfterEach
  void deleteNamespace() {
    if (netns != null) {
      netns.close();
    }
  }

  @Test
  void creates8021qVlanReadsItBackAndDeletesIt() {
    netns.ip("link", "add", "link", "d0", "name", "d0.100", "type", "vlan", "id", "100");

    var vlan = netns.link("d0.100");
    assertThat(vlan.path("link").asText()).isEqualTo("d0");
    assertThat(vlan.at("/linkinfo/info_kind").asText()).isEqualTo("vlan");
    assertThat(vlan.at("/linkinfo/info_data/protocol").asText()).isEqualTo("802.1Q");
    assertThat(vlan.at("/linkinfo/info_data/id").asInt()).isEqualTo(100);

    netns.ip("link", "del", "d0.100");
    assertThat(netns.hasLink("d0.100")).isFalse();
    assertThat(netns.hasLink("d0")).isTrue();
  }

  @Test
  void creates8021adVlanWithAStacked8021qVlanOnIt() {
    KernelFeature.require(KernelFeature.VLAN_8021AD);
    netns.ip(
        "link",
        "add",
        "link",
        "d0",
        "name",
        "svlan",
        "type",
        "vlan",
        "protocol",
        "802.1ad",
        "id",
        "300");
    netns.ip("link", "add", "link", "svlan", "name", "cvlan", "type", "vlan", "id", "42");

    var outer = netns.link("svlan");
    assertThat(outer.at("/linkinfo/info_data/protocol").asText()).isEqualTo("802.1ad");
    assertThat(outer.at("/linkinfo/info_data/id").asInt()).isEqualTo(300);
    var inner = netns.link("cvlan");
    assertThat(inner.path("link").asText()).isEqualTo("svlan");
    assertThat(inner.at("/linkinfo/info_data/protocol").asText()).isEqualTo("802.1Q");
    assertThat(inner.at("/linkinfo/info_data/id").asInt()).isEqualTo(42);

    // Deleting the outer VLAN takes the stacked one with it.
    netns.ip("link", "del", "svlan");
    assertThat(netns.hasLink("svlan")).isFalse();
    assertThat(netns.hasLink("cvlan")).isFalse();
  }

  @Test
  void refusesASecondVlanWithTheSameIdOnTheSameParent() {
    netns.ip("link", "add", "link", "d0", "name", "v1", "type", "vlan", "id", "7");

    var duplicate =
        netns.tryIp("link", "add", "link", "d0", "name", "v2", "type", "vlan", "id", "7");

    assertThat(duplicate.ok()).as(duplicate.describe()).isFalse();
    assertThat(netns.hasLink("v2")).isFalse();
  }
}

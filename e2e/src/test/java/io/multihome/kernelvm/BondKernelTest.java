package io.multihome.kernelvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bonds over two dummy ports: modes and options read back, ports enslaved and released. */
@Tag("kernel-vm")
class BondKernelTest {

  private TestNetns netns;

  @BeforeEach
  void createNamespace() {
    KernelFeature.require(KernelFeature.DUMMY, KernelFeature.BOND);
    netns = TestNetns.create();
    netns.ip("link", "add", "d1", "type", "dummy");
    netns.ip("link", "add", "d2", "type", "dummy");
  }

  @AfterEach
  void deleteNamespace() {
    if (netns != null) {
      netns.close();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "active-backup, 100, layer2",
    "802.3ad, 200, layer3+4",
    "balance-xor, 50, layer2+3",
  })
  void createsBondWithModeAndOptionsAndTwoPorts(String mode, int miimon, String hashPolicy) {
    netns.ip(
        "link",
        "add",
        "bond0",
        "type",
        "bond",
        "mode",
        mode,
        "miimon",
        String.valueOf(miimon),
        "xmit_hash_policy",
        hashPolicy);
    for (var port : List.of("d1", "d2")) {
      netns.ip("link", "set", port, "master", "bond0");
    }

    var bond = netns.link("bond0");
    assertThat(bond.at("/linkinfo/info_kind").asText()).isEqualTo("bond");
    assertThat(bond.at("/linkinfo/info_data/mode").asText()).isEqualTo(mode);
    assertThat(bond.at("/linkinfo/info_data/miimon").asInt()).isEqualTo(miimon);
    assertThat(bond.at("/linkinfo/info_data/xmit_hash_policy").asText()).isEqualTo(hashPolicy);
    for (var port : List.of("d1", "d2")) {
      var link = netns.link(port);
      assertThat(link.path("master").asText()).as(port).isEqualTo("bond0");
      assertThat(link.at("/linkinfo/info_slave_kind").asText()).as(port).isEqualTo("bond");
    }
  }

  @Test
  void changesOptionsInPlaceAndReleasesAPort() {
    netns.ip("link", "add", "bond0", "type", "bond", "mode", "active-backup", "miimon", "100");
    netns.ip("link", "set", "d1", "master", "bond0");
    netns.ip("link", "set", "d2", "master", "bond0");
    var ifindex = netns.link("bond0").path("ifindex").asInt();

    netns.ip("link", "set", "bond0", "type", "bond", "miimon", "250", "primary", "d2");
    netns.ip("link", "set", "d1", "nomaster");

    var bond = netns.link("bond0");
    assertThat(bond.path("ifindex").asInt())
        .as("changed in place, not recreated")
        .isEqualTo(ifindex);
    assertThat(bond.at("/linkinfo/info_data/miimon").asInt()).isEqualTo(250);
    assertThat(bond.at("/linkinfo/info_data/primary").asText()).isEqualTo("d2");
    assertThat(netns.link("d1").has("master")).isFalse();
    assertThat(netns.link("d2").path("master").asText()).isEqualTo("bond0");

    netns.ip("link", "del", "bond0");
    assertThat(netns.hasLink("bond0")).isFalse();
    assertThat(netns.link("d2").has("master")).as("port released when the bond goes").isFalse();
  }

  @Test
  void refusesModeChangeWhilePortsAreEnslaved() {
    netns.ip("link", "add", "bond0", "type", "bond", "mode", "active-backup");
    netns.ip("link", "set", "d1", "master", "bond0");

    var change = netns.tryIp("link", "set", "bond0", "type", "bond", "mode", "802.3ad");

    // The kernel allows a mode change only on a bond without ports; a reconciler must re-create.
    assertThat(change.ok()).as(change.describe()).isFalse();
    assertThat(netns.link("bond0").at("/linkinfo/info_data/mode").asText())
        .isEqualTo("active-backup");
  }
}

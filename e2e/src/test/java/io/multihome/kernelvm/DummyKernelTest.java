package io.multihome.kernelvm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Dummy links, the stand-in NIC of every other kernel test: create, configure, delete. */
@Tag("kernel-vm")
class DummyKernelTest {

  private TestNetns netns;

  @BeforeEach
  void createNamespace() {
    KernelFeature.require(KernelFeature.DUMMY);
    netns = TestNetns.create();
  }

  @AfterEach
  void deleteNamespace() {
    if (netns != null) {
      netns.close();
    }
  }

  @Test
  void createsConfiguresAndDeletesADummy() {
    netns.ip("link", "add", "nic0", "address", "02:00:5e:00:00:42", "mtu", "9000", "type", "dummy");
    netns.ip("addr", "add", "198.18.0.1/24", "dev", "nic0");
    netns.ip("link", "set", "nic0", "up");

    var link = netns.link("nic0");
    assertThat(link.at("/linkinfo/info_kind").asText()).isEqualTo("dummy");
    assertThat(link.path("address").asText()).isEqualTo("02:00:5e:00:00:42");
    assertThat(link.path("mtu").asInt()).isEqualTo(9000);
    assertThat(link.path("flags").toString()).contains("\"UP\"", "\"LOWER_UP\"");
    var addresses = netns.ipJson("addr", "show", "dev", "nic0");
    assertThat(addresses.at("/0/addr_info").findValuesAsText("local")).contains("198.18.0.1");

    netns.ip("link", "del", "nic0");
    assertThat(netns.hasLink("nic0")).isFalse();
  }
}

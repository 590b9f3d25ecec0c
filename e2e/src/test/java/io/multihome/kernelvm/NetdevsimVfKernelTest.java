package io.multihome.kernelvm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SR-IOV VF attributes through netdevsim: a simulated PF with VFs, each attribute set with {@code
 * ip link set PF vf N ...} and read back from {@code ip -j -d link show}.
 */
@Tag("kernel-vm")
class NetdevsimVfKernelTest {

  private static final String BUS = "/sys/bus/netdevsim";
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestNetns netns;
  private String pf;
  private int deviceId;

  @BeforeEach
  void createPfWithVfs() {
    KernelFeature.require(KernelFeature.NETDEVSIM);
    netns = TestNetns.create();
    // Device ids are global on the bus; a random one keeps parallel or leftover runs apart.
    deviceId = 10_000 + RANDOM.nextInt(1_000_000);
    // netdevsim creates the port netdev in the writer's namespace, so write from inside it.
    netns.sh("echo '" + deviceId + " 1' > " + BUS + "/new_device").orFail();
    // Registered first so it runs after the netns is otherwise done, before the netns goes:
    // a deleted netns would hand the port netdev back to the root namespace.
    netns.onClose(
        () -> Commands.run("sh", "-c", "echo " + deviceId + " > " + BUS + "/del_device").orFail());
    pf = portOf(deviceId);
    Commands.run("sh", "-c", "echo 3 > " + BUS + "/devices/netdevsim" + deviceId + "/sriov_numvfs")
        .orFail();
  }

  @AfterEach
  void deleteDeviceAndNamespace() {
    if (netns != null) {
      netns.close();
    }
  }

  @Test
  void pfListsItsVfs() {
    var link = netns.link(pf);
    assertThat(link.path("parentbus").asText()).isEqualTo("netdevsim");
    assertThat(link.path("vfinfo_list")).hasSize(3);
    assertThat(vf(1).path("vf").asInt()).isEqualTo(1);
  }

  @Test
  void setsAndReadsBackEveryVfAttribute() {
    netns.ip(
        "link",
        "set",
        pf,
        "vf",
        "0",
        "mac",
        "02:00:5e:10:00:01",
        "vlan",
        "10",
        "qos",
        "3",
        "spoofchk",
        "on",
        "trust",
        "on",
        "state",
        "disable");
    netns.ip("link", "set", pf, "vf", "0", "min_tx_rate", "10", "max_tx_rate", "100");
    netns.ip("link", "set", pf, "vf", "1", "vlan", "20", "proto", "802.1ad", "state", "enable");

    var vf0 = vf(0);
    assertThat(vf0.path("address").asText()).isEqualTo("02:00:5e:10:00:01");
    assertThat(vf0.at("/vlan_list/0/vlan").asInt()).isEqualTo(10);
    assertThat(vf0.at("/vlan_list/0/qos").asInt()).isEqualTo(3);
    assertThat(vf0.path("spoofchk").asBoolean()).isTrue();
    assertThat(vf0.path("trust").asBoolean()).isTrue();
    assertThat(vf0.path("link_state").asText()).isEqualTo("disable");
    assertThat(vf0.at("/rate/min_tx").asInt()).isEqualTo(10);
    assertThat(vf0.at("/rate/max_tx").asInt()).isEqualTo(100);
    var vf1 = vf(1);
    assertThat(vf1.at("/vlan_list/0/vlan").asInt()).isEqualTo(20);
    assertThat(vf1.at("/vlan_list/0/protocol").asText()).isEqualTo("802.1ad");
    assertThat(vf1.path("link_state").asText()).isEqualTo("enable");
    // Untouched VF keeps its defaults.
    assertThat(vf(2).path("trust").asBoolean()).isFalse();
    assertThat(vf(2).at("/vlan_list/0/vlan").asInt(0)).isZero();
  }

  @Test
  void clearsVlanAndRestoresDefaults() {
    netns.ip("link", "set", pf, "vf", "2", "vlan", "30", "trust", "on", "state", "disable");

    netns.ip("link", "set", pf, "vf", "2", "vlan", "0", "trust", "off", "state", "auto");

    var vf2 = vf(2);
    assertThat(vf2.at("/vlan_list/0/vlan").asInt(0)).isZero();
    assertThat(vf2.path("trust").asBoolean()).isFalse();
    assertThat(vf2.path("link_state").asText()).isEqualTo("auto");
  }

  @Test
  void rejectsAVfIndexBeyondNumVfs() {
    var result = netns.tryIp("link", "set", pf, "vf", "3", "trust", "on");

    assertThat(result.ok()).as(result.describe()).isFalse();
  }

  private JsonNode vf(int index) {
    for (var vf : netns.link(pf).path("vfinfo_list")) {
      if (vf.path("vf").asInt() == index) {
        return vf;
      }
    }
    throw new AssertionError("no vf " + index + " on " + pf);
  }

  /** The netdev of the device's port, found by its parent device in the test namespace. */
  private String portOf(int id) {
    for (var link : netns.ipJson("-d", "link", "show")) {
      if (link.path("parentdev").asText().equals("netdevsim" + id)) {
        return link.path("ifname").asText();
      }
    }
    throw new AssertionError("netdevsim" + id + " has no port netdev in " + netns.name());
  }
}

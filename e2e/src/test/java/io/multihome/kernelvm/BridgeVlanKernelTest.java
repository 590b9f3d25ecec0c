package io.multihome.kernelvm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A VLAN-filtering bridge with a trunk port (tagged range + untagged native VLAN) and an access
 * port, configured with {@code bridge vlan add} and read back with {@code bridge -j vlan show}.
 */
@Tag("kernel-vm")
class BridgeVlanKernelTest {

  /** One VLAN of one port as the bridge reports it. */
  record PortVlan(int vid, boolean pvid, boolean untagged) {}

  private TestNetns netns;

  @BeforeEach
  void createBridge() {
    KernelFeature.require(KernelFeature.DUMMY, KernelFeature.BRIDGE_VLAN_FILTERING);
    netns = TestNetns.create();
    netns.ip("link", "add", "br0", "type", "bridge", "vlan_filtering", "1");
    for (var port : new String[] {"trunk0", "access0"}) {
      netns.ip("link", "add", port, "type", "dummy");
      netns.ip("link", "set", port, "master", "br0");
    }
  }

  @AfterEach
  void deleteNamespace() {
    if (netns != null) {
      netns.close();
    }
  }

  @Test
  void portGetsTrunkRangeNativeVlanAndAccessVlan() {
    assertThat(netns.link("br0").at("/linkinfo/info_data/vlan_filtering").asInt()).isEqualTo(1);
    // Trunk: 100-110 tagged, 20 native (PVID + egress untagged); access: only 30 untagged.
    netns.bridge("vlan", "add", "dev", "trunk0", "vid", "100-110");
    netns.bridge("vlan", "add", "dev", "trunk0", "vid", "20", "pvid", "untagged");
    netns.bridge("vlan", "del", "dev", "trunk0", "vid", "1");
    netns.bridge("vlan", "add", "dev", "access0", "vid", "30", "pvid", "untagged");
    netns.bridge("vlan", "del", "dev", "access0", "vid", "1");

    var vlans = portVlans();

    var trunk = vlans.get("trunk0");
    assertThat(trunk.keySet())
        .containsExactly(20, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110);
    assertThat(trunk.get(20)).isEqualTo(new PortVlan(20, true, true));
    assertThat(trunk.get(105)).isEqualTo(new PortVlan(105, false, false));
    assertThat(vlans.get("access0")).containsExactly(Map.entry(30, new PortVlan(30, true, true)));
  }

  @Test
  void removingPartOfATrunkRangeKeepsTheRest() {
    netns.bridge("vlan", "add", "dev", "trunk0", "vid", "200-209");

    netns.bridge("vlan", "del", "dev", "trunk0", "vid", "205-209");

    assertThat(portVlans().get("trunk0").keySet()).containsExactly(1, 200, 201, 202, 203, 204);
    // Moving the native VLAN: the new PVID takes the flag away from the default VLAN 1.
    netns.bridge("vlan", "add", "dev", "trunk0", "vid", "202", "pvid", "untagged");
    var trunk = portVlans().get("trunk0");
    assertThat(trunk.get(202)).isEqualTo(new PortVlan(202, true, true));
    assertThat(trunk.get(1).pvid()).isFalse();
  }

  /** ifname -> vid -> flags, with vid ranges ({@code vlanEnd}) expanded. */
  private Map<String, Map<Integer, PortVlan>> portVlans() {
    var result = new TreeMap<String, Map<Integer, PortVlan>>();
    for (var port : netns.bridgeJson("vlan", "show")) {
      var vlans = new TreeMap<Integer, PortVlan>();
      for (var vlan : port.path("vlans")) {
        var first = vlan.path("vlan").asInt();
        var last = vlan.has("vlanEnd") ? vlan.path("vlanEnd").asInt() : first;
        for (var vid = first; vid <= last; vid++) {
          vlans.put(
              vid, new PortVlan(vid, hasFlag(vlan, "PVID"), hasFlag(vlan, "Egress Untagged")));
        }
      }
      result.put(port.path("ifname").asText(), vlans);
    }
    return result;
  }

  private static boolean hasFlag(JsonNode vlan, String flag) {
    for (var f : vlan.path("flags")) {
      if (f.asText().equals(flag)) {
        return true;
      }
    }
    return false;
  }
}

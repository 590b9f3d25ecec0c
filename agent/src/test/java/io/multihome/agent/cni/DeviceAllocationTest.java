package io.multihome.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.agent.cni.exec.NetworkList;
import io.multihome.agent.cni.nad.InMemoryNetworkSource;
import io.multihome.agent.cni.nad.Nad;
import io.multihome.agent.cni.nad.NamespacePolicy;
import io.multihome.agent.cni.nad.NetworkResolver;
import io.multihome.api.nad.selection.NetworkSelectionParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** resourceName NAD annotation → deviceID, one device per attachment, as Multus allocates. */
class DeviceAllocationTest {

  @TempDir Path tmp;

  private List<Delegate> plan(String uid, String networks) throws Exception {
    var nads = new InMemoryNetworkSource();
    String sriov =
        "{\"cniVersion\":\"1.0.0\",\"type\":\"sriov\",\"capabilities\":{\"deviceID\":true}}";
    nads.put(new Nad("apps", "vf", sriov, Map.of(AttachmentPlanner.RESOURCE_NAME, "intel.com/vf")));
    nads.put(
        new Nad("apps", "mlx", sriov, Map.of(AttachmentPlanner.RESOURCE_NAME, "nvidia.com/mlx")));
    nads.put("apps", "plain", "{\"cniVersion\":\"1.0.0\",\"type\":\"bridge\"}");
    DeviceIdSource devices =
        (podUid, resource) ->
            !podUid.equals("u1")
                ? List.of()
                : resource.equals("intel.com/vf")
                    ? List.of("0000:3b:02.0", "0000:3b:02.1")
                    : List.of("0000:af:00.2");
    var planner =
        new AttachmentPlanner(
            new NetworkResolver(nads, tmp, NamespacePolicy.open()), "kube-system", devices);
    var cluster =
        new AttachmentPlanner.ClusterNetwork(
            "cluster",
            NetworkList.parse(
                "{\"cniVersion\":\"1.0.0\",\"name\":\"cluster\",\"type\":\"bridge\"}", null));
    return planner.plan(
        new PodRef("apps", "p", uid),
        Map.of(NetworkSelectionParser.NETWORKS, networks),
        "eth0",
        cluster,
        null);
  }

  private static String deviceId(Delegate d) {
    return d.topLevel().path("deviceID").asText(null);
  }

  @Test
  void eachAttachmentTakesTheNextDeviceOfItsResource() throws Exception {
    var delegates = plan("u1", "vf,plain,mlx,vf,vf");
    assertThat(delegates).hasSize(6);
    assertThat(deviceId(delegates.get(1))).isEqualTo("0000:3b:02.0");
    assertThat(delegates.get(1).capabilityArgs().path("deviceID").asText())
        .isEqualTo("0000:3b:02.0");
    assertThat(delegates.get(1).topLevel().path("pciBusID").asText()).isEqualTo("0000:3b:02.0");
    assertThat(deviceId(delegates.get(2))).isNull();
    assertThat(deviceId(delegates.get(3))).isEqualTo("0000:af:00.2");
    assertThat(deviceId(delegates.get(4))).isEqualTo("0000:3b:02.1");
    assertThat(deviceId(delegates.get(5))).as("more attachments than devices").isNull();
  }

  @Test
  void aRequestedDeviceWinsAndPodsWithoutAllocationGetNone() throws Exception {
    var explicit =
        plan("u1", "[{\"name\":\"vf\",\"deviceID\":\"0000:3b:02.7\"},{\"name\":\"vf\"}]");
    assertThat(deviceId(explicit.get(1))).isEqualTo("0000:3b:02.7");
    assertThat(deviceId(explicit.get(2))).isEqualTo("0000:3b:02.0");
    assertThat(deviceId(plan("u2", "vf").get(1))).isNull();
  }
}

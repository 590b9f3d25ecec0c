package io.multihome.agent.cni.sriov;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeletCheckpointDeviceIdsTest {

  @TempDir Path tmp;

  @Test
  void mergesContainersOfThePodSortedInBothFormats() throws Exception {
    Path file = tmp.resolve("kubelet_internal_checkpoint");
    Files.writeString(
        file,
        """
        {"Data":{"PodDeviceEntries":[
          {"PodUID":"p1","ContainerName":"a","ResourceName":"intel.com/vf",
           "DeviceIDs":{"1":["0000:3b:02.3"],"0":["0000:3b:02.1"]},"AllocResp":"Cg=="},
          {"PodUID":"p1","ContainerName":"b","ResourceName":"intel.com/vf","DeviceIDs":["0000:3b:02.2"]},
          {"PodUID":"p1","ContainerName":"b","ResourceName":"nvidia.com/gpu","DeviceIDs":["GPU-1"]},
          {"PodUID":"p2","ContainerName":"a","ResourceName":"intel.com/vf","DeviceIDs":["0000:3b:02.0"]}],
          "RegisteredDevices":{}},"Checksum":42}
        """);
    var source = new KubeletCheckpointDeviceIds(file);
    assertThat(source.deviceIds("p1", "intel.com/vf"))
        .containsExactly("0000:3b:02.1", "0000:3b:02.2", "0000:3b:02.3");
    assertThat(source.deviceIds("p2", "intel.com/vf")).containsExactly("0000:3b:02.0");
    assertThat(source.deviceIds("p3", "intel.com/vf")).isEmpty();
  }

  @Test
  void missingOrBrokenFileMeansNoDevices() throws Exception {
    assertThat(new KubeletCheckpointDeviceIds(tmp.resolve("none")).deviceIds("p", "r")).isEmpty();
    Path broken = tmp.resolve("broken");
    Files.writeString(broken, "{\"Data\":");
    assertThat(new KubeletCheckpointDeviceIds(broken).deviceIds("p", "r")).isEmpty();
  }
}

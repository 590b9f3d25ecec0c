package io.multihome.agent.cni.sriov;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.multihome.agent.cni.DeviceIdSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device-plugin allocations from the kubelet's checkpoint file, Multus' fallback when the
 * PodResources socket is absent: {@code Data.PodDeviceEntries[]} with {@code PodUID}, {@code
 * ResourceName} and {@code DeviceIDs} (a map NUMA node → IDs since Kubernetes 1.20, a plain list
 * before; both are read). All containers of the pod are merged; IDs are sorted. Read on every call:
 * it is a local file the kubelet rewrites on each allocation, and it changes exactly when a new pod
 * is admitted.
 */
public final class KubeletCheckpointDeviceIds implements DeviceIdSource {

  public static final Path DEFAULT_PATH =
      Path.of("/var/lib/kubelet/device-plugins/kubelet_internal_checkpoint");
  private static final Logger LOG = LoggerFactory.getLogger(KubeletCheckpointDeviceIds.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  public KubeletCheckpointDeviceIds(Path file) {
    this.file = file;
  }

  @Override
  public List<String> deviceIds(String podUid, String resourceName) {
    JsonNode root;
    try {
      if (!Files.exists(file)) {
        return List.of();
      }
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      LOG.warn("cannot read kubelet checkpoint {}: {}", file, e.toString());
      return List.of();
    }
    var ids = new ArrayList<String>();
    for (JsonNode entry : root.path("Data").path("PodDeviceEntries")) {
      if (podUid.equals(entry.path("PodUID").asText())
          && resourceName.equals(entry.path("ResourceName").asText())) {
        JsonNode devices = entry.path("DeviceIDs");
        if (devices.isArray()) {
          devices.forEach(d -> ids.add(d.asText()));
        } else {
          devices.forEach(numaNode -> numaNode.forEach(d -> ids.add(d.asText())));
        }
      }
    }
    return ids.stream().distinct().sorted().toList();
  }
}

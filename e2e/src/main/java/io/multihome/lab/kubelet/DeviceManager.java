package io.multihome.lab.kubelet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's device manager: device-plugin devices registered per node and resource (the SR-IOV
 * VFs), handed to the pods that request them at admission, and written to the node's checkpoint
 * file ({@code kubelet_internal_checkpoint} format) where the agent's CNI daemon looks them up.
 */
final class DeviceManager {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(DeviceManager.class);

  /** Admission failed: not enough free devices (the pod fails, as with a real kubelet). */
  static final class AdmissionException extends Exception {
    AdmissionException(String message) {
      super(message);
    }
  }

  private final Function<String, Path> checkpoint;
  private final Map<String, Map<String, List<String>>> registered = new HashMap<>();
  private final Map<String, Map<String, Map<String, List<String>>>> allocated = new HashMap<>();

  DeviceManager(Function<String, Path> checkpoint) {
    this.checkpoint = checkpoint;
  }

  /** Devices of {@code resource} on {@code node}; replaces an earlier registration. */
  synchronized void register(String node, String resource, List<String> ids) throws IOException {
    registered.computeIfAbsent(node, n -> new TreeMap<>()).put(resource, List.copyOf(ids));
    writeCheckpoint(node);
  }

  /** Registered resources of {@code node} and their device counts (node capacity). */
  synchronized Map<String, Integer> capacity(String node) {
    var out = new TreeMap<String, Integer>();
    registered.getOrDefault(node, Map.of()).forEach((r, ids) -> out.put(r, ids.size()));
    return out;
  }

  /**
   * Gives the pod free devices of each registered resource its containers request; the kubelet's
   * admission error when there are too few. Idempotent for a pod that already has its devices.
   */
  synchronized void allocate(Pod pod, String node) throws AdmissionException, IOException {
    var resources = registered.getOrDefault(node, Map.of());
    String uid = pod.getMetadata().getUid();
    if (resources.isEmpty() || allocations(node).containsKey(uid)) {
      return;
    }
    var used = new ArrayList<String>();
    allocations(node).values().forEach(perResource -> perResource.values().forEach(used::addAll));
    var mine = new TreeMap<String, List<String>>();
    for (Container c : pod.getSpec().getContainers()) {
      if (c.getResources() == null) {
        continue;
      }
      var wants = new LinkedHashMap<String, Integer>();
      if (c.getResources().getLimits() != null) {
        c.getResources()
            .getLimits()
            .forEach((k, q) -> wants.put(k, q.getNumericalAmount().intValue()));
      }
      if (c.getResources().getRequests() != null) {
        c.getResources()
            .getRequests()
            .forEach((k, q) -> wants.put(k, q.getNumericalAmount().intValue()));
      }
      for (var want : wants.entrySet()) {
        var devices = resources.get(want.getKey());
        if (devices == null) {
          continue;
        }
        var free = devices.stream().filter(d -> !used.contains(d)).limit(want.getValue()).toList();
        if (free.size() < want.getValue()) {
          throw new AdmissionException(
              "Allocate failed due to requested number of devices unavailable for "
                  + want.getKey()
                  + ". Requested: "
                  + want.getValue()
                  + ", Available: "
                  + free.size()
                  + ", which is unexpected");
        }
        used.addAll(free);
        mine.computeIfAbsent(want.getKey(), r -> new ArrayList<>()).addAll(free);
      }
    }
    if (!mine.isEmpty()) {
      allocations(node).put(uid, mine);
      writeCheckpoint(node);
    }
  }

  /** Frees the pod's devices (when the pod is gone). */
  synchronized void release(String node, String uid) {
    if (allocations(node).remove(uid) != null) {
      try {
        writeCheckpoint(node);
      } catch (IOException e) {
        log.warn("checkpoint of {}: {}", node, e.toString());
      }
    }
  }

  /** Devices given out on {@code node}: pod UID → resource → device IDs. */
  private Map<String, Map<String, List<String>>> allocations(String node) {
    return allocated.computeIfAbsent(node, n -> new LinkedHashMap<>());
  }

  /** The kubelet's device-manager checkpoint format (PodDeviceEntries, RegisteredDevices). */
  private void writeCheckpoint(String node) throws IOException {
    var root = JSON.createObjectNode();
    var data = root.putObject("Data");
    ArrayNode entries = data.putArray("PodDeviceEntries");
    allocations(node)
        .forEach(
            (uid, perResource) ->
                perResource.forEach(
                    (resource, ids) -> {
                      var e = entries.addObject();
                      e.put("PodUID", uid).put("ContainerName", "c").put("ResourceName", resource);
                      var numa = e.putObject("DeviceIDs").putArray("0");
                      ids.forEach(numa::add);
                    }));
    var reg = data.putObject("RegisteredDevices");
    registered.getOrDefault(node, Map.of()).forEach((r, ids) -> ids.forEach(reg.withArray(r)::add));
    root.put("Checksum", 0);
    Path file = checkpoint.apply(node);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, JSON.writeValueAsBytes(root));
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }
}

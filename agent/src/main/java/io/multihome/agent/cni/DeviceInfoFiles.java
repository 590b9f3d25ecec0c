package io.multihome.agent.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device-information files (NPWG Device Information Specification 1.1, §4-§6). Each attachment gets
 * a CNI device-info file path, handed to plugins that declare the {@code CNIDeviceInfoFile}
 * capability; when the attachment has a device ID and a device plugin published a file for it
 * ({@code dp/<resource>-<deviceID>-device.json}), that file is copied there first. After ADD the
 * file's content becomes the attachment's {@code device-info} in network-status; DEL removes it.
 */
public final class DeviceInfoFiles {

  /** The spec's root: {@code dp/} written by device plugins, {@code cni/} per attachment. */
  public static final Path DEFAULT_ROOT = Path.of("/var/run/k8s.cni.cncf.io/devinfo");

  public static final String CAPABILITY = "CNIDeviceInfoFile";

  private static final Logger LOG = LoggerFactory.getLogger(DeviceInfoFiles.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;

  public DeviceInfoFiles(Path root) {
    this.root = root;
  }

  /** The file of one attachment: unique per (network, container, interface). */
  public Path cniFile(String containerId, Delegate delegate) {
    String name =
        new StringBuilder(delegate.network().replace('/', '-'))
            .append('-')
            .append(containerId)
            .append('-')
            .append(delegate.ifname())
            .append("-device.json")
            .toString();
    return root.resolve("cni").resolve(name);
  }

  /**
   * Gives every delegate its file path as the {@code CNIDeviceInfoFile} capability argument (only
   * plugins declaring it receive it) and copies the device plugin's file of its device, if any.
   * Runs before the state is first written, so DEL knows the paths.
   */
  public ContainerState prepare(ContainerState state) {
    var delegates = new ArrayList<Delegate>();
    for (Delegate d : state.delegates()) {
      Path file = cniFile(state.containerId(), d);
      ObjectNode capabilities = d.capabilityArgs().deepCopy();
      capabilities.put(CAPABILITY, file.toString());
      delegates.add(
          new Delegate(
              d.network(),
              d.clusterNetwork(),
              d.ifname(),
              d.config(),
              capabilities,
              d.cniArgs(),
              d.topLevel(),
              d.requestedIps(),
              d.requestedMac(),
              d.defaultRoute()));
      String deviceId = d.topLevel().path("deviceID").asText("");
      if (!deviceId.isEmpty()) {
        copyFromDevicePlugin(deviceId, file);
      }
    }
    return new ContainerState(
        state.containerId(),
        state.netns(),
        state.pod(),
        state.cniArgs(),
        delegates,
        state.results(),
        state.nodeDevices());
  }

  /** The attachment's device information, or null when there is no (valid) file. */
  public JsonNode read(String containerId, Delegate delegate) {
    Path file = cniFile(containerId, delegate);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      JsonNode info = JSON.readTree(file.toFile());
      if (info != null && info.isObject() && info.path("type").isTextual()) {
        return info;
      }
      LOG.warn("device-info file {} has no \"type\": ignored", file);
    } catch (IOException e) {
      LOG.warn("device-info file {} unreadable: {}", file, e.toString());
    }
    return null;
  }

  /** One entry per delegate, null where there is no file. */
  public List<JsonNode> readAll(ContainerState state) {
    var out = new ArrayList<JsonNode>();
    state.delegates().forEach(d -> out.add(read(state.containerId(), d)));
    return out;
  }

  public void delete(String containerId, Delegate delegate) {
    try {
      Files.deleteIfExists(cniFile(containerId, delegate));
    } catch (IOException e) {
      LOG.warn("cannot remove device-info file of {}: {}", containerId, e.toString());
    }
  }

  /**
   * The device plugin names its file by resource and device ID; the ID (a PCI address for the
   * devices this is about) is unique on the node, so it alone finds the file.
   */
  private void copyFromDevicePlugin(String deviceId, Path target) {
    Path dp = root.resolve("dp");
    if (!Files.isDirectory(dp)) {
      return;
    }
    String suffix = new StringBuilder("-").append(deviceId).append("-device.json").toString();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dp)) {
      for (Path f : files) {
        if (f.getFileName().toString().endsWith(suffix)) {
          StateStore.writeAtomically(target, Files.readAllBytes(f));
          return;
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot copy the device plugin's device-info of {}: {}", deviceId, e.toString());
    }
  }
}

package io.multihome.agent.cni.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.cni.AttachmentPlanner;
import io.multihome.agent.cni.exec.CniException;
import io.multihome.agent.cni.exec.NetworkList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code multihome-cni} plugin config the runtime passes on stdin (written by {@link
 * io.multihome.agent.cni.nodeconfig.NodeCniConfigWriter}): {@code clusterNetwork} (path of the
 * primary CNI config), optional {@code readinessIndicatorFile}, and what the runtime injects.
 */
record PluginConfig(
    String cniVersion,
    Path clusterNetworkPath,
    Path readinessIndicatorFile,
    ObjectNode runtimeConfig,
    JsonNode raw) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static PluginConfig parse(byte[] stdin) throws CniException {
    JsonNode root;
    try {
      root = JSON.readTree(stdin);
    } catch (IOException e) {
      throw new CniException(
          CniException.DECODE_FAILURE, "plugin config is not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new CniException(CniException.DECODE_FAILURE, "plugin config must be a JSON object");
    }
    String path = root.path("clusterNetwork").asText("");
    String readiness = root.path("readinessIndicatorFile").asText("");
    return new PluginConfig(
        root.path("cniVersion").asText("1.0.0"),
        path.isEmpty() ? null : Path.of(path),
        readiness.isEmpty() ? null : Path.of(readiness),
        root.path("runtimeConfig").isObject() ? (ObjectNode) root.get("runtimeConfig") : null,
        root);
  }

  AttachmentPlanner.ClusterNetwork clusterNetwork() throws CniException {
    if (clusterNetworkPath == null) {
      throw new CniException(
          CniException.INVALID_CONFIG, "plugin config: \"clusterNetwork\" is not set");
    }
    try {
      NetworkList list = NetworkList.parse(Files.readString(clusterNetworkPath), null);
      return new AttachmentPlanner.ClusterNetwork(list.name(), list);
    } catch (IOException e) {
      throw new CniException(
          CniException.INVALID_CONFIG,
          "cannot read clusterNetwork " + clusterNetworkPath + ": " + e);
    } catch (CniException e) {
      throw e.withContext("clusterNetwork " + clusterNetworkPath);
    }
  }
}

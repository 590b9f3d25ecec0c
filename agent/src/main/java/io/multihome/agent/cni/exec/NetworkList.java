package io.multihome.agent.cni.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A CNI network configuration list. A single plugin config ({@code .conf} style, still common in
 * NADs) is loaded as a list of one, as libcni does.
 */
public record NetworkList(
    String name,
    String cniVersion,
    boolean disableCheck,
    boolean disableGC,
    List<ObjectNode> plugins) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public NetworkList {
    plugins = List.copyOf(plugins);
  }

  /**
   * Parses a conf or conflist.
   *
   * @param fallbackName injected as {@code name} when the JSON has none (NPWG §3.4.2); may be null
   */
  public static NetworkList parse(String json, String fallbackName) throws CniException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new CniException(
          CniException.DECODE_FAILURE,
          "network config is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new CniException(CniException.INVALID_CONFIG, "network config must be a JSON object");
    }
    String name = root.path("name").asText("");
    if (name.isEmpty()) {
      name = fallbackName;
    }
    if (name == null || name.isEmpty()) {
      throw new CniException(CniException.INVALID_CONFIG, "network config has no \"name\"");
    }
    String version = root.path("cniVersion").asText("");
    if (root.has("cniVersions") && root.get("cniVersions").isArray()) {
      version = highest(root.get("cniVersions"), version); // spec 1.1: pick the highest we support
    }
    if (version.isEmpty()) {
      version = "1.0.0";
    }
    var plugins = new ArrayList<ObjectNode>();
    if (root.has("plugins")) {
      JsonNode list = root.get("plugins");
      if (!list.isArray() || list.isEmpty()) {
        throw new CniException(
            CniException.INVALID_CONFIG,
            "network \"" + name + "\": \"plugins\" must be a non-empty list");
      }
      for (int i = 0; i < list.size(); i++) {
        if (!list.get(i).isObject()) {
          throw new CniException(
              CniException.INVALID_CONFIG,
              "network \"" + name + "\": plugins[" + i + "] is not an object");
        }
        plugins.add(checkType(name, "plugins[" + i + "]", (ObjectNode) list.get(i)));
      }
    } else {
      plugins.add(checkType(name, "config", ((ObjectNode) root).deepCopy()));
    }
    return new NetworkList(
        name,
        version,
        root.path("disableCheck").asBoolean(false),
        root.path("disableGC").asBoolean(false),
        plugins);
  }

  private static ObjectNode checkType(String name, String where, ObjectNode plugin)
      throws CniException {
    if (!plugin.path("type").isTextual()) {
      throw new CniException(
          CniException.INVALID_CONFIG, "network \"" + name + "\": " + where + " has no \"type\"");
    }
    // Validate now so a bad NAD fails before anything is created (CVE-2021-20206).
    ProcessPluginExecutor.findPluginNameOnly(plugin.get("type").asText());
    return plugin;
  }

  private static String highest(JsonNode versions, String fallback) {
    String best = fallback;
    for (JsonNode v : versions) {
      String candidate = v.asText();
      if (CniVersions.supported(candidate)
          && (best.isEmpty() || CniVersions.compare(candidate, best) > 0)) {
        best = candidate;
      }
    }
    return best;
  }

  /** True when any plugin declares capability {@code key}. */
  public boolean hasCapability(String key) {
    return plugins.stream().anyMatch(p -> p.path("capabilities").path(key).asBoolean(false));
  }

  /** The JSON form, as a conflist. */
  public ObjectNode toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("cniVersion", cniVersion);
    node.put("name", name);
    if (disableCheck) {
      node.put("disableCheck", true);
    }
    if (disableGC) {
      node.put("disableGC", true);
    }
    var array = node.putArray("plugins");
    plugins.forEach(array::add);
    return node;
  }
}

package io.multihome.agent.cni.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link NetworkList} the way a CNI runtime does (libcni's AddNetworkList & co.): plugins in
 * order for ADD/CHECK with {@code prevResult} chaining, reverse order for DEL, STATUS and GC for
 * spec 1.1 lists. Injects {@code cniVersion}, {@code name} and {@code runtimeConfig}, strips {@code
 * capabilities}.
 */
public final class NetworkListRunner {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PluginExecutor executor;

  public NetworkListRunner(PluginExecutor executor) {
    this.executor = executor;
  }

  /** ADD: returns the final result (the last plugin's output). */
  public ObjectNode add(NetworkList list, CniInvocation invocation, RuntimeArgs args)
      throws CniException {
    var add = invocation.withCommand(CniCommand.ADD);
    ObjectNode prevResult = null;
    for (ObjectNode plugin : list.plugins()) {
      byte[] config = pluginConfig(list, plugin, args, prevResult);
      byte[] out = executor.exec(plugin.get("type").asText(), add, config);
      prevResult = parseResult(plugin.get("type").asText(), out);
    }
    return prevResult;
  }

  /**
   * DEL: every plugin in reverse order with the final ADD result (may be null); keeps going after a
   * failure and throws one error naming every failed plugin.
   */
  public void del(NetworkList list, CniInvocation invocation, RuntimeArgs args, ObjectNode result)
      throws CniException {
    var del = invocation.withCommand(CniCommand.DEL);
    var errors = new ArrayList<CniException>();
    for (int i = list.plugins().size() - 1; i >= 0; i--) {
      ObjectNode plugin = list.plugins().get(i);
      try {
        executor.exec(plugin.get("type").asText(), del, pluginConfig(list, plugin, args, result));
      } catch (CniException e) {
        errors.add(e);
      }
    }
    throwAggregated(errors);
  }

  /** CHECK (spec ≥ 0.4.0, not when {@code disableCheck}): plugins in order against the result. */
  public void check(NetworkList list, CniInvocation invocation, RuntimeArgs args, ObjectNode result)
      throws CniException {
    if (list.disableCheck() || !CniVersions.atLeast(list.cniVersion(), "0.4.0")) {
      return;
    }
    if (result == null) {
      throw new CniException(
          CniException.UNKNOWN_CONTAINER, "no cached ADD result for network " + list.name());
    }
    var check = invocation.withCommand(CniCommand.CHECK);
    for (ObjectNode plugin : list.plugins()) {
      executor.exec(plugin.get("type").asText(), check, pluginConfig(list, plugin, args, result));
    }
  }

  /** STATUS (spec 1.1): every plugin must be ready; lists older than 1.1.0 are assumed ready. */
  public void status(NetworkList list, CniInvocation invocation) throws CniException {
    if (!CniVersions.atLeast(list.cniVersion(), "1.1.0")) {
      return;
    }
    var status = new CniInvocation(CniCommand.STATUS, null, null, null, null, invocation.cniPath());
    for (ObjectNode plugin : list.plugins()) {
      executor.exec(
          plugin.get("type").asText(),
          status,
          pluginConfig(list, plugin, RuntimeArgs.none(), null));
    }
  }

  /**
   * GC (spec 1.1): every plugin gets the attachments still valid for this network; errors are
   * collected, not fatal to the remaining plugins.
   */
  public void gc(NetworkList list, CniInvocation invocation, List<Attachment> valid)
      throws CniException {
    if (list.disableGC() || !CniVersions.atLeast(list.cniVersion(), "1.1.0")) {
      return;
    }
    var gc = new CniInvocation(CniCommand.GC, null, null, null, null, invocation.cniPath());
    ArrayNode attachments = JSON.createArrayNode();
    for (Attachment a : valid) {
      attachments.addObject().put("containerID", a.containerId()).put("ifname", a.ifname());
    }
    var errors = new ArrayList<CniException>();
    for (ObjectNode plugin : list.plugins()) {
      ObjectNode config = pluginJson(list, plugin, RuntimeArgs.none(), null);
      config.set("cni.dev/valid-attachments", attachments);
      config.set("cni.dev/attachments", attachments); // the spec-v1.1.0 text's name
      try {
        executor.exec(plugin.get("type").asText(), gc, bytes(config));
      } catch (CniException e) {
        errors.add(e);
      }
    }
    throwAggregated(errors);
  }

  /** One (containerID, ifname) pair, the attachment identity of the CNI spec. */
  public record Attachment(String containerId, String ifname) {}

  static byte[] pluginConfig(
      NetworkList list, ObjectNode plugin, RuntimeArgs args, ObjectNode prevResult) {
    return bytes(pluginJson(list, plugin, args, prevResult));
  }

  static ObjectNode pluginJson(
      NetworkList list, ObjectNode plugin, RuntimeArgs args, ObjectNode prevResult) {
    ObjectNode config = plugin.deepCopy();
    config.put("cniVersion", list.cniVersion());
    config.put("name", list.name());
    args.topLevel().fields().forEachRemaining(e -> config.set(e.getKey(), e.getValue()));
    JsonNode declared = config.remove("capabilities");
    ObjectNode runtimeConfig = JSON.createObjectNode();
    if (declared != null) {
      args.capabilityArgs()
          .fields()
          .forEachRemaining(
              e -> {
                if (declared.path(e.getKey()).asBoolean(false)) {
                  runtimeConfig.set(e.getKey(), e.getValue());
                }
              });
    }
    config.remove("runtimeConfig"); // reserved: only the runtime writes it
    if (!runtimeConfig.isEmpty()) {
      config.set("runtimeConfig", runtimeConfig);
    }
    if (!args.cniArgs().isEmpty()) {
      ObjectNode argsNode =
          config.path("args").isObject()
              ? (ObjectNode) config.get("args")
              : config.putObject("args");
      ObjectNode cni =
          argsNode.path("cni").isObject()
              ? (ObjectNode) argsNode.get("cni")
              : argsNode.putObject("cni");
      cni.setAll(args.cniArgs());
    }
    if (prevResult != null) {
      config.set("prevResult", prevResult);
    }
    return config;
  }

  private static ObjectNode parseResult(String type, byte[] out) throws CniException {
    try {
      JsonNode node = JSON.readTree(out);
      if (node == null || !node.isObject()) {
        throw new CniException(
            CniException.DECODE_FAILURE, "plugin " + type + " ADD printed no result object");
      }
      return (ObjectNode) node;
    } catch (IOException e) {
      throw new CniException(
          CniException.DECODE_FAILURE,
          "plugin " + type + " ADD printed invalid JSON: " + e.getMessage());
    }
  }

  static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void throwAggregated(List<CniException> errors) throws CniException {
    if (errors.isEmpty()) {
      return;
    }
    if (errors.size() == 1) {
      throw errors.get(0);
    }
    var message = new StringBuilder("errors:");
    for (CniException e : errors) {
      message.append(' ').append(e.getMessage()).append(" /");
    }
    message.setLength(message.length() - 2);
    throw new CniException(errors.get(0).code(), message.toString());
  }
}

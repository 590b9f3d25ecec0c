package io.multihome.lab.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * The texts users see in pod events and statuses when something fails, worded as the kubelet, CRI-O
 * (with ocicni) and libcni print them, so a message found in the lab reads like the one a cluster
 * shows and searches for it find the same answers. Sources: kubelet {@code kuberuntime_manager.go}
 * ("Failed to create pod sandbox: %v", syncResult errors), gRPC status errors ("rpc error: code =
 * Unknown desc = "), CRI-O {@code sandbox_network.go} ("failed to create pod network sandbox
 * %s(%s)"), ocicni ("error adding pod %s to CNI network %q"), libcni {@code api.go} ("plugin
 * type=%q name=%q failed (add)") and {@code invoke/raw_exec.go} (how a plugin's output becomes an
 * error).
 */
public final class CriMessages {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RPC = "rpc error: code = Unknown desc = ";

  private CriMessages() {}

  /** CRI-O's sandbox name: {@code k8s_<pod>_<namespace>_<uid>_<attempt>}. */
  public static String sandboxName(String namespace, String pod, String uid, int attempt) {
    return "k8s_" + pod + "_" + namespace + "_" + uid + "_" + attempt;
  }

  /**
   * The error libcni makes of a plugin that exited non-zero: the CNI error object it printed
   * ({@code msg; details}), else its stderr, else nothing to go on.
   */
  public static String pluginError(int exitCode, String stdout, String stderr) {
    if (stdout == null || stdout.isBlank()) {
      if (stderr == null || stderr.isBlank()) {
        return "netplugin failed with no error message: exit status " + exitCode;
      }
      return "netplugin failed: " + goQuote(stderr);
    }
    try {
      JsonNode error = JSON.readTree(stdout);
      if (!error.isObject()) {
        throw new IOException("not an object");
      }
      String msg = error.path("msg").asText("");
      String details = error.path("details").asText("");
      return details.isEmpty() ? msg : msg + "; " + details;
    } catch (IOException e) {
      return "netplugin failed but error parsing its diagnostic message "
          + goQuote(stdout)
          + ": "
          + e.getMessage().lines().findFirst().orElse("");
    }
  }

  /** libcni's answer when the plugin binary is in none of the CNI_PATH directories. */
  public static String pluginNotFound(String type, List<String> path) {
    return "failed to find plugin "
        + goQuote(type)
        + " in path "
        + path.toString().replace(",", "");
  }

  /**
   * The {@code FailedCreatePodSandBox} event message: kubelet prefix, gRPC status, CRI-O's sandbox
   * and ocicni's network, libcni's plugin description, then the plugin's own error.
   */
  public static String failedCreatePodSandbox(SandboxCall call, String cniError) {
    return "Failed to create pod sandbox: "
        + RPC
        + "failed to create pod network sandbox "
        + call.sandboxName()
        + "("
        + call.sandboxId()
        + "): error adding pod "
        + call.namespace()
        + "_"
        + call.pod()
        + " to CNI network "
        + goQuote(call.network())
        + ": plugin type="
        + goQuote(call.pluginType())
        + " name="
        + goQuote(call.network())
        + " failed (add): "
        + cniError;
  }

  /** The {@code FailedKillPod} event message when the sandbox's network cannot be torn down. */
  public static String failedKillPod(SandboxCall call, String uid, String cniError) {
    String rpc =
        RPC
            + "failed to destroy network for pod sandbox "
            + call.sandboxName()
            + "("
            + call.sandboxId()
            + "): error removing pod "
            + call.namespace()
            + "_"
            + call.pod()
            + " from CNI network "
            + goQuote(call.network())
            + ": plugin type="
            + goQuote(call.pluginType())
            + " name="
            + goQuote(call.network())
            + " failed (delete): "
            + cniError;
    return "error killing pod: failed to \"KillPodSandbox\" for "
        + goQuote(uid)
        + " with KillPodSandboxError: "
        + goQuote(rpc);
  }

  /**
   * The {@code NetworkNotReady} event message while the node has no CNI configuration yet (the
   * kubelet does not start sandboxes then).
   */
  public static String networkNotReady(String confDir) {
    return "network is not ready: container runtime network not ready: NetworkReady=false"
        + " reason:NetworkPluginNotReady message:Network plugin returns error: No CNI configuration"
        + " file in "
        + confDir
        + "/. Has your network provider started?";
  }

  /** runc's words for a command that cannot be exec'ed, as CRI-O wraps them. */
  public static String containerCreateFailed(String execError) {
    return "container create failed: runc create failed: unable to start container process: "
        + execError;
  }

  /** Go's {@code %q}: double quotes, backslash escapes. */
  static String goQuote(String s) {
    var sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /** What a sandbox call is about (for the messages). */
  public record SandboxCall(
      String namespace,
      String pod,
      String sandboxName,
      String sandboxId,
      String network,
      String pluginType) {}
}

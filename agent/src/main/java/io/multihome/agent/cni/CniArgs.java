package io.multihome.agent.cni;

import java.util.LinkedHashMap;
import java.util.Map;

/** CNI_ARGS ({@code K=V;K2=V2}) parsing and the base arguments every delegate receives. */
public final class CniArgs {

  private CniArgs() {}

  public static Map<String, String> parse(String value) {
    var out = new LinkedHashMap<String, String>();
    if (value == null || value.isBlank()) {
      return out;
    }
    for (String pair : value.split(";")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
      }
    }
    return out;
  }

  public static String format(Map<String, String> args) {
    var out = new StringBuilder();
    args.forEach(
        (k, v) -> out.append(out.length() == 0 ? "" : ";").append(k).append('=').append(v));
    return out.toString();
  }

  /**
   * The runtime's CNI_ARGS with {@code IgnoreUnknown=true} and the K8S_POD_* keys guaranteed, as
   * Multus passes them (plugins reject unknown keys without IgnoreUnknown).
   */
  public static String forDelegates(String runtimeArgs, PodRef pod, String containerId) {
    var args = new LinkedHashMap<String, String>();
    args.put("IgnoreUnknown", "true");
    args.putAll(parse(runtimeArgs));
    args.putIfAbsent("K8S_POD_NAMESPACE", pod.namespace());
    args.putIfAbsent("K8S_POD_NAME", pod.name());
    args.putIfAbsent("K8S_POD_INFRA_CONTAINER_ID", containerId);
    if (pod.uid() != null && !pod.uid().isEmpty()) {
      args.putIfAbsent("K8S_POD_UID", pod.uid());
    }
    return format(args);
  }
}

package io.multihome.api.nad.selection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * One network selection element of {@code k8s.v1.cni.cncf.io/networks} (NPWG §4). Optional values
 * are null or empty lists; {@code namespace == null} means "the default namespace for this
 * annotation" (the pod's for networks, the agent's for the default-network override).
 *
 * @param defaultRoute null when the key is absent; empty when present as {@code []} (NPWG v1.3: the
 *     attachment gets the default route through the gateway its own IPAM configured)
 * @param extensions reverse-DNS keys the spec lets implementations add; kept, not interpreted
 */
public record NetworkSelection(
    String name,
    String namespace,
    String interfaceName,
    List<String> ips,
    String mac,
    List<String> defaultRoute,
    ObjectNode cniArgs,
    List<PortMapping> portMappings,
    Bandwidth bandwidth,
    String infinibandGuid,
    String deviceId,
    String ipamClaimReference,
    Map<String, JsonNode> extensions) {

  public NetworkSelection {
    ips = List.copyOf(ips);
    defaultRoute = defaultRoute == null ? null : List.copyOf(defaultRoute);
    portMappings = List.copyOf(portMappings);
    extensions = Map.copyOf(extensions);
  }

  /** The comma-form element: only a reference and maybe an interface name. */
  public static NetworkSelection of(String namespace, String name, String interfaceName) {
    return new NetworkSelection(
        name,
        namespace,
        interfaceName,
        List.of(),
        null,
        null,
        null,
        List.of(),
        null,
        null,
        null,
        null,
        Map.of());
  }

  /** True when the element carries {@code default-route}, even an empty one. */
  public boolean requestsDefaultRoute() {
    return defaultRoute != null;
  }

  /** {@code namespace/name} with the namespace defaulted. */
  public String qualifiedName(String defaultNamespace) {
    return (namespace == null ? defaultNamespace : namespace) + "/" + name;
  }
}

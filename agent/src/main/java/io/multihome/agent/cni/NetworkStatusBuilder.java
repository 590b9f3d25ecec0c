package io.multihome.agent.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds the {@code k8s.v1.cni.cncf.io/network-status} value (NPWG §5) from one ADD: one entry per
 * delegate, from the first sandbox interface of its result. Pure: the caller writes it.
 */
public final class NetworkStatusBuilder {

  public static final String ANNOTATION = "k8s.v1.cni.cncf.io/network-status";

  /**
   * The deprecated plural name, written with the same value next to {@link #ANNOTATION} as Multus
   * 3.4.1 to 3.9 did (NAD client {@code OldNetworkStatusAnnot}); the OpenShift documents still read
   * it.
   */
  public static final String DEPRECATED_ANNOTATION = "k8s.v1.cni.cncf.io/networks-status";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PCI_ADDRESS =
      Pattern.compile("[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]");

  private NetworkStatusBuilder() {}

  public static String build(List<Delegate> delegates, List<? extends JsonNode> results) {
    return build(delegates, results, List.of());
  }

  /**
   * @param deviceInfos per delegate, the content of its device-info file or null (shorter lists
   *     mean null for the rest)
   */
  public static String build(
      List<Delegate> delegates,
      List<? extends JsonNode> results,
      List<? extends JsonNode> deviceInfos) {
    ArrayNode list = JSON.createArrayNode();
    for (int i = 0; i < delegates.size(); i++) {
      list.add(
          entry(
              delegates.get(i),
              i < results.size() ? results.get(i) : null,
              i < deviceInfos.size() ? deviceInfos.get(i) : null));
    }
    return list.toString();
  }

  static ObjectNode entry(Delegate delegate, JsonNode result, JsonNode deviceInfoFile) {
    ObjectNode entry = JSON.createObjectNode();
    entry.put("name", delegate.network());
    if (result != null) {
      int index = CniResults.firstSandboxInterface(result);
      JsonNode iface = index < 0 ? null : result.path("interfaces").get(index);
      if (iface != null) {
        entry.put("interface", iface.path("name").asText(delegate.ifname()));
      } else {
        entry.put("interface", delegate.ifname());
      }
      ArrayNode ips = entry.putArray("ips");
      CniResults.addresses(result, index).forEach(a -> ips.add(CniResults.bareIp(a)));
      if (iface != null && iface.hasNonNull("mac")) {
        entry.put("mac", iface.get("mac").asText());
      }
      if (iface != null && iface.has("mtu")) {
        entry.put("mtu", iface.get("mtu").asInt());
      }
    } else {
      entry.put("interface", delegate.ifname());
    }
    // NPWG §5: "default" is required on every entry (Multus omits false).
    entry.put("default", delegate.clusterNetwork());
    ObjectNode dns = entry.putObject("dns");
    if (result != null && result.path("dns").isObject()) {
      JsonNode d = result.get("dns");
      if (d.path("nameservers").isArray() && !d.get("nameservers").isEmpty()) {
        dns.set("nameservers", d.get("nameservers"));
      }
      if (d.hasNonNull("domain") && !d.get("domain").asText().isEmpty()) {
        dns.put("domain", d.get("domain").asText());
      }
      if (d.path("search").isArray() && !d.get("search").isEmpty()) {
        dns.set("search", d.get("search"));
      }
    }
    if (delegate.ownsDefaultRoute()) {
      // NPWG 5.3.6.4: the gateways of this attachment's default routes. With "default-route": []
      // they are the ones its own IPAM configured, read back from the (rewritten) result.
      ArrayNode gws = entry.putArray("default-route");
      if (!delegate.defaultRoute().isEmpty()) {
        delegate.defaultRoute().forEach(gws::add);
      } else if (result != null) {
        CniResults.defaultGateways(result).forEach(gws::add);
      }
    }
    JsonNode deviceInfo = deviceInfo(delegate, result, deviceInfoFile);
    if (deviceInfo != null) {
      entry.set("device-info", deviceInfo);
    }
    return entry;
  }

  /**
   * NPWG device-info, first found wins: the attachment's device-info file (written by the plugin or
   * copied from the device plugin's), the PCI address the result reports for the sandbox interface
   * ({@code pciID}, CNI 1.1), the PCI device ID the attachment was given (sriov, host-device with
   * {@code pciBusID}).
   */
  static JsonNode deviceInfo(Delegate delegate, JsonNode result, JsonNode deviceInfoFile) {
    if (deviceInfoFile != null) {
      return deviceInfoFile;
    }
    String pci = "";
    if (result != null) {
      int index = CniResults.firstSandboxInterface(result);
      JsonNode iface = index < 0 ? null : result.path("interfaces").get(index);
      if (iface != null) {
        pci = iface.path("pciID").asText("");
      }
    }
    if (!PCI_ADDRESS.matcher(pci).matches()) {
      pci = delegate.topLevel().path("deviceID").asText("");
    }
    if (!PCI_ADDRESS.matcher(pci).matches()) {
      return null;
    }
    ObjectNode info = JSON.createObjectNode();
    info.put("type", "pci").put("version", "1.1.0");
    info.putObject("pci").put("pci-address", pci.toLowerCase(java.util.Locale.ROOT));
    return info;
  }
}

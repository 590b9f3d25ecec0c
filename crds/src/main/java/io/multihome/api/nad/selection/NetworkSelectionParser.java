package io.multihome.api.nad.selection;

import static io.multihome.api.nad.selection.ElementValues.kind;
import static io.multihome.api.nad.selection.ElementValues.optionalString;
import static io.multihome.api.nad.selection.ElementValues.string;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses {@code k8s.v1.cni.cncf.io/networks} (both NPWG forms) and {@code
 * v1.multus-cni.io/default-network}. Every rejection is an {@link InvalidAnnotationException} whose
 * path names the annotation, the element index and the key.
 */
public final class NetworkSelectionParser {

  public static final String NETWORKS = "k8s.v1.cni.cncf.io/networks";
  public static final String DEFAULT_NETWORK = "v1.multus-cni.io/default-network";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private static final Set<String> KNOWN_KEYS =
      Set.of(
          "name",
          "namespace",
          "ips",
          "mac",
          "interface",
          "interfaceRequest",
          "default-route",
          "cni-args",
          "portMappings",
          "bandwidth",
          "infiniband-guid",
          "deviceID",
          "ipam-claim-reference");

  private NetworkSelectionParser() {}

  /** The selected networks, in annotation order; an absent or blank annotation selects none. */
  public static List<NetworkSelection> parseNetworks(String value) {
    var selections = parse(NETWORKS, value);
    checkAcrossElements(selections);
    return selections;
  }

  /**
   * The pod's override of the cluster network: exactly one element, no ifname; null when the
   * annotation is absent or blank.
   */
  public static NetworkSelection parseDefaultNetwork(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    var selections = parse(DEFAULT_NETWORK, value);
    if (selections.size() != 1) {
      throw new InvalidAnnotationException(
          DEFAULT_NETWORK, "must name exactly one network, found " + selections.size());
    }
    var only = selections.get(0);
    if (only.interfaceName() != null) {
      throw new InvalidAnnotationException(
          DEFAULT_NETWORK + "[0]",
          "an interface name cannot be chosen for the cluster network (the runtime's CNI_IFNAME"
              + " is used)");
    }
    return only;
  }

  private static List<NetworkSelection> parse(String annotation, String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    String trimmed = value.strip();
    // NPWG §4.1.2 / Multus: any of these characters means the JSON form.
    if (trimmed.indexOf('[') >= 0 || trimmed.indexOf('{') >= 0 || trimmed.indexOf('"') >= 0) {
      return parseJson(annotation, trimmed);
    }
    return parseCommaList(annotation, trimmed);
  }

  // ---- comma form: [namespace/]name[@ifname], comma separated --------------------------------

  private static List<NetworkSelection> parseCommaList(String annotation, String value) {
    var result = new ArrayList<NetworkSelection>();
    String[] items = value.split(",", -1);
    for (int i = 0; i < items.length; i++) {
      result.add(parseCommaItem(annotation + "[" + i + "]", items[i].strip()));
    }
    return result;
  }

  private static NetworkSelection parseCommaItem(String path, String item) {
    if (item.isEmpty()) {
      throw new InvalidAnnotationException(path, "empty element (stray comma?)");
    }
    String quoted = "\"" + item + "\"";
    if (count(item, '/') > 1) {
      throw new InvalidAnnotationException(path, quoted + " has more than one '/'");
    }
    if (count(item, '@') > 1) {
      throw new InvalidAnnotationException(path, quoted + " has more than one '@'");
    }
    String namespace = null;
    String rest = item;
    int slash = item.indexOf('/');
    if (slash >= 0) {
      namespace = item.substring(0, slash);
      rest = item.substring(slash + 1);
      requireLabel(path + " namespace", namespace);
    }
    String ifname = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      ifname = rest.substring(at + 1);
      rest = rest.substring(0, at);
      String problem = Validation.ifnameProblem(ifname);
      if (problem != null) {
        throw new InvalidAnnotationException(path + " interface", problem);
      }
    }
    requireLabel(path + " name", rest);
    return NetworkSelection.of(namespace, rest, ifname);
  }

  // ---- JSON form ------------------------------------------------------------------------------

  private static List<NetworkSelection> parseJson(String annotation, String value) {
    JsonNode root;
    long end;
    try (JsonParser parser = JSON.createParser(value)) {
      root = parser.readValueAsTree();
      end = parser.currentLocation().getCharOffset();
    } catch (JsonProcessingException e) {
      throw new InvalidAnnotationException(annotation, "not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new InvalidAnnotationException(annotation, "cannot be read: " + e.getMessage());
    }
    // Jackson stops after the first value; anything after it would be dropped without a word.
    String rest = end < 0 || end >= value.length() ? "" : value.substring((int) end).strip();
    if (!rest.isEmpty()) {
      throw new InvalidAnnotationException(
          annotation,
          "unexpected content after the JSON list at character "
              + end
              + " (the list ends there): "
              + JSON.getNodeFactory().textNode(abbreviate(rest)));
    }
    if (root == null || !root.isArray()) {
      throw new InvalidAnnotationException(
          annotation, "the JSON form must be a list of objects, got " + kind(root));
    }
    var result = new ArrayList<NetworkSelection>();
    for (int i = 0; i < root.size(); i++) {
      result.add(parseElement(annotation + "[" + i + "]", root.get(i)));
    }
    return result;
  }

  private static NetworkSelection parseElement(String path, JsonNode node) {
    if (!node.isObject()) {
      throw new InvalidAnnotationException(path, "must be an object, got " + kind(node));
    }
    var extensions = new LinkedHashMap<String, JsonNode>();
    node.fields()
        .forEachRemaining(
            field -> {
              String key = field.getKey();
              if (KNOWN_KEYS.contains(key)) {
                return;
              }
              if (key.contains(".")) {
                extensions.put(key, field.getValue());
                return;
              }
              throw new InvalidAnnotationException(
                  path + "." + key,
                  "unknown key (keys without a '.' are reserved by the NPWG spec; extensions use"
                      + " reverse-DNS names)");
            });
    if (!node.has("name")) {
      throw new InvalidAnnotationException(path + ".name", "required key is missing");
    }
    String name = string(path + ".name", node.get("name"));
    requireLabel(path + ".name", name);
    String namespace = optionalString(path + ".namespace", node.get("namespace"));
    if (namespace != null && namespace.isEmpty()) {
      namespace = null; // NPWG §4.1.2: empty means the pod's namespace
    }
    if (namespace != null) {
      requireLabel(path + ".namespace", namespace);
    }
    String ifname = interfaceName(path, node);
    List<String> ips = ipList(path + ".ips", node.get("ips"), true, false);
    String mac = optionalString(path + ".mac", node.get("mac"));
    if (mac != null) {
      String problem = Validation.assignableMacProblem(mac);
      if (problem != null) {
        throw new InvalidAnnotationException(path + ".mac", problem);
      }
    }
    // NPWG v1.3 4.1.2.1.9: "This list may be empty"; null keeps "key absent" apart from [].
    List<String> defaultRoute =
        node.has("default-route") && !node.get("default-route").isNull()
            ? ipList(path + ".default-route", node.get("default-route"), false, true)
            : null;
    ObjectNode cniArgs = null;
    if (node.has("cni-args") && !node.get("cni-args").isNull()) {
      if (!node.get("cni-args").isObject()) {
        throw new InvalidAnnotationException(
            path + ".cni-args", "must be an object, got " + kind(node.get("cni-args")));
      }
      cniArgs = (ObjectNode) node.get("cni-args");
    }
    String guid = optionalString(path + ".infiniband-guid", node.get("infiniband-guid"));
    if (guid != null && !Validation.isGuid64(guid)) {
      throw new InvalidAnnotationException(
          path + ".infiniband-guid",
          "\"" + guid + "\" is not an 8-byte GUID (aa:bb:cc:dd:ee:ff:00:11)");
    }
    String deviceId = optionalString(path + ".deviceID", node.get("deviceID"));
    if (deviceId != null && deviceId.isEmpty()) {
      throw new InvalidAnnotationException(path + ".deviceID", "must not be empty");
    }
    String claim = optionalString(path + ".ipam-claim-reference", node.get("ipam-claim-reference"));
    if (claim != null) {
      // The name of an IPAMClaim object: a DNS-1123 subdomain, like every object name.
      String problem = Validation.dnsSubdomainProblem(claim);
      if (problem != null) {
        throw new InvalidAnnotationException(path + ".ipam-claim-reference", problem);
      }
    }
    if (claim != null && !ips.isEmpty()) {
      throw new InvalidAnnotationException(
          path + ".ipam-claim-reference", "cannot be combined with \"ips\" (NPWG v1.3 §8)");
    }
    return new NetworkSelection(
        name,
        namespace,
        ifname,
        ips,
        mac == null ? null : mac.toLowerCase(Locale.ROOT),
        defaultRoute,
        cniArgs,
        ElementValues.portMappings(path + ".portMappings", node.get("portMappings")),
        ElementValues.bandwidth(path + ".bandwidth", node.get("bandwidth")),
        guid,
        deviceId,
        claim,
        extensions);
  }

  private static String interfaceName(String path, JsonNode node) {
    String ifname = optionalString(path + ".interface", node.get("interface"));
    String legacy = optionalString(path + ".interfaceRequest", node.get("interfaceRequest"));
    if (ifname != null && legacy != null && !ifname.equals(legacy)) {
      throw new InvalidAnnotationException(
          path + ".interfaceRequest",
          "conflicts with \"interface\" (\"" + legacy + "\" vs \"" + ifname + "\")");
    }
    String chosen = ifname != null ? ifname : legacy;
    String key = ifname != null ? ".interface" : ".interfaceRequest";
    if (chosen != null) {
      String problem = Validation.ifnameProblem(chosen);
      if (problem != null) {
        throw new InvalidAnnotationException(path + key, problem);
      }
    }
    return chosen;
  }

  private static List<String> ipList(
      String path, JsonNode node, boolean prefixAllowed, boolean emptyAllowed) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new InvalidAnnotationException(path, "must be a list of strings, got " + kind(node));
    }
    if (node.isEmpty() && !emptyAllowed) {
      throw new InvalidAnnotationException(path, "must not be an empty list (omit the key)");
    }
    var result = new ArrayList<String>();
    for (int i = 0; i < node.size(); i++) {
      String itemPath = path + "[" + i + "]";
      String value = string(itemPath, node.get(i));
      String problem =
          prefixAllowed
              ? Validation.ipOrCidrProblem(value)
              : (Validation.isIp(value) ? null : "\"" + value + "\" is not an IP address");
      if (problem != null) {
        throw new InvalidAnnotationException(itemPath, problem);
      }
      if (result.contains(value)) {
        throw new InvalidAnnotationException(itemPath, "\"" + value + "\" is listed twice");
      }
      result.add(value);
    }
    return result;
  }

  // ---- rules spanning elements ----------------------------------------------------------------

  private static void checkAcrossElements(List<NetworkSelection> selections) {
    int routeOwner = -1;
    var ifnames = new HashMap<String, Integer>();
    for (int i = 0; i < selections.size(); i++) {
      var selection = selections.get(i);
      String path = NETWORKS + "[" + i + "]";
      if (selection.requestsDefaultRoute()) {
        if (routeOwner >= 0) {
          throw new InvalidAnnotationException(
              path + ".default-route",
              "only one element may carry default-route, element " + routeOwner + " already does");
        }
        routeOwner = i;
        checkOneGatewayPerFamily(path + ".default-route", selection.defaultRoute());
      }
      if (selection.interfaceName() != null) {
        Integer previous = ifnames.putIfAbsent(selection.interfaceName(), i);
        if (previous != null) {
          throw new InvalidAnnotationException(
              path + ".interface",
              "\"" + selection.interfaceName() + "\" is already requested by element " + previous);
        }
      }
    }
  }

  private static void checkOneGatewayPerFamily(String path, List<String> gateways) {
    long v6 = gateways.stream().filter(g -> g.contains(":")).count();
    long v4 = gateways.size() - v6;
    if (v4 > 1 || v6 > 1) {
      throw new InvalidAnnotationException(
          path,
          "at most one IPv4 and one IPv6 gateway (ECMP default routes are not supported), got "
              + gateways);
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static void requireLabel(String path, String value) {
    String problem = Validation.dnsLabelProblem(value);
    if (problem != null) {
      throw new InvalidAnnotationException(path, problem);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }

  private static int count(String s, char c) {
    return (int) s.chars().filter(x -> x == c).count();
  }
}

package io.multihome.agent.cni.ipam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.cni.exec.CniException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the configuration a main plugin passes to its {@code whereabouts} IPAM (the whole plugin
 * config, IPAM section under {@code ipam}) as whereabouts' {@code LoadIPAMConfig} does: the flat
 * file ({@code configuration_path}, then the standard {@code whereabouts.d/whereabouts.conf}
 * locations) fills what the NAD leaves empty, {@code range} becomes the first of {@code ipRanges},
 * the {@code a-b/len} form sets start and end. Unlike whereabouts, a value that does not parse or
 * that lies outside its range is an error naming the field (whereabouts silently drops it).
 */
public final class WhereaboutsConfigParser {

  public static final String TYPE = "whereabouts";

  /** Where whereabouts looks for its flat file when {@code configuration_path} is not set. */
  public static final List<Path> DEFAULT_FLAT_FILES =
      List.of(
          Path.of("/etc/kubernetes/cni/net.d/whereabouts.d/whereabouts.conf"),
          Path.of("/etc/cni/net.d/whereabouts.d/whereabouts.conf"),
          Path.of("/host/etc/cni/net.d/whereabouts.d/whereabouts.conf"));

  /** Accepted for compatibility and ignored: the agent's own API client and logging apply. */
  static final Set<String> IGNORED =
      Set.of(
          "datastore",
          "kubernetes",
          "etcd_host",
          "etcd_username",
          "etcd_password",
          "etcd_key_file",
          "etcd_cert_file",
          "etcd_ca_cert_file",
          "log_file",
          "log_level",
          "leader_lease_duration",
          "leader_renew_deadline",
          "leader_retry_period",
          "reconciler_cron_expression",
          "sleep_for_race");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Path> flatFiles;

  public WhereaboutsConfigParser() {
    this(DEFAULT_FLAT_FILES);
  }

  /** {@code flatFiles}: the standard locations (tests and the lab pass their own). */
  public WhereaboutsConfigParser(List<Path> flatFiles) {
    this.flatFiles = List.copyOf(flatFiles);
  }

  public WhereaboutsConfig parse(byte[] pluginConfig) throws CniException {
    JsonNode root;
    try {
      root = JSON.readTree(pluginConfig);
    } catch (IOException e) {
      throw invalid("config", "not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw invalid("config", "must be a JSON object");
    }
    JsonNode ipamNode = root.get("ipam");
    if (ipamNode == null || !ipamNode.isObject()) {
      throw invalid("ipam", "missing: the plugin config has no \"ipam\" object");
    }
    ObjectNode ipam = ((ObjectNode) ipamNode).deepCopy();
    String type = ipam.path("type").asText("");
    if (!TYPE.equals(type)) {
      throw invalid("ipam.type", "is \"" + type + "\"; only \"whereabouts\" is served here");
    }
    mergeFlatFile(ipam);
    var f = new Fields(ipam);
    if (!f.string("node_slice_size").isEmpty()) {
      throw invalid(
          "ipam.node_slice_size",
          "node slices (NodeSlicePool) are not supported; allocate from the whole range");
    }
    List<IpRange> ranges = new ArrayList<>();
    if (!f.string("range").isEmpty()) {
      ranges.add(range(f, "ipam"));
    }
    JsonNode ipRanges = ipam.get("ipRanges");
    if (ipRanges != null && !ipRanges.isNull()) {
      if (!ipRanges.isArray()) {
        throw invalid("ipam.ipRanges", "must be a list of range objects");
      }
      for (int i = 0; i < ipRanges.size(); i++) {
        String path = "ipam.ipRanges[" + i + "]";
        if (!ipRanges.get(i).isObject()) {
          throw invalid(path, "must be an object with \"range\"");
        }
        var rf = new Fields(ipRanges.get(i), path);
        if (rf.string("range").isEmpty()) {
          throw invalid(path + ".range", "is required");
        }
        ranges.add(range(rf, path));
      }
    }
    if (ranges.isEmpty()) {
      throw invalid("ipam.range", "no range configured: set \"range\" or \"ipRanges\"");
    }
    Ip gateway = null;
    if (!f.string("gateway").isEmpty()) {
      gateway = address(f.string("gateway"), "ipam.gateway");
    }
    return new WhereaboutsConfig(
        root.path("name").asText(""),
        root.path("cniVersion").asText("1.0.0"),
        f.string("network_name"),
        ranges,
        gateway,
        routes(ipam.get("routes")),
        ipam.hasNonNull("dns") ? objectField(ipam, "dns") : null,
        staticAddresses(ipam.get("addresses")),
        f.bool("enable_overlapping_ranges", true));
  }

  /** Fills every key the NAD leaves absent or empty from the first flat file found. */
  private void mergeFlatFile(ObjectNode ipam) throws CniException {
    List<Path> candidates = new ArrayList<>();
    String custom = ipam.path("configuration_path").asText("");
    if (!custom.isEmpty()) {
      candidates.add(Path.of(custom));
    }
    candidates.addAll(flatFiles);
    for (Path file : candidates) {
      if (!Files.exists(file)) {
        continue;
      }
      JsonNode flat;
      try {
        flat = JSON.readTree(Files.readAllBytes(file));
      } catch (JsonProcessingException e) {
        throw invalid("ipam.configuration_path", file + " is not valid JSON: " + e.getMessage());
      } catch (IOException e) {
        throw invalid("ipam.configuration_path", "cannot read " + file + ": " + e);
      }
      if (flat == null || !flat.isObject()) {
        throw invalid("ipam.configuration_path", file + " must hold a JSON object");
      }
      flat.fields()
          .forEachRemaining(
              e -> {
                // As whereabouts: the flat file never turns overlapping ranges on or off.
                if (!e.getKey().equals("enable_overlapping_ranges")
                    && isEmpty(ipam.get(e.getKey()))) {
                  ipam.set(e.getKey(), e.getValue());
                }
              });
      return;
    }
  }

  private static boolean isEmpty(JsonNode v) {
    return v == null
        || v.isNull()
        || (v.isTextual() && v.asText().isEmpty())
        || (v.isContainerNode() && v.isEmpty())
        || (v.isNumber() && v.asDouble() == 0);
  }

  private static IpRange range(Fields f, String path) throws CniException {
    String text = f.string("range");
    Ip start = null;
    Ip end = null;
    Cidr cidr;
    int dash = text.indexOf('-');
    cidr = cidr(dash >= 0 ? text.substring(dash + 1) : text, path + ".range");
    if (cidr.address().bits() - cidr.prefix() < 2) {
      throw invalid(path + ".range", cidr + " has no usable addresses (too small)");
    }
    if (!f.string("range_start").isEmpty()) {
      start = boundary(f.string("range_start"), cidr, path + ".range_start");
    }
    if (!f.string("range_end").isEmpty()) {
      end = boundary(f.string("range_end"), cidr, path + ".range_end");
    }
    if (dash >= 0) {
      // "first-last/len" (the CIDR's prefix applies to the whole range) wins over range_start and
      // range_end, as in whereabouts.
      start = address(text.substring(0, dash), path + ".range");
      end = cidr.address();
      if (!cidr.contains(start)) {
        throw invalid(path + ".range", start + " is not inside " + cidr);
      }
    }
    if (start != null && end != null && start.compareTo(end) > 0) {
      throw invalid(path + ".range_end", end + " is before the range start " + start);
    }
    List<Cidr> excludes = new ArrayList<>();
    JsonNode ex = f.node.get("exclude");
    if (ex != null && !ex.isNull()) {
      if (!ex.isArray()) {
        throw invalid(path + ".exclude", "must be a list of CIDRs or addresses");
      }
      for (int i = 0; i < ex.size(); i++) {
        String p = path + ".exclude[" + i + "]";
        if (!ex.get(i).isTextual()) {
          throw invalid(p, "must be a string (CIDR or address)");
        }
        Cidr x = cidrOrAddress(ex.get(i).asText(), p);
        if (!x.address().sameFamily(cidr.address())) {
          throw invalid(p, x + " is not of the range's address family");
        }
        excludes.add(x);
      }
    }
    return new IpRange(cidr, start, end, excludes);
  }

  private static Ip boundary(String text, Cidr cidr, String path) throws CniException {
    Ip ip = address(text, path);
    if (!cidr.contains(ip)) {
      throw invalid(path, ip + " is not inside the range " + cidr);
    }
    return ip;
  }

  private static JsonNode routes(JsonNode routes) throws CniException {
    if (routes == null || routes.isNull()) {
      return null;
    }
    if (!routes.isArray()) {
      throw invalid("ipam.routes", "must be a list of {\"dst\": CIDR, \"gw\": address}");
    }
    for (int i = 0; i < routes.size(); i++) {
      JsonNode r = routes.get(i);
      String path = "ipam.routes[" + i + "]";
      if (!r.isObject() || !r.path("dst").isTextual()) {
        throw invalid(path + ".dst", "is required (a CIDR)");
      }
      cidr(r.get("dst").asText(), path + ".dst");
      if (r.hasNonNull("gw")) {
        address(r.path("gw").asText(""), path + ".gw");
      }
    }
    return routes.deepCopy();
  }

  private static List<WhereaboutsConfig.StaticAddress> staticAddresses(JsonNode list)
      throws CniException {
    var out = new ArrayList<WhereaboutsConfig.StaticAddress>();
    if (list == null || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      throw invalid(
          "ipam.addresses", "must be a list of {\"address\": CIDR, \"gateway\": address}");
    }
    for (int i = 0; i < list.size(); i++) {
      String path = "ipam.addresses[" + i + "]";
      JsonNode a = list.get(i);
      if (!a.isObject() || !a.path("address").isTextual()) {
        throw invalid(path + ".address", "is required (a CIDR)");
      }
      Cidr address = cidr(a.get("address").asText(), path + ".address");
      Ip gw =
          a.hasNonNull("gateway") ? address(a.get("gateway").asText(""), path + ".gateway") : null;
      out.add(new WhereaboutsConfig.StaticAddress(address, gw));
    }
    return out;
  }

  private static JsonNode objectField(ObjectNode ipam, String name) throws CniException {
    JsonNode v = ipam.get(name);
    if (!v.isObject()) {
      throw invalid("ipam." + name, "must be an object");
    }
    return v.deepCopy();
  }

  static Ip address(String text, String path) throws CniException {
    try {
      return Ip.parse(text);
    } catch (IllegalArgumentException e) {
      throw invalid(path, "\"" + text + "\" is not an IP address");
    }
  }

  static Cidr cidr(String text, String path) throws CniException {
    try {
      return Cidr.parse(text, false);
    } catch (IllegalArgumentException e) {
      throw invalid(path, e.getMessage());
    }
  }

  private static Cidr cidrOrAddress(String text, String path) throws CniException {
    try {
      return Cidr.parse(text, true);
    } catch (IllegalArgumentException e) {
      throw invalid(path, "\"" + text + "\" is neither a CIDR nor an address");
    }
  }

  static CniException invalid(String path, String reason) {
    return new CniException(CniException.INVALID_CONFIG, "whereabouts: " + path + ": " + reason);
  }

  /** Typed access to one JSON object's fields, errors naming the field. */
  private static final class Fields {
    final JsonNode node;
    final String path;

    Fields(JsonNode node) {
      this(node, "ipam");
    }

    Fields(JsonNode node, String path) {
      this.node = node;
      this.path = path;
    }

    String string(String key) throws CniException {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return "";
      }
      if (!v.isTextual()) {
        throw invalid(path + "." + key, "must be a string");
      }
      return v.asText().strip();
    }

    boolean bool(String key, boolean dflt) throws CniException {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return dflt;
      }
      if (!v.isBoolean()) {
        throw invalid(path + "." + key, "must be true or false");
      }
      return v.asBoolean();
    }
  }
}

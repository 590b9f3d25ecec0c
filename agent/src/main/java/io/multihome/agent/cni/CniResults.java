package io.multihome.agent.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.cni.exec.CniVersions;
import io.multihome.api.nad.selection.Validation;
import java.util.ArrayList;
import java.util.List;

/** Reads CNI results of any version 0.1.0–1.1.0 (legacy {@code ip4}/{@code ip6} included). */
public final class CniResults {

  private CniResults() {}

  /** Index of the first interface with a sandbox, or -1 (NPWG §5.1.1). */
  public static int firstSandboxInterface(JsonNode result) {
    JsonNode interfaces = result.path("interfaces");
    for (int i = 0; i < interfaces.size(); i++) {
      if (!interfaces.get(i).path("sandbox").asText("").isEmpty()) {
        return i;
      }
    }
    return -1;
  }

  /** The CIDR addresses that belong to interface {@code index} (or carry none when index < 0). */
  public static List<String> addresses(JsonNode result, int index) {
    var out = new ArrayList<String>();
    for (JsonNode ip : result.path("ips")) {
      int owner = ip.has("interface") ? ip.get("interface").asInt(-1) : -1;
      if (index < 0 ? owner < 0 : owner == index) {
        out.add(ip.path("address").asText());
      }
    }
    if (out.isEmpty() && !result.has("ips")) {
      for (String legacy : List.of("ip4", "ip6")) {
        if (result.path(legacy).has("ip")) {
          out.add(result.path(legacy).get("ip").asText());
        }
      }
    }
    return out;
  }

  /** Every address in the result, whatever interface it is on. */
  public static List<String> allAddresses(JsonNode result) {
    var out = new ArrayList<String>();
    result.path("ips").forEach(ip -> out.add(ip.path("address").asText()));
    for (String legacy : List.of("ip4", "ip6")) {
      if (result.path(legacy).has("ip")) {
        out.add(result.path(legacy).get("ip").asText());
      }
    }
    return out;
  }

  public static String bareIp(String cidr) {
    int slash = cidr.indexOf('/');
    return Validation.canonicalIp(slash < 0 ? cidr : cidr.substring(0, slash));
  }

  /**
   * Converts between result versions of the 0.3.0+ shape (the runtime asked for {@code target}).
   * 1.0.0 dropped {@code ips[].version}; 0.3.x/0.4.0 require it.
   */
  public static ObjectNode convert(ObjectNode result, String target) {
    ObjectNode copy = result.deepCopy();
    String from = copy.path("cniVersion").asText("1.0.0");
    if (!CniVersions.atLeast(from, "0.3.0") || !CniVersions.atLeast(target, "0.3.0")) {
      return copy; // legacy shapes are passed through untouched
    }
    copy.put("cniVersion", target);
    for (JsonNode ip : copy.path("ips")) {
      ObjectNode entry = (ObjectNode) ip;
      if (CniVersions.atLeast(target, "1.0.0")) {
        entry.remove("version");
      } else if (!entry.has("version")) {
        entry.put("version", entry.path("address").asText().contains(":") ? "6" : "4");
      }
    }
    return copy;
  }

  /** Removes default routes of one family from a result. */
  static void removeDefaultRoutes(ObjectNode result, boolean ipv6) {
    if (!result.path("routes").isArray()) {
      return;
    }
    ArrayNode kept = result.arrayNode();
    for (JsonNode route : result.get("routes")) {
      if (!route.path("dst").asText().equals(ipv6 ? "::/0" : "0.0.0.0/0")) {
        kept.add(route);
      }
    }
    result.set("routes", kept);
  }

  /**
   * The gateways of a result's default routes: each route's own {@code gw}, else the gateway of the
   * first address of that family (how plugins install a gateway-less default route).
   */
  static List<String> defaultGateways(JsonNode result) {
    var gateways = new java.util.ArrayList<String>();
    for (JsonNode route : result.path("routes")) {
      String dst = route.path("dst").asText();
      boolean v6 = dst.equals("::/0");
      if (!v6 && !dst.equals("0.0.0.0/0")) {
        continue;
      }
      String gw = route.path("gw").asText("");
      if (gw.isEmpty()) {
        for (JsonNode ip : result.path("ips")) {
          String candidate = ip.path("gateway").asText("");
          if (!candidate.isEmpty() && candidate.contains(":") == v6) {
            gw = candidate;
            break;
          }
        }
      }
      if (!gw.isEmpty() && !gateways.contains(gw)) {
        gateways.add(gw);
      }
    }
    return gateways;
  }

  static void addDefaultRoute(ObjectNode result, String gateway) {
    ArrayNode routes =
        result.path("routes").isArray()
            ? (ArrayNode) result.get("routes")
            : result.putArray("routes");
    routes.addObject().put("dst", gateway.contains(":") ? "::/0" : "0.0.0.0/0").put("gw", gateway);
  }
}

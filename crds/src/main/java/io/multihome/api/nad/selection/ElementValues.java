package io.multihome.api.nad.selection;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys of a network selection element that become plugin capabilities ({@code portMappings},
 * {@code bandwidth}), validated as NPWG v1.3 §4.1.2.1.7-8 define them, and the typed JSON readers
 * the parser shares. Every rejection names its path.
 */
final class ElementValues {

  private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp");
  private static final Set<String> BANDWIDTH_KEYS =
      Set.of("ingressRate", "ingressBurst", "egressRate", "egressBurst");
  private static final Set<String> PORT_KEYS =
      Set.of("hostPort", "containerPort", "protocol", "hostIP");

  private ElementValues() {}

  static List<PortMapping> portMappings(String path, JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new InvalidAnnotationException(path, "must be a list of objects, got " + kind(node));
    }
    // NPWG v1.3 4.1.2.1.7: at least one element; hostPort and containerPort both required.
    if (node.isEmpty()) {
      throw new InvalidAnnotationException(path, "must not be an empty list (omit the key)");
    }
    var result = new ArrayList<PortMapping>();
    for (int i = 0; i < node.size(); i++) {
      String itemPath = path + "[" + i + "]";
      JsonNode item = node.get(i);
      if (!item.isObject()) {
        throw new InvalidAnnotationException(itemPath, "must be an object, got " + kind(item));
      }
      rejectUnknown(itemPath, item, PORT_KEYS);
      int hostPort = requiredPort(itemPath + ".hostPort", item.get("hostPort"));
      int containerPort = requiredPort(itemPath + ".containerPort", item.get("containerPort"));
      String protocol = optionalString(itemPath + ".protocol", item.get("protocol"));
      if (protocol == null) {
        protocol = "TCP";
      } else if (!PROTOCOLS.contains(protocol.toLowerCase(Locale.ROOT))) {
        throw new InvalidAnnotationException(
            itemPath + ".protocol", "\"" + protocol + "\" is not one of TCP, UDP, SCTP");
      }
      String hostIp = optionalString(itemPath + ".hostIP", item.get("hostIP"));
      if (hostIp != null && !Validation.isIp(hostIp)) {
        throw new InvalidAnnotationException(
            itemPath + ".hostIP", "\"" + hostIp + "\" is not an IP address");
      }
      result.add(new PortMapping(hostPort, containerPort, protocol, hostIp));
    }
    return result;
  }

  private static int requiredPort(String path, JsonNode node) {
    if (node == null || node.isNull()) {
      throw new InvalidAnnotationException(path, "required key is missing");
    }
    return port(path, node);
  }

  private static int port(String path, JsonNode node) {
    if (!node.isIntegralNumber() || node.asLong() < 1 || node.asLong() > 65535) {
      throw new InvalidAnnotationException(path, node + " is not a port number (integer 1-65535)");
    }
    return node.asInt();
  }

  static Bandwidth bandwidth(String path, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new InvalidAnnotationException(path, "must be an object, got " + kind(node));
    }
    rejectUnknown(path, node, BANDWIDTH_KEYS);
    Map<String, Long> values = new HashMap<>();
    for (String key : BANDWIDTH_KEYS) {
      JsonNode value = node.get(key);
      if (value == null || value.isNull()) {
        continue;
      }
      // NPWG v1.3 4.1.2.1.8: every value "must contain a non-zero value".
      if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() <= 0) {
        throw new InvalidAnnotationException(
            path + "." + key, value + " is not a positive integer (bits/s or bits)");
      }
      values.put(key, value.asLong());
    }
    if (values.isEmpty()) {
      throw new InvalidAnnotationException(path, "sets none of " + BANDWIDTH_KEYS);
    }
    for (String direction : List.of("ingress", "egress")) {
      if (values.containsKey(direction + "Burst") && !values.containsKey(direction + "Rate")) {
        throw new InvalidAnnotationException(
            path + "." + direction + "Burst",
            "needs " + direction + "Rate (a burst without a rate limits nothing)");
      }
    }
    return new Bandwidth(
        values.get("ingressRate"),
        values.get("ingressBurst"),
        values.get("egressRate"),
        values.get("egressBurst"));
  }

  static void rejectUnknown(String path, JsonNode node, Set<String> allowed) {
    node.fieldNames()
        .forEachRemaining(
            key -> {
              if (!allowed.contains(key)) {
                throw new InvalidAnnotationException(
                    path + "." + key, "unknown key (allowed: " + new TreeSet<>(allowed) + ")");
              }
            });
  }

  static String string(String path, JsonNode node) {
    if (node == null || !node.isTextual()) {
      throw new InvalidAnnotationException(path, "must be a string, got " + kind(node));
    }
    return node.asText();
  }

  static String optionalString(String path, JsonNode node) {
    return node == null || node.isNull() ? null : string(path, node);
  }

  static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    return switch (node.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT, POJO -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number (" + node + ")";
      case BOOLEAN -> "a boolean (" + node + ")";
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }
}

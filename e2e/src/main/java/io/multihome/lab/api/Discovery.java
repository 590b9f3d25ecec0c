package io.multihome.lab.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The API discovery documents kubectl reads before anything else ({@code /api}, {@code /api/v1},
 * {@code /apis}, {@code /apis/<group>/<version>}) and {@code /version}, built from the {@link
 * ResourceRegistry} on every request (so a CRD created through the API is found at once). Served in
 * the legacy (unaggregated) form, which kubectl falls back to when it asked for the aggregated one.
 */
final class Discovery {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** The Kubernetes version the lab claims: the API it imitates. */
  static final String MAJOR = "1";

  static final String MINOR = "32";

  private final ResourceRegistry registry;

  Discovery(ResourceRegistry registry) {
    this.registry = registry;
  }

  /** The document at {@code path}, if it is a discovery path. */
  Optional<ObjectNode> document(String path) {
    String p =
        path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    if (p.equals("/version")) {
      return Optional.of(version());
    }
    if (p.equals("/api")) {
      var doc = JSON.createObjectNode().put("kind", "APIVersions");
      doc.putArray("versions").add("v1");
      doc.putArray("serverAddressByClientCIDRs")
          .addObject()
          .put("clientCIDR", "0.0.0.0/0")
          .put("serverAddress", "127.0.0.1");
      return Optional.of(doc);
    }
    if (p.equals("/apis")) {
      return Optional.of(groups());
    }
    if (p.equals("/api/v1")) {
      return Optional.of(resources("", "v1"));
    }
    String[] parts = p.split("/");
    if (parts.length == 4 && parts[1].equals("apis")) {
      var doc = resources(parts[2], parts[3]);
      return doc.withArray("resources").isEmpty() ? Optional.empty() : Optional.of(doc);
    }
    if (parts.length == 3 && parts[1].equals("apis")) {
      var g = groups().withArray("groups");
      for (var group : g) {
        if (group.path("name").asText().equals(parts[2])) {
          var doc = ((ObjectNode) group.deepCopy()).put("kind", "APIGroup").put("apiVersion", "v1");
          return Optional.of(doc);
        }
      }
    }
    return Optional.empty();
  }

  private static ObjectNode version() {
    return JSON.createObjectNode()
        .put("major", MAJOR)
        .put("minor", MINOR)
        .put("gitVersion", "v" + MAJOR + "." + MINOR + ".0-multihome-lab")
        .put("platform", "linux/amd64");
  }

  private ObjectNode groups() {
    var groups = new TreeMap<String, ObjectNode>();
    for (var t : registry.all()) {
      if (t.group().isEmpty()) {
        continue;
      }
      var g =
          groups.computeIfAbsent(
              t.group(),
              k -> {
                var n = JSON.createObjectNode().put("name", k);
                n.putArray("versions");
                return n;
              });
      var versions = (ArrayNode) g.get("versions");
      for (var v : t.versions()) {
        boolean present = false;
        for (var e : versions) {
          present |= e.path("version").asText().equals(v);
        }
        if (!present) {
          versions.addObject().put("groupVersion", t.group() + "/" + v).put("version", v);
        }
      }
      // The group's preferred version is its highest by Kubernetes version priority (v1 over
      // v1beta1), whichever resource brought it, as the API server orders them.
      String best = g.path("preferredVersion").path("version").asText(null);
      for (var v : t.versions()) {
        if (best == null || VersionPriority.compare(v, best) > 0) {
          best = v;
        }
      }
      g.putObject("preferredVersion")
          .put("groupVersion", t.group() + "/" + best)
          .put("version", best);
    }
    var doc = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    var arr = doc.putArray("groups");
    groups.values().forEach(arr::add);
    return doc;
  }

  private ObjectNode resources(String group, String version) {
    var doc = JSON.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1");
    doc.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    var arr = doc.putArray("resources");
    for (var t : registry.all()) {
      if (!t.group().equals(group) || !t.versions().contains(version)) {
        continue;
      }
      var r =
          arr.addObject()
              .put("name", t.plural())
              .put("singularName", t.singular())
              .put("namespaced", t.namespaced())
              .put("kind", t.kind());
      var verbs = r.putArray("verbs");
      VERBS.forEach(verbs::add);
      var shorts = r.putArray("shortNames");
      t.shortNames().forEach(shorts::add);
      for (var sub : t.subresources()) {
        var s =
            arr.addObject()
                .put("name", t.plural() + "/" + sub)
                .put("singularName", "")
                .put("namespaced", t.namespaced())
                .put("kind", subresourceKind(t, sub));
        var sv = s.putArray("verbs");
        subresourceVerbs(sub).forEach(sv::add);
      }
    }
    return doc;
  }

  private static String subresourceKind(ResourceType t, String sub) {
    return Map.of("scale", "Scale", "binding", "Binding").getOrDefault(sub, t.kind());
  }

  private static List<String> subresourceVerbs(String sub) {
    return switch (sub) {
      case "log" -> List.of("get");
      case "binding" -> List.of("create");
      default -> List.of("get", "patch", "update");
    };
  }
}

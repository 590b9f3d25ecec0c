package io.multihome.lab.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code /openapi/v3} (index and one document per group version) and {@code /openapi/v2}: every
 * resource's paths with the PATCH operation declaring the {@code fieldValidation} parameter — how
 * kubectl learns the server validates fields itself, so {@code kubectl create -f} and {@code apply
 * -f} work without {@code --validate=false} — and the CRDs' schemas (for {@code kubectl explain}
 * and client-side tools). Built-in kinds have no schemas here: kubectl uses its compiled-in ones.
 */
final class OpenApi {
  private final ResourceRegistry registry;

  OpenApi(ResourceRegistry registry) {
    this.registry = registry;
  }

  Optional<ObjectNode> document(String path) {
    if (path.equals("/openapi/v3") || path.equals("/openapi/v3/")) {
      return Optional.of(index());
    }
    if (path.startsWith("/openapi/v3/")) {
      String gv = path.substring("/openapi/v3/".length());
      return groupVersion(gv);
    }
    if (path.equals("/openapi/v2")) {
      return Optional.of(swagger());
    }
    return Optional.empty();
  }

  private ObjectNode index() {
    var doc = ApiContext.JSON.createObjectNode();
    var paths = doc.putObject("paths");
    for (String gv : groupVersions()) {
      paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + hash(gv));
    }
    return doc;
  }

  private String hash(String gv) {
    var doc = groupVersion(gv);
    return doc.map(d -> Integer.toHexString(d.toString().hashCode())).orElse("0");
  }

  private TreeSet<String> groupVersions() {
    var out = new TreeSet<String>();
    for (var t : registry.all()) {
      for (var v : t.versions()) {
        out.add(t.group().isEmpty() ? "api/" + v : "apis/" + t.group() + "/" + v);
      }
    }
    return out;
  }

  private Optional<ObjectNode> groupVersion(String gv) {
    String[] p = gv.split("/");
    String group = p[0].equals("api") ? "" : p.length == 3 ? p[1] : null;
    String version = p[p.length - 1];
    if (group == null) {
      return Optional.empty();
    }
    var doc = ApiContext.JSON.createObjectNode().put("openapi", "3.0.0");
    doc.putObject("info")
        .put("title", "Kubernetes")
        .put("version", "v" + Discovery.MAJOR + "." + Discovery.MINOR + ".0");
    var paths = doc.putObject("paths");
    var schemas = doc.putObject("components").putObject("schemas");
    boolean any = false;
    for (var t : registry.all()) {
      if (!t.group().equals(group) || !t.versions().contains(version)) {
        continue;
      }
      any = true;
      String item =
          t.namespaced()
              ? t.collectionPath(version, "{namespace}") + "/{name}"
              : t.collectionPath(version, null) + "/{name}";
      var ops = paths.putObject(item);
      var gvk = gvk(t, version);
      for (String verb : new String[] {"get", "put", "patch", "delete"}) {
        var op = ops.putObject(verb);
        op.put("operationId", verb + t.kind() + version);
        op.put("x-kubernetes-action", verb.equals("put") ? "put" : verb);
        op.set("x-kubernetes-group-version-kind", gvk);
        var params = op.putArray("parameters");
        if (!verb.equals("get") && !verb.equals("delete")) {
          params
              .addObject()
              .put("name", "dryRun")
              .put("in", "query")
              .putObject("schema")
              .put("type", "string");
          params
              .addObject()
              .put("name", "fieldValidation")
              .put("in", "query")
              .putObject("schema")
              .put("type", "string");
        }
        op.putObject("responses").putObject("200").put("description", "OK");
      }
      var schema = t.schemas().get(version);
      if (schema != null) {
        var s = schema.deepCopy();
        if (s.isObject()) {
          ((ObjectNode) s).putArray("x-kubernetes-group-version-kind").add(gvk.deepCopy());
          schemas.set(schemaName(t, version), s);
        }
      }
    }
    return any ? Optional.of(doc) : Optional.empty();
  }

  private static ObjectNode gvk(ResourceType t, String version) {
    return ApiContext.JSON
        .createObjectNode()
        .put("group", t.group())
        .put("version", version)
        .put("kind", t.kind());
  }

  /**
   * {@code io.nmstate.v1.NodeNetworkConfigurationPolicy}: the group reversed, as Kubernetes names
   * CRD schemas.
   */
  static String schemaName(ResourceType t, String version) {
    if (t.group().isEmpty()) {
      return "io.k8s.api.core." + version + "." + t.kind();
    }
    var parts = java.util.Arrays.asList(t.group().split("\\."));
    java.util.Collections.reverse(parts);
    return String.join(".", parts) + "." + version + "." + t.kind();
  }

  private ObjectNode swagger() {
    var doc = ApiContext.JSON.createObjectNode().put("swagger", "2.0");
    doc.putObject("info")
        .put("title", "Kubernetes")
        .put("version", "v" + Discovery.MAJOR + "." + Discovery.MINOR + ".0");
    var paths = doc.putObject("paths");
    var definitions = doc.putObject("definitions");
    for (var t : registry.all()) {
      for (var v : t.versions()) {
        String item =
            t.namespaced()
                ? t.collectionPath(v, "{namespace}") + "/{name}"
                : t.collectionPath(v, null) + "/{name}";
        var patch = paths.putObject(item).putObject("patch");
        patch.put("x-kubernetes-action", "patch");
        patch.set("x-kubernetes-group-version-kind", gvk(t, v));
        patch
            .putArray("parameters")
            .addObject()
            .put("name", "fieldValidation")
            .put("in", "query")
            .put("type", "string")
            .put("uniqueItems", true);
        patch.putObject("responses").putObject("200").put("description", "OK");
        var schema = t.schemas().get(v);
        if (schema != null && schema.isObject()) {
          var s = (ObjectNode) schema.deepCopy();
          s.putArray("x-kubernetes-group-version-kind").add(gvk(t, v));
          definitions.set(schemaName(t, v), s);
        }
      }
    }
    return doc;
  }
}

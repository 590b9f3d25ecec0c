package io.multihome.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * fabric8's CRUD mock plus the API discovery documents kubectl reads before anything else ({@code
 * /api}, {@code /api/v1}, {@code /apis}, {@code /apis/<group>/<version>}): the core resources the
 * lab uses and every CRD it loaded, with their short names ({@code nncp}, {@code nnce}, …). Without
 * them kubectl answers "the server doesn't have a resource type".
 */
final class LabDiscovery extends KubernetesCrudDispatcher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** Core (v1) resources: plural, kind, namespaced, short names. */
  private static final List<List<String>> CORE =
      List.of(
          List.of("pods", "Pod", "true", "po"),
          List.of("nodes", "Node", "false", "no"),
          List.of("namespaces", "Namespace", "false", "ns"),
          List.of("events", "Event", "true", "ev"),
          List.of("configmaps", "ConfigMap", "true", "cm"),
          List.of("services", "Service", "true", "svc"));

  /**
   * Built-in group versions beyond core that the lab serves (its controllers act on them):
   * resources as in {@link #CORE}; each also gets its {@code /status} and {@code /scale}.
   */
  private static final Map<String, List<List<String>>> BUILT_IN =
      Map.of(
          "apps/v1",
          List.of(
              List.of("deployments", "Deployment", "true", "deploy"),
              List.of("replicasets", "ReplicaSet", "true", "rs")));

  private final Map<String, String> documents = new TreeMap<>();

  LabDiscovery() {}

  /** Rebuilds the documents for these CRDs (plus the core resources). */
  synchronized void setCrds(List<CustomResourceDefinition> crds) {
    documents.clear();
    documents.put(
        "/api",
        JSON.createObjectNode()
            .put("kind", "APIVersions")
            .set("versions", JSON.createArrayNode().add("v1"))
            .toString());
    var core = resourceList("v1");
    for (var r : CORE) {
      resource(core, r.get(0), r.get(1), Boolean.parseBoolean(r.get(2)), List.of(r.get(3)));
    }
    documents.put("/api/v1", core.toString());
    var groups = new TreeMap<String, ObjectNode>();
    var lists = new TreeMap<String, ObjectNode>();
    BUILT_IN.forEach((gv, resources) -> builtIn(groups, lists, gv, resources));
    for (var crd : crds) {
      var spec = crd.getSpec();
      String group = spec.getGroup();
      var g =
          groups.computeIfAbsent(
              group,
              k -> {
                var n = JSON.createObjectNode().put("name", k);
                n.putArray("versions");
                return n;
              });
      for (var v : spec.getVersions()) {
        if (!Boolean.TRUE.equals(v.getServed())) {
          continue;
        }
        String gv = group + "/" + v.getName();
        var versionEntry =
            JSON.createObjectNode().put("groupVersion", gv).put("version", v.getName());
        if (!lists.containsKey(gv)) {
          // One entry per group version, however many CRDs share it.
          ((ArrayNode) g.get("versions")).add(versionEntry);
        }
        // kubectl uses the preferred version first; the mock keeps objects under the version they
        // were written with, and the project writes the stable one (v1) where there is one.
        boolean stable = !v.getName().contains("alpha") && !v.getName().contains("beta");
        if (!g.has("preferredVersion") || stable) {
          g.set("preferredVersion", versionEntry);
        }
        var list = lists.computeIfAbsent(gv, LabDiscovery::resourceList);
        resource(
            list,
            spec.getNames().getPlural(),
            spec.getNames().getKind(),
            "Namespaced".equals(spec.getScope()),
            spec.getNames().getShortNames() == null ? List.of() : spec.getNames().getShortNames());
        if (v.getSubresources() != null && v.getSubresources().getStatus() != null) {
          ((ArrayNode) list.get("resources"))
              .addObject()
              .put("name", spec.getNames().getPlural() + "/status")
              .put("singularName", "")
              .put("namespaced", "Namespaced".equals(spec.getScope()))
              .put("kind", spec.getNames().getKind())
              .putArray("verbs")
              .add("get")
              .add("patch")
              .add("update");
        }
      }
    }
    var groupList = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    var arr = groupList.putArray("groups");
    groups.values().forEach(arr::add);
    documents.put("/apis", groupList.toString());
    lists.forEach((gv, list) -> documents.put("/apis/" + gv, list.toString()));
  }

  private static void builtIn(
      Map<String, ObjectNode> groups,
      Map<String, ObjectNode> lists,
      String groupVersion,
      List<List<String>> resources) {
    String group = groupVersion.split("/")[0];
    var version =
        JSON.createObjectNode()
            .put("groupVersion", groupVersion)
            .put("version", groupVersion.split("/")[1]);
    var g = JSON.createObjectNode().put("name", group);
    g.putArray("versions").add(version);
    g.set("preferredVersion", version);
    groups.put(group, g);
    var list = resourceList(groupVersion);
    for (var r : resources) {
      resource(list, r.get(0), r.get(1), Boolean.parseBoolean(r.get(2)), List.of(r.get(3)));
      for (var sub : List.of("status", "scale")) {
        var entry = ((ArrayNode) list.get("resources")).addObject();
        if (sub.equals("scale")) {
          entry.put("group", "autoscaling").put("version", "v1");
        }
        entry
            .put("name", r.get(0) + "/" + sub)
            .put("singularName", "")
            .put("namespaced", Boolean.parseBoolean(r.get(2)))
            .put("kind", sub.equals("scale") ? "Scale" : r.get(1))
            .putArray("verbs")
            .add("get")
            .add("patch")
            .add("update");
      }
    }
    lists.put(groupVersion, list);
  }

  private static ObjectNode resourceList(String groupVersion) {
    var n = JSON.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1");
    n.put("groupVersion", groupVersion);
    n.putArray("resources");
    return n;
  }

  private static void resource(
      ObjectNode list, String plural, String kind, boolean namespaced, List<String> shortNames) {
    var r = ((ArrayNode) list.get("resources")).addObject();
    r.put("name", plural)
        .put("singularName", kind.toLowerCase())
        .put("namespaced", namespaced)
        .put("kind", kind);
    var verbs = r.putArray("verbs");
    VERBS.forEach(verbs::add);
    var shorts = r.putArray("shortNames");
    shortNames.forEach(shorts::add);
  }

  @Override
  public MockResponse handleGet(String path) {
    String bare = path.split("\\?", 2)[0];
    String doc;
    synchronized (this) {
      doc = documents.get(bare.endsWith("/") ? bare.substring(0, bare.length() - 1) : bare);
    }
    if (doc != null) {
      return new MockResponse()
          .setResponseCode(200)
          .addHeader("Content-Type", "application/json")
          .setBody(doc);
    }
    if (LabScale.isScalePath(path)) {
      return LabScale.asScale(super.handleGet(LabScale.objectPath(path)));
    }
    return super.handleGet(path);
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    var response = super.handlePatch(request);
    return LabScale.isScalePath(request.getPath()) ? LabScale.asScale(response) : response;
  }

  /**
   * A PUT of a Scale sets the object's {@code spec.replicas} (what {@code kubectl scale} may send).
   */
  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    if (!LabScale.isScalePath(request.getPath())) {
      return super.handleUpdate(request);
    }
    try {
      var headers =
          new Headers.Builder().add("Content-Type", "application/merge-patch+json").build();
      var patch =
          new RecordedRequest(
              "PATCH " + request.getPath() + " HTTP/1.1",
              HttpMethod.PATCH,
              request.getPath(),
              headers,
              new Buffer(
                  LabScale.patchFor(request.getUtf8Body()).getBytes(StandardCharsets.UTF_8)));
      return LabScale.asScale(super.handlePatch(patch));
    } catch (IOException e) {
      return new MockResponse().setResponseCode(400).setBody(e.getMessage());
    }
  }
}

package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The resources the lab's API serves: the built-in kinds the lab and its users touch, plus every
 * CRD created (at start or later through the API). Thread-safe; CRDs replace earlier versions of
 * themselves.
 */
public final class ResourceRegistry {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, ResourceType> byGroupPlural = new LinkedHashMap<>();

  public ResourceRegistry() {
    builtin("", "v1", "pods", "Pod", true, List.of("po"), List.of("status", "log", "binding"));
    builtin("", "v1", "nodes", "Node", false, List.of("no"), List.of("status"));
    builtin("", "v1", "namespaces", "Namespace", false, List.of("ns"), List.of("status"));
    builtin("", "v1", "events", "Event", true, List.of("ev"), List.of());
    builtin("", "v1", "configmaps", "ConfigMap", true, List.of("cm"), List.of());
    builtin("", "v1", "secrets", "Secret", true, List.of(), List.of());
    builtin("", "v1", "services", "Service", true, List.of("svc"), List.of("status"));
    builtin("", "v1", "endpoints", "Endpoints", true, List.of("ep"), List.of());
    builtin("", "v1", "serviceaccounts", "ServiceAccount", true, List.of("sa"), List.of());
    builtin("apps", "v1", "deployments", "Deployment", true, List.of("deploy"), scaled());
    builtin("apps", "v1", "replicasets", "ReplicaSet", true, List.of("rs"), scaled());
    builtin("apps", "v1", "daemonsets", "DaemonSet", true, List.of("ds"), List.of("status"));
    builtin("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true, List.of(), none());
    builtin(
        "admissionregistration.k8s.io",
        "v1",
        "mutatingwebhookconfigurations",
        "MutatingWebhookConfiguration",
        false,
        List.of(),
        none());
    builtin(
        "admissionregistration.k8s.io",
        "v1",
        "validatingwebhookconfigurations",
        "ValidatingWebhookConfiguration",
        false,
        List.of(),
        none());
    builtin("coordination.k8s.io", "v1", "leases", "Lease", true, List.of(), none());
    builtin(
        "apiextensions.k8s.io",
        "v1",
        "customresourcedefinitions",
        "CustomResourceDefinition",
        false,
        List.of("crd", "crds"),
        List.of("status"));
  }

  private static List<String> scaled() {
    return List.of("status", "scale");
  }

  private static List<String> none() {
    return List.of();
  }

  private void builtin(
      String group,
      String version,
      String plural,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      List<String> subresources) {
    byGroupPlural.put(
        key(group, plural),
        new ResourceType(
            group,
            List.of(version),
            plural,
            kind,
            namespaced,
            shortNames,
            subresources,
            Map.of(),
            Map.of()));
  }

  private static String key(String group, String plural) {
    return group + "/" + plural;
  }

  /** Adds or replaces the resource a CRD defines (served versions only). */
  public synchronized ResourceType addCrd(CustomResourceDefinition crd) {
    var spec = crd.getSpec();
    var versions = new ArrayList<String>();
    var columns = new LinkedHashMap<String, List<ResourceType.PrinterColumn>>();
    var schemas = new LinkedHashMap<String, JsonNode>();
    var subresources = new ArrayList<String>();
    for (var v : spec.getVersions()) {
      if (!Boolean.TRUE.equals(v.getServed())) {
        continue;
      }
      // The storage version first: kubectl prefers it, and the lab writes the stable one.
      if (Boolean.TRUE.equals(v.getStorage())) {
        versions.add(0, v.getName());
      } else {
        versions.add(v.getName());
      }
      var cols = new ArrayList<ResourceType.PrinterColumn>();
      if (v.getAdditionalPrinterColumns() != null) {
        for (var c : v.getAdditionalPrinterColumns()) {
          cols.add(
              new ResourceType.PrinterColumn(
                  c.getName(),
                  c.getType(),
                  c.getFormat() == null ? "" : c.getFormat(),
                  c.getJsonPath(),
                  c.getPriority() == null ? 0 : c.getPriority(),
                  c.getDescription() == null ? "" : c.getDescription()));
        }
      }
      columns.put(v.getName(), List.copyOf(cols));
      if (v.getSchema() != null && v.getSchema().getOpenAPIV3Schema() != null) {
        schemas.put(v.getName(), JSON.valueToTree(v.getSchema().getOpenAPIV3Schema()));
      }
      if (v.getSubresources() != null
          && v.getSubresources().getStatus() != null
          && !subresources.contains("status")) {
        subresources.add("status");
      }
      if (v.getSubresources() != null
          && v.getSubresources().getScale() != null
          && !subresources.contains("scale")) {
        subresources.add("scale");
      }
    }
    var names = spec.getNames();
    var type =
        new ResourceType(
            spec.getGroup(),
            List.copyOf(versions),
            names.getPlural(),
            names.getKind(),
            "Namespaced".equals(spec.getScope()),
            names.getShortNames() == null ? List.of() : List.copyOf(names.getShortNames()),
            List.copyOf(subresources),
            Map.copyOf(columns),
            Map.copyOf(schemas));
    byGroupPlural.put(key(type.group(), type.plural()), type);
    return type;
  }

  public synchronized void removeCrd(String group, String plural) {
    var t = byGroupPlural.get(key(group, plural));
    if (t != null && t.custom()) {
      byGroupPlural.remove(key(group, plural));
    }
  }

  public synchronized Optional<ResourceType> find(String group, String plural) {
    return Optional.ofNullable(byGroupPlural.get(key(group, plural)));
  }

  /** The type of an object with this apiVersion and kind. */
  public synchronized Optional<ResourceType> byKind(String apiVersion, String kind) {
    String group = apiVersion == null || !apiVersion.contains("/") ? "" : apiVersion.split("/")[0];
    return byGroupPlural.values().stream()
        .filter(t -> t.group().equals(group) && t.kind().equals(kind))
        .findFirst();
  }

  /** By kind alone (the API group unknown, e.g. an event's involvedObject without one). */
  public synchronized Optional<ResourceType> byKindLowerCase(String kind) {
    return byGroupPlural.values().stream()
        .filter(t -> t.kind().toLowerCase(Locale.ROOT).equals(kind.toLowerCase(Locale.ROOT)))
        .findFirst();
  }

  public synchronized List<ResourceType> all() {
    return List.copyOf(byGroupPlural.values());
  }
}

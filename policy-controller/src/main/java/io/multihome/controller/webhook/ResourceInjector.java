package io.multihome.controller.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.api.nad.selection.InvalidAnnotationException;
import io.multihome.api.nad.selection.NetworkSelection;
import io.multihome.api.nad.selection.NetworkSelectionParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides what network-resources-injector's {@code MutateHandler} decides, for one pod: every
 * network the pod selects ({@code k8s.v1.cni.cncf.io/networks} and {@code
 * v1.multus-cni.io/default-network}) is looked up; each one whose NAD carries a resource-name
 * annotation adds one of that resource (so two attachments of one network need two), and a NAD's
 * {@code k8s.v1.cni.cncf.io/nodeSelector} joins the pod's nodeSelector. Unlike upstream, which
 * answers an unparsable annotation with HTTP 400 (the API server then reports only "failed calling
 * webhook"), a bad annotation is a denial whose message names the element and the problem.
 *
 * <p>Left out of upstream's features: user-defined injections and control switches from the {@code
 * nri-control-switches} ConfigMap (settings here are fixed at start), hugepages in the downward
 * API, and finding the namespace through owner references (the API server always sends the
 * request's namespace for pods).
 */
public final class ResourceInjector {
  public static final String NODE_SELECTOR_ANNOTATION = "k8s.v1.cni.cncf.io/nodeSelector";

  private final NadLookup nads;
  private final InjectorSettings settings;

  public ResourceInjector(NadLookup nads, InjectorSettings settings) {
    this.nads = nads;
    this.settings = settings;
  }

  /** {@code namespace}: the request's, used when the pod does not name its own. */
  public Admission decide(JsonNode pod, String namespace) {
    var annotations = pod.path("metadata").path("annotations");
    String podNamespace = pod.path("metadata").path("namespace").asText("");
    if (podNamespace.isEmpty()) {
      podNamespace = namespace == null ? "" : namespace;
    }
    JsonNode networks = annotations.get(NetworkSelectionParser.NETWORKS);
    JsonNode defaultNetwork = annotations.get(NetworkSelectionParser.DEFAULT_NETWORK);
    if (networks == null && defaultNetwork == null) {
      return new Admission.Allow(
          PodPatch.empty(), "Pod spec doesn't have network annotations. Skipping...");
    }
    if (podNamespace.isEmpty()) {
      // As upstream: without a namespace the NADs cannot be found; do not block the pod.
      return new Admission.Allow(PodPatch.empty(), "no namespace in the request; skipping");
    }
    List<NetworkSelection> selections = new ArrayList<>();
    try {
      var def = NetworkSelectionParser.parseDefaultNetwork(text(defaultNetwork));
      if (def != null) {
        selections.add(def);
      }
      selections.addAll(NetworkSelectionParser.parseNetworks(text(networks)));
    } catch (InvalidAnnotationException e) {
      return new Admission.Deny("invalid network selection: " + e.getMessage());
    }
    var requests = new TreeMap<String, Long>();
    var nodeSelector = new LinkedHashMap<String, String>();
    for (var selection : selections) {
      String ns = selection.namespace() == null ? podNamespace : selection.namespace();
      var found = nads.annotations(ns, selection.name());
      if (found.isEmpty()) {
        return new Admission.Deny(
            "could not find network attachment definition '" + ns + "/" + selection.name() + "'");
      }
      var nadAnnotations = found.get();
      for (var key : settings.resourceNameKeys()) {
        String resource = nadAnnotations.get(key);
        if (resource != null && !resource.isBlank()) {
          requests.merge(resource.strip(), 1L, Long::sum);
        }
      }
      String problem = addNodeSelector(nadAnnotations.get(NODE_SELECTOR_ANNOTATION), nodeSelector);
      if (problem != null) {
        return new Admission.Deny(
            "node selector in net-attach-def " + ns + "/" + selection.name() + " " + problem);
      }
    }
    var patch = new PodPatch(pod.path("spec"));
    if (!requests.isEmpty()) {
      try {
        patch.resources(requests, settings.honorExistingResources());
      } catch (IllegalArgumentException e) {
        // Only reachable with honorExistingResources: a value that is not a quantity.
        return new Admission.Deny(
            "spec.containers[0].resources: cannot add network resources: " + e.getMessage());
      }
      if (settings.downwardApi()) {
        patch.podNetInfo(pod.path("metadata"));
      }
    }
    patch.nodeSelector(nodeSelector);
    return new Admission.Allow(patch.ops(), requests.isEmpty() ? "no resources" : "allowed");
  }

  private static String text(JsonNode value) {
    return value == null || value.isNull() ? null : value.asText();
  }

  /** {@code key=value} or {@code key}; null when fine, else what is wrong. */
  private static String addNodeSelector(String selector, Map<String, String> into) {
    if (selector == null) {
      return null;
    }
    String[] parts = selector.split("=", -1);
    if (parts.length > 2) {
      return "has more than one label";
    }
    into.put(parts[0].strip(), parts.length == 2 ? parts[1].strip() : "");
    return null;
  }
}

package io.multihome.controller.service;

import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The label and annotation that make a Service a secondary-network Service, read as multus-service
 * reads them: the annotation names NetworkAttachmentDefinitions as {@code name} (the Service's
 * namespace) or {@code namespace/name}; multihome also accepts a comma-separated list.
 */
public final class ServiceNetworks {

  /** kube-proxy's well-known label: kube-proxy leaves Services (and slices) carrying it alone. */
  public static final String PROXY_NAME_LABEL = "service.kubernetes.io/service-proxy-name";

  public static final String PROXY_NAME = "multus-proxy";

  public static final String NETWORK_ANNOTATION = "k8s.v1.cni.cncf.io/service-network";

  /** {@code endpointslice.kubernetes.io/managed-by} of the slices this controller writes. */
  public static final String MANAGED_BY = "endpointslice-controller.multihome.io";

  public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  public static final String HEADLESS_LABEL = "service.kubernetes.io/headless";

  /** The network-status annotation pods carry (written by the CNI daemon). */
  public static final String NETWORK_STATUS = "k8s.v1.cni.cncf.io/network-status";

  private ServiceNetworks() {}

  /** True for a Service this controller serves (label and annotation present). */
  public static boolean selects(Service service) {
    Map<String, String> labels = service.getMetadata().getLabels();
    Map<String, String> annotations = service.getMetadata().getAnnotations();
    return labels != null
        && PROXY_NAME.equals(labels.get(PROXY_NAME_LABEL))
        && annotations != null
        && annotations.get(NETWORK_ANNOTATION) != null
        && !annotations.get(NETWORK_ANNOTATION).isBlank();
  }

  /**
   * The networks as {@code namespace/name}, in the order given.
   *
   * @throws IllegalArgumentException naming the annotation and the bad item
   */
  public static List<String> networks(Service service) {
    String namespace = service.getMetadata().getNamespace();
    Map<String, String> annotations = service.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(NETWORK_ANNOTATION);
    return parse(value == null ? "" : value, namespace);
  }

  static List<String> parse(String value, String namespace) {
    List<String> out = new ArrayList<>();
    String[] items = value.split(",");
    for (int i = 0; i < items.length; i++) {
      String item = items[i].replace(" ", "").strip();
      String[] parts = item.split("/", -1);
      boolean ok =
          parts.length <= 2
              && !item.isEmpty()
              && java.util.Arrays.stream(parts)
                  .allMatch(p -> p.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?"));
      if (!ok) {
        throw new IllegalArgumentException(
            NETWORK_ANNOTATION
                + "["
                + i
                + "]: \""
                + items[i].strip()
                + "\" is not a NetworkAttachmentDefinition name or namespace/name");
      }
      String qualified = parts.length == 2 ? item : namespace + "/" + item;
      if (!out.contains(qualified)) {
        out.add(qualified);
      }
    }
    return out;
  }

  public static boolean headless(Service service) {
    return "None".equals(service.getSpec().getClusterIP());
  }
}

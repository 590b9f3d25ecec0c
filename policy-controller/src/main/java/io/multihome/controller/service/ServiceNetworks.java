package io.multihome.controller.service;

import io.fabric8.kubernetes.api.model.Service;
import io.multihome.api.nad.ServiceNetworkNames;
import java.util.List;
import java.util.Map;

/**
 * The label and annotation that make a Service a secondary-network Service, read as multus-service
 * reads them: the annotation names NetworkAttachmentDefinitions as {@code name} (the Service's
 * namespace) or {@code namespace/name}; multihome also accepts a comma-separated list.
 */
public final class ServiceNetworks {

  public static final String PROXY_NAME_LABEL = ServiceNetworkNames.PROXY_NAME_LABEL;
  public static final String PROXY_NAME = ServiceNetworkNames.PROXY_NAME;
  public static final String NETWORK_ANNOTATION = ServiceNetworkNames.NETWORK_ANNOTATION;
  public static final String MANAGED_BY = ServiceNetworkNames.MANAGED_BY;
  public static final String MANAGED_BY_LABEL = ServiceNetworkNames.MANAGED_BY_LABEL;
  public static final String SERVICE_NAME_LABEL = ServiceNetworkNames.SERVICE_NAME_LABEL;
  public static final String HEADLESS_LABEL = ServiceNetworkNames.HEADLESS_LABEL;

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
    return ServiceNetworkNames.networks(value, namespace);
  }

  public static boolean headless(Service service) {
    return "None".equals(service.getSpec().getClusterIP());
  }
}

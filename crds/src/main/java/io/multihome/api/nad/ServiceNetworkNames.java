package io.multihome.api.nad;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The names that make a Service a secondary-network Service (multus-service's conventions), shared
 * by the controller that writes its EndpointSlices and the node proxy that programs them.
 */
public final class ServiceNetworkNames {

  /** kube-proxy's well-known label: kube-proxy leaves Services (and slices) carrying it alone. */
  public static final String PROXY_NAME_LABEL = "service.kubernetes.io/service-proxy-name";

  public static final String PROXY_NAME = "multus-proxy";

  /** A NAD name ({@code name} in the Service's namespace, or {@code namespace/name}), or a list. */
  public static final String NETWORK_ANNOTATION = "k8s.v1.cni.cncf.io/service-network";

  /** {@code endpointslice.kubernetes.io/managed-by} of the slices multihome writes. */
  public static final String MANAGED_BY = "endpointslice-controller.multihome.io";

  public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  public static final String HEADLESS_LABEL = "service.kubernetes.io/headless";

  private ServiceNetworkNames() {}

  /**
   * The annotation's networks as {@code namespace/name}, in order, without repeats.
   *
   * @throws IllegalArgumentException naming the annotation and the bad item
   */
  public static List<String> networks(String annotation, String namespace) {
    List<String> out = new ArrayList<>();
    String[] items = (annotation == null ? "" : annotation).split(",");
    for (int i = 0; i < items.length; i++) {
      String item = items[i].replace(" ", "").strip();
      String[] parts = item.split("/", -1);
      boolean ok =
          parts.length <= 2
              && !item.isEmpty()
              && Arrays.stream(parts).allMatch(p -> p.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?"));
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
}

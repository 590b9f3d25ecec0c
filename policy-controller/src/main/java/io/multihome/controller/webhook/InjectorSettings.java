package io.multihome.controller.webhook;

import io.multihome.api.nad.NetworkAttachmentDefinition;
import java.util.List;

/**
 * What the injector does, as network-resources-injector's flags.
 *
 * @param resourceNameKeys NAD annotations naming a resource ({@code --network-resource-name-keys};
 *     default {@code k8s.v1.cni.cncf.io/resourceName})
 * @param honorExistingResources add to what the first container already requests instead of leaving
 *     a resource alone that any container already names ({@code --honor-resources})
 * @param downwardApi mount the {@code podnetinfo} downward-API volume (labels, annotations) at
 *     {@code /etc/podnetinfo} in every container when resources are injected, as upstream always
 *     does (device plugins' network-status readers look there)
 */
public record InjectorSettings(
    List<String> resourceNameKeys, boolean honorExistingResources, boolean downwardApi) {

  public InjectorSettings {
    resourceNameKeys = List.copyOf(resourceNameKeys);
    if (resourceNameKeys.isEmpty() || resourceNameKeys.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(
          "resourceNameKeys: at least one non-blank key is required");
    }
  }

  public static InjectorSettings defaults() {
    return new InjectorSettings(
        List.of(NetworkAttachmentDefinition.RESOURCE_NAME_ANNOTATION), false, true);
  }

  public InjectorSettings withHonorExistingResources(boolean value) {
    return new InjectorSettings(resourceNameKeys, value, downwardApi);
  }
}

package io.multihome.testkit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Objects written as raw JSON around the model (issue 14): what a store without schema validation
 * (fabric8's mock server, a lab) keeps when kubectl sends a wrong type or an unknown field.
 */
public final class RawObjects {
  private RawObjects() {}

  /**
   * Creates {@code json} (with {@code '} for {@code "}) as an object of {@code kind}, or replaces
   * the one of that name.
   */
  public static GenericKubernetesResource write(
      KubernetesClient client, Class<? extends HasMetadata> kind, String json) {
    var object =
        client
            .getKubernetesSerialization()
            .unmarshal(json.replace('\'', '"'), GenericKubernetesResource.class);
    var all = client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(kind));
    var namespace = object.getMetadata().getNamespace();
    return (namespace == null ? all.resource(object) : all.inNamespace(namespace).resource(object))
        .createOr(NonDeletingOperation::update);
  }
}

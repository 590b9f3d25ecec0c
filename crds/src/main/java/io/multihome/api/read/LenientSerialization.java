package io.multihome.api.read;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Modifier;

/**
 * A fabric8 serialization that reads every kind of the API (Pod, Service, EndpointSlice, Node, ...)
 * as {@link LenientResourceDeserializer} reads the project's custom resources: a value of the wrong
 * type reads as absent (and is logged with its path) instead of failing the read. An API server
 * refuses such values in these kinds, a store without validation (fabric8's mock server, a lab)
 * keeps them; with fabric8's own serialization one such object fails every list and watch of its
 * kind, and a JOSDK operator stops. {@link GenericKubernetesResource} is read as before (it has no
 * typed fields).
 *
 * <p>fabric8's {@code UnmatchedFieldTypeModule} without its template restriction is no substitute:
 * an object where a scalar belongs leaves the parser inside that object, so the fields after it
 * land in the wrong object and a list read goes wrong from there.
 */
public final class LenientSerialization extends KubernetesSerialization {

  public LenientSerialization() {
    super(lenientMapper(), true);
  }

  private static ObjectMapper lenientMapper() {
    var module = new SimpleModule("multihome-lenient-resources");
    module.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public JsonDeserializer<?> modifyDeserializer(
              DeserializationConfig config, BeanDescription bean, JsonDeserializer<?> plain) {
            var raw = bean.getBeanClass();
            boolean resource =
                HasMetadata.class.isAssignableFrom(raw)
                    && !GenericKubernetesResource.class.isAssignableFrom(raw)
                    && !raw.isInterface()
                    && !Modifier.isAbstract(raw.getModifiers());
            return resource ? new LenientResourceDeserializer(bean.getType()) : plain;
          }
        });
    return new ObjectMapper().registerModule(module);
  }
}

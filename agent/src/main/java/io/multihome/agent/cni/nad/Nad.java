package io.multihome.agent.cni.nad;

import java.util.Map;

/**
 * The parts of a NetworkAttachmentDefinition the attachment path reads.
 *
 * @param config {@code spec.config}; null or empty means "look in the conf dir" (NPWG §3.4.1)
 */
public record Nad(String namespace, String name, String config, Map<String, String> annotations) {

  public Nad {
    annotations = Map.copyOf(annotations);
  }

  public String qualifiedName() {
    return namespace + "/" + name;
  }
}

package io.multihome.controller.webhook;

import java.util.Map;
import java.util.Optional;

/** The annotations of a NetworkAttachmentDefinition, empty when it does not exist. */
@FunctionalInterface
public interface NadLookup {
  Optional<Map<String, String>> annotations(String namespace, String name);
}

package io.multihome.api.read;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Labels and annotations as the API means them. A JSON merge patch that removes a key ({@code
 * kubectl label node N key-} sends {@code {"key": null}}) may leave the key with a null value in a
 * store that does not apply RFC 7386 strictly; such a key is absent, and a null value must never
 * reach {@link Map#copyOf} (which throws) or a selector.
 */
public final class MetaMaps {
  private MetaMaps() {}

  /** The object's labels without null keys or values; never null, unmodifiable. */
  public static Map<String, String> labels(HasMetadata o) {
    return o == null || o.getMetadata() == null ? Map.of() : present(o.getMetadata().getLabels());
  }

  /** The object's annotations without null keys or values; never null, unmodifiable. */
  public static Map<String, String> annotations(HasMetadata o) {
    return o == null || o.getMetadata() == null
        ? Map.of()
        : present(o.getMetadata().getAnnotations());
  }

  /** {@code map} without null keys or values (insertion order kept); never null, unmodifiable. */
  public static Map<String, String> present(Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    var out = new LinkedHashMap<String, String>(map.size());
    map.forEach(
        (k, v) -> {
          if (k != null && v != null) {
            out.put(k, v);
          }
        });
    return Collections.unmodifiableMap(out);
  }
}

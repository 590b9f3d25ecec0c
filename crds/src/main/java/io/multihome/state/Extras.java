package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys of one nmstate object that the model keeps as raw trees instead of typed fields: {@code
 * unsupported} ones (valid nmstate, not applied by multihome yet; validation reports them) and
 * {@code queryOnly} ones (reported by {@code nmstatectl show}, ignored on apply, accepted so that a
 * state copied from a NodeNetworkState validates). Both keep their input order.
 */
public record Extras(Map<String, JsonNode> unsupported, Map<String, JsonNode> queryOnly) {

  public static final Extras NONE = new Extras(Map.of(), Map.of());

  public Extras {
    unsupported = Collections.unmodifiableMap(new LinkedHashMap<>(unsupported));
    queryOnly = Collections.unmodifiableMap(new LinkedHashMap<>(queryOnly));
  }

  public boolean isEmpty() {
    return unsupported.isEmpty() && queryOnly.isEmpty();
  }
}

package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys of one nmstate object that the model keeps as raw trees instead of typed fields: {@code
 * unsupported} ones (valid nmstate, not applied by multihome yet; validation reports them) and
 * {@code queryOnly} ones (reported by {@code nmstatectl show}, ignored on apply, accepted so that a
 * state copied from a NodeNetworkState validates) and {@code kept} ones (valid nmstate the model
 * keeps verbatim: validation accepts them, and whoever applies the state decides — the engine
 * refuses what it does not cover). All keep their input order.
 */
public record Extras(
    Map<String, JsonNode> unsupported,
    Map<String, JsonNode> queryOnly,
    Map<String, JsonNode> kept) {

  public static final Extras NONE = new Extras(Map.of(), Map.of(), Map.of());

  public Extras {
    unsupported = Collections.unmodifiableMap(new LinkedHashMap<>(unsupported));
    queryOnly = Collections.unmodifiableMap(new LinkedHashMap<>(queryOnly));
    kept = Collections.unmodifiableMap(new LinkedHashMap<>(kept));
  }

  public Extras(Map<String, JsonNode> unsupported, Map<String, JsonNode> queryOnly) {
    this(unsupported, queryOnly, Map.of());
  }

  public boolean isEmpty() {
    return unsupported.isEmpty() && queryOnly.isEmpty() && kept.isEmpty();
  }
}

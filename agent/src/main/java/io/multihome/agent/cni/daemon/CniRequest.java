package io.multihome.agent.cni.daemon;

import java.util.Map;

/** A CNI call as the shim forwards it: the CNI_* environment and the config from stdin. */
public record CniRequest(Map<String, String> env, byte[] config) {
  public CniRequest {
    env = Map.copyOf(env);
  }

  public String get(String key) {
    String v = env.get(key);
    return v == null || v.isEmpty() ? null : v;
  }
}

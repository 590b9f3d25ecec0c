package io.multihome.agent.cni.daemon;

import java.util.Map;
import java.util.Optional;

/**
 * The pods of this node. The cluster wiring backs it with a node-filtered informer cache; it may
 * throw {@link io.multihome.agent.cni.nad.NetworkSource.SourceUnavailableException} when the cache
 * cannot answer.
 */
public interface PodSource {

  Optional<Pod> find(String namespace, String name);

  /** What the attachment path needs from a pod. */
  record Pod(String uid, Map<String, String> annotations) {
    public Pod {
      annotations = Map.copyOf(annotations);
    }
  }
}

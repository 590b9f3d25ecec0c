package io.multihome.agent.cni.daemon;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Containers whose DEL (or failed ADD) has completed, so a repeated DEL is a no-op success: the
 * runtime repeats DEL (StopPodSandbox, then RemovePodSandbox, then after each error), and without
 * this each repeat would re-plan from the API and ask every plugin again. Bounded and in memory:
 * after an agent restart a repeated DEL still succeeds, through the no-state path.
 */
final class DeletedContainers {

  private final Map<String, Boolean> ids;

  DeletedContainers(int capacity) {
    this.ids =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized void remember(String containerId) {
    ids.put(containerId, Boolean.TRUE);
  }

  synchronized void forget(String containerId) {
    ids.remove(containerId);
  }

  synchronized boolean contains(String containerId) {
    return ids.containsKey(containerId);
  }
}

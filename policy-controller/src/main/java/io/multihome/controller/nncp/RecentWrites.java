package io.multihome.controller.nncp;

import io.multihome.api.nmstate.NmstateLabels;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Our own NNCE writes that the informer may not have delivered yet. Without it a reconcile that
 * runs right after a grant could read the pre-grant copy from the cache and grant one node too
 * many; with it every read sees at least what this controller last wrote.
 */
final class RecentWrites {
  private static final Duration TTL = Duration.ofMinutes(2);

  private record Entry(NodeNetworkConfigurationEnactment nnce, boolean deleted, Instant at) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  // Names of the entries per policy, so a pass looks at its own policy's writes only.
  private final Map<String, Set<String>> byPolicy = new ConcurrentHashMap<>();
  private final Clock clock;

  RecentWrites(Clock clock) {
    this.clock = clock;
  }

  void written(NodeNetworkConfigurationEnactment nnce) {
    put(nnce, false);
  }

  void deleted(NodeNetworkConfigurationEnactment nnce) {
    put(nnce, true);
  }

  private void put(NodeNetworkConfigurationEnactment nnce, boolean deleted) {
    var name = nnce.getMetadata().getName();
    byPolicy.computeIfAbsent(policyOf(nnce), p -> ConcurrentHashMap.newKeySet()).add(name);
    entries.put(name, new Entry(nnce, deleted, clock.instant()));
  }

  /** The freshest view of {@code name}: the cached copy unless we wrote something newer. */
  NodeNetworkConfigurationEnactment effective(
      String name, NodeNetworkConfigurationEnactment cached) {
    var e = entries.get(name);
    if (e == null) {
      return cached;
    }
    if (clock.instant().isAfter(e.at().plus(TTL))) {
      entries.remove(name, e);
      return cached;
    }
    if (cached == null) {
      // Created by us and not seen yet, or deleted and gone from the cache too.
      if (e.deleted()) {
        entries.remove(name, e);
        return null;
      }
      return e.nnce();
    }
    if (e.deleted()) {
      // Still cached with the deleted version: gone. A strictly newer version: re-created since.
      if (compare(cached, e.nnce()) > 0) {
        entries.remove(name, e);
        return cached;
      }
      return null;
    }
    if (compare(cached, e.nnce()) >= 0) {
      entries.remove(name, e);
      return cached;
    }
    return e.nnce();
  }

  /** Enactments of {@code policy} we wrote (and did not delete) that the cache may not have. */
  List<NodeNetworkConfigurationEnactment> createdFor(String policy) {
    var names = byPolicy.get(policy);
    if (names == null) {
      return List.of();
    }
    var out = new ArrayList<NodeNetworkConfigurationEnactment>();
    for (var it = names.iterator(); it.hasNext(); ) {
      var e = entries.get(it.next());
      if (e == null) {
        it.remove();
      } else if (!e.deleted() && policy.equals(policyOf(e.nnce()))) {
        out.add(e.nnce());
      }
    }
    return out;
  }

  void forgetPolicy(String policy) {
    var names = byPolicy.remove(policy);
    if (names != null) {
      names.forEach(
          n -> entries.computeIfPresent(n, (k, e) -> policy.equals(policyOf(e.nnce())) ? null : e));
    }
  }

  private static String policyOf(NodeNetworkConfigurationEnactment nnce) {
    var labels = nnce.getMetadata().getLabels();
    var policy = labels == null ? null : labels.get(NmstateLabels.POLICY);
    return policy == null ? "" : policy;
  }

  /** Orders two versions of one object by resourceVersion (numeric on every real server). */
  private static int compare(
      NodeNetworkConfigurationEnactment cached, NodeNetworkConfigurationEnactment ours) {
    var a = cached.getMetadata().getResourceVersion();
    var b = ours.getMetadata().getResourceVersion();
    if (a == null || b == null) {
      return 1;
    }
    try {
      return Long.compare(Long.parseLong(a), Long.parseLong(b));
    } catch (NumberFormatException e) {
      // Opaque versions: equal means same object, anything else is taken as cache-is-newer.
      return a.equals(b) ? 0 : 1;
    }
  }
}

package io.multihome.agent.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does what KubeVirt's bridge-marker does, on netlink events instead of a 60 s poll: keeps one
 * extended resource {@code bridge.network.kubevirt.io/<bridge>} in the node's status for every
 * Linux bridge in the node's namespace ({@link BridgeResources}), so pods whose network names such
 * a resource (NAD annotation {@code k8s.v1.cni.cncf.io/resourceName}, injected as a request by the
 * admission webhook) are scheduled only where the bridge is.
 *
 * <p>A sync reads the bridges and a fresh copy of the Node, and sends a JSON patch of the status
 * subresource only when something differs. Syncs run on the marker's own thread: kernel events
 * (debounced), Node changes that contradict the last reading (someone removed our resource), a
 * periodic resync, and retries with backoff after a failed read or write.
 */
final class BridgeMarker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BridgeMarker.class);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final String node;
  private final Supplier<Set<String>> bridges;
  private final BridgeMarkerConfig config;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(r -> HealthServer.daemon(r, "bridge-marker"));
  private final AtomicBoolean pending = new AtomicBoolean();
  private final AtomicBoolean retrying = new AtomicBoolean();
  private final Set<String> warnedNames = new HashSet<>();
  private volatile Set<String> lastBridges;
  private int failures;

  BridgeMarker(
      KubernetesClient client,
      String node,
      Supplier<Set<String>> bridges,
      BridgeMarkerConfig config) {
    this.client = client;
    this.node = node;
    this.bridges = bridges;
    this.config = config;
  }

  void start() {
    executor.execute(this::sync);
    long resync = config.resync().toMillis();
    executor.scheduleWithFixedDelay(this::sync, resync, resync, TimeUnit.MILLISECONDS);
  }

  /** A kernel change: sync once the burst has settled ({@code debounce}). */
  void changed() {
    if (pending.compareAndSet(false, true) && !executor.isShutdown()) {
      executor.schedule(
          () -> {
            pending.set(false);
            sync();
          },
          config.debounce().toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** Node updates: a sync when the node no longer says what the bridges were at the last sync. */
  ResourceEventHandler<Node> nodeHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node n) {
        check(n);
      }

      @Override
      public void onUpdate(Node o, Node n) {
        check(n);
      }

      @Override
      public void onDelete(Node n, boolean unknown) {}
    };
  }

  private void check(Node n) {
    var known = lastBridges;
    if (known == null || !BridgeResources.patch(known, n.getStatus()).isEmpty()) {
      changed();
    }
  }

  /** One reading and, if needed, one patch. Runs on the marker's thread only. */
  void sync() {
    try {
      var current = new TreeSet<>(bridges.get());
      warnUnpublishable(current);
      lastBridges = current;
      var fresh = client.nodes().withName(node).get();
      if (fresh == null) {
        log.debug("node {} does not exist (yet); bridges not published", node);
        return;
      }
      var ops = BridgeResources.patch(current, fresh.getStatus());
      if (!ops.isEmpty()) {
        client
            .nodes()
            .withName(node)
            .subresource("status")
            .patch(PatchContext.of(PatchType.JSON), ops.toString());
        log.info(
            "node {}: bridge resources now {} (was {})",
            node,
            current,
            BridgeResources.advertised(fresh.getStatus()));
      }
      failures = 0;
    } catch (RuntimeException e) {
      // API errors, a vanished namespace, a netlink failure: all transient from here.
      retryLater(e);
    }
  }

  private void retryLater(RuntimeException e) {
    failures++;
    long delay = Math.min(MAX_RETRY.toMillis(), 250L << Math.min(failures, 10));
    log.warn(
        "node {}: bridge resources not synced ({}); retry in {} ms", node, e.toString(), delay);
    // One retry chain at a time, however many syncs failed meanwhile.
    if (retrying.compareAndSet(false, true) && !executor.isShutdown()) {
      executor.schedule(
          () -> {
            retrying.set(false);
            sync();
          },
          delay,
          TimeUnit.MILLISECONDS);
    }
  }

  private void warnUnpublishable(Set<String> current) {
    for (var b : current) {
      if (!BridgeResources.publishable(b) && warnedNames.add(b)) {
        log.warn(
            "node {}: bridge {} is not published: {}{} is not a valid resource name",
            node,
            b,
            BridgeResources.PREFIX,
            b);
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}

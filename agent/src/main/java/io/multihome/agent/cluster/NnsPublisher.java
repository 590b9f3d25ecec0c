package io.multihome.agent.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.cache.Store;
import io.multihome.agent.kube.ReadProblemEvents;
import io.multihome.api.nmstate.NodeNetworkState;
import io.multihome.api.nmstate.NodeNetworkStateStatus;
import io.multihome.api.read.ReadProblem;
import io.multihome.api.read.ReadReport;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the node's NodeNetworkState (named after the node): on start, after kernel change
 * events (debounced, so a burst of changes costs one write), on a periodic resync and when the
 * object was deleted. Written only when the filtered state differs from the stored one.
 */
final class NnsPublisher {
  private static final Logger log = LoggerFactory.getLogger(NnsPublisher.class);
  static final String HANDLER_VERSION = "multihome";

  private final KubernetesClient client;
  private final NodeNetwork network;
  private final AgentConfig config;
  private final AgentMetrics metrics;
  private final ScheduledExecutorService executor;
  private final AtomicBoolean debouncing = new AtomicBoolean();
  private final AtomicBoolean published = new AtomicBoolean();
  private volatile Store<NodeNetworkState> cache;
  private volatile Store<Node> nodes;
  private final ReadProblemEvents events;

  NnsPublisher(
      KubernetesClient client,
      NodeNetwork network,
      AgentConfig config,
      AgentMetrics metrics,
      ScheduledExecutorService executor) {
    this.client = client;
    this.events = new ReadProblemEvents(client, "multihome-agent", config.node());
    this.network = network;
    this.config = config;
    this.metrics = metrics;
    this.executor = executor;
  }

  void useCaches(Store<NodeNetworkState> nns, Store<Node> nodeStore) {
    this.cache = nns;
    this.nodes = nodeStore;
  }

  boolean publishedOnce() {
    return published.get();
  }

  /** Kernel change: publish once the burst has been quiet... at most {@code nnsDebounce} later. */
  void changed() {
    if (debouncing.compareAndSet(false, true) && !executor.isShutdown()) {
      executor.schedule(
          () -> {
            debouncing.set(false);
            publish();
          },
          config.nnsDebounce().toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  void publishSoon() {
    if (!executor.isShutdown()) {
      executor.execute(this::publish);
    }
  }

  /** One publication; errors are logged, the next event or resync tries again. */
  void publish() {
    try {
      var state = VolatileFields.strip(network.currentState());
      metrics.interfacesByType(countByType(state));
      var existing = cached();
      if (existing == null) {
        existing = client.resources(NodeNetworkState.class).withName(config.node()).get();
      }
      // A copy with fields that cannot be read (edited by hand) is rewritten whatever it says.
      var unreadable = existing == null ? List.<ReadProblem>of() : statusProblems(existing);
      if (existing != null
          && existing.getStatus() != null
          && unreadable.isEmpty()
          && state.equals(existing.getStatus().getCurrentState())) {
        published.set(true);
        return;
      }
      if (existing == null) {
        existing = client.resource(fresh()).create();
      } else {
        // Never mutate the informer's copy: a failed write would leave the cache claiming it.
        existing = client.getKubernetesSerialization().clone(existing);
      }
      var status = new NodeNetworkStateStatus();
      status.setCurrentState(state);
      status.setHandlerNmstateVersion(HANDLER_VERSION);
      status.setLastSuccessfulUpdateTime(
          DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
      existing.setStatus(status);
      client.resource(existing).updateStatus();
      events.report(existing, unreadable, "the agent rewrote its status");
      published.set(true);
      log.debug("published NodeNetworkState {}", config.node());
    } catch (KubernetesClientException e) {
      // 409: our cached copy was stale; the informer catches up and the next trigger retries.
      log.warn("NodeNetworkState {} not published: {}", config.node(), e.getMessage());
      if (e.getCode() == 409) {
        changed();
      }
    } catch (RuntimeException e) {
      log.warn("reading the node's network state failed: {}", e.toString());
    }
  }

  private static List<ReadProblem> statusProblems(NodeNetworkState nns) {
    return ReadReport.of(nns).problemsUnder("status");
  }

  private NodeNetworkState cached() {
    var c = cache;
    return c == null ? null : c.getByKey(config.node());
  }

  private NodeNetworkState fresh() {
    var nns = new NodeNetworkState();
    nns.getMetadata().setName(config.node());
    var s = nodes;
    var node = s == null ? null : s.getByKey(config.node());
    if (node != null) {
      // Owned by the node, as upstream: deleting the node garbage-collects its state.
      nns.getMetadata()
          .setOwnerReferences(
              java.util.List.of(
                  new OwnerReferenceBuilder()
                      .withApiVersion("v1")
                      .withKind("Node")
                      .withName(node.getMetadata().getName())
                      .withUid(node.getMetadata().getUid())
                      .build()));
    }
    return nns;
  }

  static Map<String, Long> countByType(ObjectNode state) {
    var out = new TreeMap<String, Long>();
    var ifaces = state.path("interfaces");
    for (var i : ifaces) {
      out.merge(i.path("type").asText("unknown"), 1L, Long::sum);
    }
    return out;
  }
}

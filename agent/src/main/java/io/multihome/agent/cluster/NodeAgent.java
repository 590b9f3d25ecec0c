package io.multihome.agent.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.multihome.agent.kube.ReadProblemEvents;
import io.multihome.agent.kube.TransformingItemStore;
import io.multihome.api.nmstate.NmstateLabels;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkState;
import io.multihome.api.read.LenientClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: one per node (state-directory lock). Start order matters: lock, roll back a
 * leftover checkpoint, then the informers (only this node's NNCEs, Node and NNS, filtered by the
 * API server), the lease, the NodeNetworkState publisher, the bridge marker and the enactor. NNCEs
 * left Progressing by a dead predecessor are simply granted and unfinished, so the first pass
 * re-enacts them.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

  private final AgentConfig config;
  private final StateDirLock lock;
  private final NodeNetwork network;
  private final Optional<String> recovered;
  private final ScheduledExecutorService background =
      Executors.newScheduledThreadPool(1, r -> HealthServer.daemon(r, "agent-background"));
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(r -> HealthServer.daemon(r, "agent-enactor"));
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final LeaseKeeper lease;
  private final NnsPublisher publisher;
  private final HealthServer http;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private LenientClient lenient;

  private NodeAgent(Builder b) {
    this.config = b.config;
    this.network = b.network;
    this.lock = StateDirLock.acquire(config.stateDir());
    try {
      this.recovered = network.recoverLeftoverCheckpoint();
      recovered.ifPresent(r -> log.warn("leftover checkpoint: {}", r));
      var metrics = new AgentMetrics(b.registry);
      this.lease = new LeaseKeeper(b.client, config);
      this.publisher = new NnsPublisher(b.client, network, config, metrics, background);

      // No edit of its Node may stop the node informer or the bridge marker.
      this.lenient = LenientClient.of(b.client);
      var nodeInformer =
          inform(lenient.client().nodes().withName(config.node()).runnableInformer(0), () -> {});
      var nnsInformer =
          inform(
              b.client
                  .resources(NodeNetworkState.class)
                  .withName(config.node())
                  .runnableInformer(0),
              null);
      nnsInformer.addEventHandler(
          new ResourceEventHandler<NodeNetworkState>() {
            @Override
            public void onAdd(NodeNetworkState obj) {}

            @Override
            public void onUpdate(NodeNetworkState o, NodeNetworkState n) {}

            @Override
            public void onDelete(NodeNetworkState obj, boolean unknown) {
              log.info("NodeNetworkState {} was deleted; recreating it", config.node());
              publisher.publishSoon();
            }
          });
      var nnceInformer =
          b.client
              .resources(NodeNetworkConfigurationEnactment.class)
              .withLabel(NmstateLabels.NODE, config.node())
              .runnableInformer(0);
      var enactor =
          new Enactor(
              nnceInformer.getStore(),
              network,
              new StatusWriter(b.client, b.freshClients, config.statusWriteDeadline()),
              b.probes == null ? defaultProbes(b.client) : b.probes,
              config.backoff(),
              metrics,
              worker,
              new ReadProblemEvents(b.client, "multihome-agent", config.node()));
      inform(nnceInformer, enactor::trigger);
      publisher.useCaches(nnsInformer.getStore(), nodeInformer.getStore());
      if (b.bridgeMarker.enabled()) {
        var marker =
            new BridgeMarker(
                lenient.client(), config.node(), network::linuxBridges, b.bridgeMarker);
        closeables.add(marker);
        nodeInformer.addEventHandler(marker.nodeHandler());
        closeables.add(network.onChange(marker::changed));
        marker.start();
      }

      for (var i : informers) {
        i.start().toCompletableFuture().join();
      }
      publisher.publishSoon();
      closeables.add(network.onChange(publisher::changed));
      background.scheduleWithFixedDelay(
          publisher::publish,
          config.nnsResync().toMillis(),
          config.nnsResync().toMillis(),
          TimeUnit.MILLISECONDS);
      background.scheduleWithFixedDelay(
          lease::renew, 0, config.leaseRenew().toMillis(), TimeUnit.MILLISECONDS);
      enactor.trigger();
      this.http =
          config.metricsPort() < 0 || !(b.registry instanceof PrometheusMeterRegistry prom)
              ? null
              : new HealthServer(config.metricsPort(), this::live, this::ready, prom);
      log.info("agent for node {} started", config.node());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private <T extends io.fabric8.kubernetes.api.model.HasMetadata> SharedIndexInformer<T> inform(
      SharedIndexInformer<T> informer, Runnable onChange) {
    informer.itemStore(TransformingItemStore.withoutManagedFields());
    if (onChange != null) {
      informer.addEventHandler(
          new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
              onChange.run();
            }

            @Override
            public void onUpdate(T o, T n) {
              onChange.run();
            }

            @Override
            public void onDelete(T obj, boolean unknown) {
              onChange.run();
            }
          });
    }
    informers.add(informer);
    return informer;
  }

  private Supplier<List<NodeProbe>> defaultProbes(KubernetesClient client) {
    if (!config.probesEnabled()) {
      return List::of;
    }
    var url = client.getConfiguration().getMasterUrl();
    return () -> Probes.defaults(network, url, config.dnsProbeName(), config.probeTimeout());
  }

  public static Builder builder(KubernetesClient client, NodeNetwork network, AgentConfig config) {
    return new Builder(client, network, config);
  }

  /** What the previous process left behind and start-up rolled back, if anything. */
  public Optional<String> recovered() {
    return recovered;
  }

  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  boolean live() {
    return !worker.isShutdown() && !background.isShutdown();
  }

  /** Ready once the informers synced, the lease is held and the NNS was published. */
  public boolean ready() {
    return live()
        && informers.stream().allMatch(SharedIndexInformer::hasSynced)
        && lease.healthy()
        && publisher.publishedOnce();
  }

  /**
   * Stops everything without touching the node: an apply in progress is abandoned, its checkpoint
   * stays on disk for the next start (as after a crash).
   */
  @Override
  public void close() {
    worker.shutdownNow();
    background.shutdownNow();
    informers.forEach(SharedIndexInformer::close);
    for (var c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        log.debug("closing {}: {}", c, e.toString());
      }
    }
    if (http != null) {
      http.close();
    }
    if (lenient != null) {
      lenient.close();
    }
    lock.close();
  }

  /** Optional parts of the agent; tests replace probes, registries and the fresh-client source. */
  public static final class Builder {
    private final KubernetesClient client;
    private final NodeNetwork network;
    private final AgentConfig config;
    private Supplier<KubernetesClient> freshClients;
    private Supplier<List<NodeProbe>> probes;
    private MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private BridgeMarkerConfig bridgeMarker = BridgeMarkerConfig.defaults();

    private Builder(KubernetesClient client, NodeNetwork network, AgentConfig config) {
      this.client = client;
      this.network = network;
      this.config = config;
      var cfg = client.getConfiguration();
      this.freshClients = () -> LenientClient.builder().withConfig(cfg).build();
    }

    public Builder freshClients(Supplier<KubernetesClient> s) {
      this.freshClients = s;
      return this;
    }

    /** Probe candidates, computed before each attempt (default: gateway, DNS, API server). */
    public Builder probes(Supplier<List<NodeProbe>> p) {
      this.probes = p;
      return this;
    }

    public Builder registry(MeterRegistry r) {
      this.registry = r;
      return this;
    }

    /** The bridge marker's settings (default: on, {@link BridgeMarkerConfig#defaults()}). */
    public Builder bridgeMarker(BridgeMarkerConfig c) {
      this.bridgeMarker = c;
      return this;
    }

    public NodeAgent start() {
      return new NodeAgent(this);
    }
  }
}

package io.multihome.controller.nncp;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.EnactmentConditions;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fake node agents for the mock API server. One informer over all NNCEs stands in for the per-node
 * agents (1000 watches would measure the mock server, not the controller); per node it behaves like
 * the real agent contract: act only when the grant annotation equals {@code
 * status.policyGeneration}, write Progressing, then Available / Retrying / Failed, and renew the
 * node's lease.
 */
final class SimulatedAgents implements AutoCloseable {
  enum Behavior {
    SUCCEED,
    FAIL,
    RETRY_THEN_SUCCEED,
    /** Stays Progressing until {@link #release(String)}. */
    HOLD
  }

  private final KubernetesClient client;
  private final String namespace;
  private final Duration applyTime;
  private final int leaseSeconds;
  private final ScheduledExecutorService executor;
  private final Map<String, Behavior> behavior = new ConcurrentHashMap<>();
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> finishedAt = new ConcurrentHashMap<>();
  private final Map<String, Runnable> held = new ConcurrentHashMap<>();
  private final Set<String> leased = ConcurrentHashMap.newKeySet();
  private SharedIndexInformer<NodeNetworkConfigurationEnactment> informer;

  SimulatedAgents(KubernetesClient client, String namespace, Duration applyTime, int leaseSeconds) {
    this(client, namespace, applyTime, leaseSeconds, 4);
  }

  /**
   * @param threads how many simulated agents work at the same time (real nodes all do; the
   *     benchmark raises this so the agents' side is not a 4-lane bottleneck the real system does
   *     not have)
   */
  SimulatedAgents(
      KubernetesClient client,
      String namespace,
      Duration applyTime,
      int leaseSeconds,
      int threads) {
    this.executor = Executors.newScheduledThreadPool(threads);
    this.client = client;
    this.namespace = namespace;
    this.applyTime = applyTime;
    this.leaseSeconds = leaseSeconds;
  }

  SimulatedAgents start() {
    informer =
        client
            .resources(NodeNetworkConfigurationEnactment.class)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(NodeNetworkConfigurationEnactment n) {
                    consider(n);
                  }

                  @Override
                  public void onUpdate(
                      NodeNetworkConfigurationEnactment o, NodeNetworkConfigurationEnactment n) {
                    consider(n);
                  }

                  @Override
                  public void onDelete(NodeNetworkConfigurationEnactment n, boolean unknown) {}
                });
    // Renew well inside the lease duration, as the real agent does every 10 s.
    long every = Math.max(1, leaseSeconds / 3);
    executor.scheduleAtFixedRate(this::renewAll, every, every, TimeUnit.SECONDS);
    return this;
  }

  /** Creates a node (Ready or not) with the given labels and, if {@code agent}, its lease. */
  Node addNode(String name, Map<String, String> labels, boolean ready, boolean agent) {
    var node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .withNewStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .endCondition()
            .endStatus()
            .build();
    var created = client.nodes().resource(node).create();
    if (agent) {
      startAgent(name);
    }
    return created;
  }

  void startAgent(String node) {
    leased.add(node);
    client.resource(lease(node)).createOr(r -> r.update());
  }

  void stopAgent(String node) {
    leased.remove(node);
    client
        .resources(Lease.class)
        .inNamespace(namespace)
        .withName(AgentLeases.leaseName(node))
        .delete();
  }

  void behave(String node, Behavior b) {
    behavior.put(node, b);
  }

  void release(String node) {
    var r = held.remove(node);
    if (r != null) {
      executor.execute(r);
    }
  }

  void releaseAll() {
    List.copyOf(held.keySet()).forEach(this::release);
  }

  private Lease lease(String node) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(AgentLeases.leaseName(node))
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(node)
        .withLeaseDurationSeconds(leaseSeconds)
        .withRenewTime(ZonedDateTime.now())
        .endSpec()
        .build();
  }

  private void renewAll() {
    for (var node : leased) {
      try {
        client.resource(lease(node)).createOr(r -> r.update());
      } catch (KubernetesClientException e) {
        // next round
      }
    }
  }

  private void consider(NodeNetworkConfigurationEnactment n) {
    var status = n.getStatus();
    if (status == null || status.getPolicyGeneration() == null) {
      return;
    }
    long gen = status.getPolicyGeneration();
    if (!EnactmentPhase.isGranted(n, gen) || EnactmentPhase.of(n, gen) != EnactmentPhase.GRANTED) {
      return;
    }
    // As the real agent: keyed by UID, so a re-created enactment of the same name is new work;
    // and a status rewritten after our final write (the controller reset it) is new work too.
    var key = n.getMetadata().getUid() + "@" + gen;
    var finished = finishedAt.get(key);
    if (finished != null && Long.parseLong(n.getMetadata().getResourceVersion()) > finished) {
      finishedAt.remove(key);
      started.remove(key);
    }
    if (!started.add(key)) {
      return;
    }
    var node = n.getMetadata().getLabels().get("nmstate.io/node");
    var name = n.getMetadata().getName();
    executor.execute(() -> apply(node, name, gen));
  }

  private void apply(String node, String name, long gen) {
    if (write(name, gen, EnactmentConditions.progressing(), null) == null) {
      return;
    }
    var b = behavior.getOrDefault(node, Behavior.SUCCEED);
    Runnable finish =
        switch (b) {
          case SUCCEED, HOLD -> () -> finish(name, gen, EnactmentConditions.success(), null);
          case FAIL ->
              () ->
                  finish(
                      name,
                      gen,
                      EnactmentConditions.failed("error reconciling on node " + node),
                      Map.of(Long.toString(gen), 5));
          case RETRY_THEN_SUCCEED ->
              () -> {
                write(name, gen, EnactmentConditions.retrying("retrying 1/5"), null);
                executor.schedule(
                    () -> finish(name, gen, EnactmentConditions.success(), null),
                    applyTime.toMillis(),
                    TimeUnit.MILLISECONDS);
              };
        };
    if (b == Behavior.HOLD) {
      held.put(node, finish);
    } else {
      executor.schedule(finish, applyTime.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void finish(
      String name, long gen, List<Condition> conditions, Map<String, Integer> retries) {
    var written = write(name, gen, conditions, retries);
    if (written != null) {
      finishedAt.put(
          written.getMetadata().getUid() + "@" + gen,
          Long.parseLong(written.getMetadata().getResourceVersion()));
    }
  }

  /** Writes conditions for generation {@code gen}; gives up (null) when the generation moved on. */
  private NodeNetworkConfigurationEnactment write(
      String name, long gen, List<Condition> conditions, Map<String, Integer> retries) {
    for (int attempt = 0; attempt < 50; attempt++) {
      var current = client.resources(NodeNetworkConfigurationEnactment.class).withName(name).get();
      if (current == null
          || current.getStatus() == null
          || current.getStatus().getPolicyGeneration() == null
          || current.getStatus().getPolicyGeneration() != gen
          || !EnactmentPhase.isGranted(current, gen)) {
        return null;
      }
      current
          .getStatus()
          .setConditions(
              Conditions.merge(
                  current.getStatus().getConditions(), conditions, java.time.Instant.now()));
      if (retries != null) {
        current.getStatus().setRetryCount(retries);
      }
      try {
        return client.resource(current).updateStatus();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
    return null;
  }

  /** How many NNCEs the agents' informer currently sees Available (no request to the server). */
  long availableCount() {
    return informer.getStore().list().stream()
        .filter(n -> "Available".equals(ControllerFixture.status(n)))
        .count();
  }

  @Override
  public void close() {
    executor.shutdownNow();
    if (informer != null) {
      informer.close();
    }
  }
}

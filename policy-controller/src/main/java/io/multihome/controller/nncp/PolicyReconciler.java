package io.multihome.controller.nncp;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.EnactmentConditions;
import io.multihome.api.nmstate.NmstateLabels;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicyStatus;
import io.multihome.controller.nncp.PolicyStatusAggregator.PolicyState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reconciler of the policy controller: for a policy, observe nodes, agent leases and
 * enactments; make the enactment set match the matching nodes; hand out rollout grants; record the
 * aggregated status. Everything is recomputed from the API objects on every pass.
 */
public final class PolicyReconciler
    implements Reconciler<NodeNetworkConfigurationPolicy>, Cleaner<NodeNetworkConfigurationPolicy> {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyReconciler.class);
  private static final String BY_POLICY = "by-policy";

  /** Upper bound between passes: picks up lease expiries and anything an event missed. */
  static final Duration RESYNC = Duration.ofSeconds(60);

  private final String leaseNamespace;
  private final Clock clock;
  private final PolicyRenderer renderer;
  private final PolicyEvents events;
  private final PolicyMetrics metrics;
  private final RecentWrites recent;
  private EnactmentWriter writer;
  private EnactmentStatuses statuses;

  private InformerEventSource<NodeNetworkConfigurationEnactment, NodeNetworkConfigurationPolicy>
      enactments;
  private InformerEventSource<Node, NodeNetworkConfigurationPolicy> nodes;
  private InformerEventSource<Lease, NodeNetworkConfigurationPolicy> leases;

  public PolicyReconciler(
      String leaseNamespace,
      Clock clock,
      PolicyRenderer renderer,
      PolicyEvents events,
      PolicyMetrics metrics) {
    this.leaseNamespace = leaseNamespace;
    this.clock = clock;
    this.renderer = renderer;
    this.events = events;
    this.metrics = metrics;
    this.recent = new RecentWrites(Clock.systemUTC());
  }

  @Override
  public List<EventSource<?, NodeNetworkConfigurationPolicy>> prepareEventSources(
      EventSourceContext<NodeNetworkConfigurationPolicy> context) {
    var client = context.getClient();
    writer = new EnactmentWriter(client, recent);
    statuses = new EnactmentStatuses(client, renderer, clock);
    var all = allPolicies(context);

    enactments =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(
                    NodeNetworkConfigurationEnactment.class, NodeNetworkConfigurationPolicy.class)
                .withName("enactments")
                .withSecondaryToPrimaryMapper(
                    nnce -> {
                      var policy = label(nnce, NmstateLabels.POLICY);
                      return policy == null ? Set.of() : Set.of(new ResourceID(policy));
                    })
                .build(),
            context);
    enactments.addIndexers(
        Map.of(
            BY_POLICY,
            nnce -> {
              var policy = label(nnce, NmstateLabels.POLICY);
              return policy == null ? List.of() : List.of(policy);
            }));

    nodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, NodeNetworkConfigurationPolicy.class)
                .withName("nodes")
                .withSecondaryToPrimaryMapper(n -> all.get())
                // Real nodes update their status every few seconds; only labels and readiness
                // change a rollout.
                .withOnUpdateFilter(
                    (now, before) ->
                        !Objects.equals(
                                now.getMetadata().getLabels(), before.getMetadata().getLabels())
                            || NodeFacts.isReady(now) != NodeFacts.isReady(before))
                .build(),
            context);

    leases =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Lease.class, NodeNetworkConfigurationPolicy.class)
                .withName("agent-leases")
                .withNamespaces(Set.of(leaseNamespace))
                .withSecondaryToPrimaryMapper(l -> all.get())
                .withGenericFilter(AgentLeases::isAgentLease)
                // A renewal of a live lease changes nothing; a lease coming back to life does.
                .withOnUpdateFilter(
                    (now, before) ->
                        !AgentLeases.isAlive(before, clock.instant())
                            || AgentLeases.isAlive(now, clock.instant())
                                != AgentLeases.isAlive(before, clock.instant()))
                .build(),
            context);
    return List.of(enactments, nodes, leases);
  }

  @Override
  public UpdateControl<NodeNetworkConfigurationPolicy> reconcile(
      NodeNetworkConfigurationPolicy policy, Context<NodeNetworkConfigurationPolicy> context) {
    var now = clock.instant();
    var name = policy.getMetadata().getName();
    long generation = policy.getMetadata().getGeneration();

    // Observe.
    var selector = policy.getSpec() == null ? null : policy.getSpec().getNodeSelector();
    var matching =
        nodes
            .list(n -> NodeFacts.matches(selector, n))
            .map(n -> facts(n, now))
            .filter(NodeFacts::hasAgent)
            .collect(Collectors.toMap(NodeFacts::name, f -> f, (a, b) -> a, HashMap::new));
    var current = currentEnactments(name);

    // Reconcile the set: one enactment per matching node with an agent, none elsewhere.
    var byNode = new HashMap<String, NodeNetworkConfigurationEnactment>();
    for (var nnce : current) {
      var node = label(nnce, NmstateLabels.NODE);
      var stillMatching =
          node != null
              && nodes
                  .get(new ResourceID(node))
                  .map(n -> NodeFacts.matches(selector, n))
                  .orElse(false);
      if (!stillMatching) {
        LOG.info("policy {}: deleting enactment {}", name, nnce.getMetadata().getName());
        writer.delete(nnce);
      } else {
        byNode.put(node, nnce);
      }
    }
    for (var node : matching.values()) {
      var nnce = byNode.get(node.name());
      if (nnce == null) {
        statuses
            .fresh(policy, node.node(), null)
            .flatMap(s -> writer.create(name, node.node(), s))
            .ifPresent(created -> byNode.put(node.name(), created));
      } else if (EnactmentPhase.of(nnce, generation) == EnactmentPhase.STALE) {
        // New generation: conditions reset, the old grant no longer applies.
        statuses
            .fresh(policy, node.node(), nnce)
            .flatMap(s -> writer.updateStatus(nnce, s))
            .ifPresent(updated -> byNode.put(node.name(), updated));
      }
    }

    // Decide and act on the rollout.
    var candidates = new ArrayList<RolloutPlanner.Candidate>();
    byNode.forEach(
        (node, nnce) -> {
          var f = matching.get(node);
          candidates.add(
              new RolloutPlanner.Candidate(
                  node, EnactmentPhase.of(nnce, generation), f != null && f.eligible()));
        });
    var plan =
        RolloutPlanner.plan(
            candidates, policy.getSpec() == null ? null : policy.getSpec().getMaxUnavailable());
    for (var node : plan.grant()) {
      writer.grant(byNode.get(node), generation).ifPresent(n -> byNode.put(node, n));
    }
    for (var node : plan.pend()) {
      var nnce = byNode.get(node);
      writer
          .updateStatus(nnce, statuses.withConditions(nnce, EnactmentConditions.pending(), now))
          .ifPresent(n -> byNode.put(node, n));
    }
    for (var node : plan.abort()) {
      var nnce = byNode.get(node);
      var aborted = EnactmentConditions.aborted(nnce.getMetadata().getName());
      writer
          .updateStatus(nnce, statuses.withConditions(nnce, aborted, now))
          .ifPresent(
              n -> {
                byNode.put(node, n);
                events.aborted(policy, n.getMetadata().getName());
              });
    }

    // Record.
    var phases = PolicyMetrics.emptyPhases();
    int notReady = 0;
    int available = 0;
    int failed = 0;
    int aborted = 0;
    int pending = 0;
    for (var node : matching.values()) {
      var nnce = byNode.get(node.name());
      var phase = nnce == null ? EnactmentPhase.STALE : EnactmentPhase.of(nnce, generation);
      phases.merge(phase, 1, Integer::sum);
      if (phase == EnactmentPhase.FAILED) {
        events.failed(policy, nnce.getMetadata().getName(), retries(nnce, generation));
      }
      if (!node.ready()) {
        notReady++;
        continue;
      }
      switch (phase) {
        case AVAILABLE -> available++;
        case FAILED -> failed++;
        case ABORTED -> aborted++;
        case PENDING -> pending++;
        default -> {}
      }
    }
    var counts = new PolicyCounts(matching.size(), notReady, available, failed, aborted, pending);
    var state = PolicyStatusAggregator.state(counts);
    metrics.observe(name, state, phases);
    LOG.debug("policy {} gen {}: {} plan {}", name, generation, counts, plan);

    var control = statusUpdate(policy, counts, state, now);
    return control.rescheduleAfter(nextPass(matching.values(), now));
  }

  @Override
  public DeleteControl cleanup(
      NodeNetworkConfigurationPolicy policy, Context<NodeNetworkConfigurationPolicy> context) {
    var name = policy.getMetadata().getName();
    // Deleting a policy never touches the hosts (as upstream); only its enactments go.
    writer.deleteAllOf(name);
    metrics.forget(name);
    events.forget(name);
    return DeleteControl.defaultDelete();
  }

  private UpdateControl<NodeNetworkConfigurationPolicy> statusUpdate(
      NodeNetworkConfigurationPolicy policy, PolicyCounts counts, PolicyState state, Instant now) {
    var previous = policy.getStatus() == null ? null : policy.getStatus().getConditions();
    var conditions = PolicyStatusAggregator.conditions(counts, previous, now);
    if (Objects.equals(previous, conditions)) {
      return UpdateControl.noUpdate();
    }
    var wasProgressing = Conditions.isTrue(previous, ConditionTypes.PROGRESSING);
    if (wasProgressing && (state == PolicyState.AVAILABLE || state == PolicyState.DEGRADED)) {
      Conditions.find(previous, ConditionTypes.PROGRESSING)
          .map(c -> Instant.parse(c.getLastTransitionTime()))
          .ifPresent(since -> metrics.rolloutFinished(state, Duration.between(since, now)));
    }
    var status =
        policy.getStatus() == null
            ? new NodeNetworkConfigurationPolicyStatus()
            : policy.getStatus();
    status.setConditions(conditions);
    policy.setStatus(status);
    return UpdateControl.patchStatus(policy);
  }

  /** Our cached enactments of {@code policy}, overlaid with writes the cache has not seen. */
  private List<NodeNetworkConfigurationEnactment> currentEnactments(String policy) {
    var out = new HashMap<String, NodeNetworkConfigurationEnactment>();
    for (var cached : enactments.byIndex(BY_POLICY, policy)) {
      var n = cached.getMetadata().getName();
      var effective = recent.effective(n, cached);
      if (effective != null) {
        out.put(n, effective);
      }
    }
    for (var created : recent.createdFor(policy)) {
      var n = created.getMetadata().getName();
      if (!out.containsKey(n)) {
        var effective = recent.effective(n, enactments.get(new ResourceID(n)).orElse(null));
        if (effective != null) {
          out.put(n, effective);
        }
      }
    }
    return List.copyOf(out.values());
  }

  private NodeFacts facts(Node node, Instant now) {
    var lease =
        leases.get(
            new ResourceID(AgentLeases.leaseName(node.getMetadata().getName()), leaseNamespace));
    var expiry = lease.flatMap(AgentLeases::expiry).filter(now::isBefore);
    return new NodeFacts(node, NodeFacts.isReady(node), expiry);
  }

  /** Soonest lease expiry among the policy's nodes (so the pass that drops it is on time). */
  private static Duration nextPass(Iterable<NodeFacts> nodes, Instant now) {
    var next = RESYNC;
    for (var node : nodes) {
      if (node.agentExpiry().isPresent()) {
        var until = Duration.between(now, node.agentExpiry().get()).plusSeconds(1);
        if (until.compareTo(next) < 0) {
          next = until;
        }
      }
    }
    return next.isNegative() || next.isZero() ? Duration.ofSeconds(1) : next;
  }

  private static Integer retries(NodeNetworkConfigurationEnactment nnce, long generation) {
    var counts = nnce.getStatus() == null ? null : nnce.getStatus().getRetryCount();
    return counts == null ? null : counts.get(Long.toString(generation));
  }

  private static String label(io.fabric8.kubernetes.api.model.HasMetadata o, String key) {
    var labels = o.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }

  private static java.util.function.Supplier<Set<ResourceID>> allPolicies(
      EventSourceContext<NodeNetworkConfigurationPolicy> context) {
    return () ->
        context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet());
  }
}

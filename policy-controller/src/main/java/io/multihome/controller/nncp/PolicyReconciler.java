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
import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.EnactmentConditions;
import io.multihome.api.nmstate.NmstateLabels;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactmentStatus;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicyStatus;
import io.multihome.api.read.MetaMaps;
import io.multihome.api.read.ReadProblem;
import io.multihome.api.read.ReadReport;
import io.multihome.controller.InvalidObjectEvents;
import io.multihome.controller.nncp.PolicyStatusAggregator.PolicyState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
  private final ParallelWrites writes;
  private final InvalidObjectEvents invalidObjects;
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
      PolicyMetrics metrics,
      int writeThreads) {
    this.leaseNamespace = leaseNamespace;
    this.clock = clock;
    this.renderer = renderer;
    this.events = events;
    this.metrics = metrics;
    this.recent = new RecentWrites(Clock.systemUTC());
    this.writes = new ParallelWrites(writeThreads);
    this.invalidObjects = new InvalidObjectEvents(clock);
  }

  /** Stops the write pool; call after the operator has stopped. */
  public void close() {
    writes.close();
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
                        !MetaMaps.labels(now).equals(MetaMaps.labels(before))
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
    // What the user wrote; a status that cannot be read is ours and simply rewritten.
    var problems = ReadReport.of(policy).problemsOutside("status");
    if (!problems.isEmpty()) {
      // Not rolled out, nothing deleted: what the user meant is not known until it is fixed.
      return invalid(policy, problems, now);
    }

    // Observe.
    var selector = policy.getSpec() == null ? null : policy.getSpec().getNodeSelector();
    var matching =
        nodes
            .list(n -> NodeFacts.matches(selector, n))
            .map(n -> facts(n, now))
            .filter(NodeFacts::hasAgent)
            .collect(Collectors.toMap(NodeFacts::name, f -> f, (a, b) -> a, HashMap::new));
    var current = currentEnactments(name);
    for (var nnce : current) {
      invalidObjects.report(
          context.getClient(),
          nnce,
          ReadReport.of(nnce).problemsUnder("status"),
          "the policy controller writes its status afresh");
    }

    // Reconcile the set: one enactment per matching node with an agent, none elsewhere.
    var byNode = new HashMap<String, NodeNetworkConfigurationEnactment>();
    var gone = new ArrayList<NodeNetworkConfigurationEnactment>();
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
        gone.add(nnce);
      } else {
        byNode.put(node, nnce);
      }
    }
    // Nodes without an enactment, or with one for an older generation: (re)rendered this pass.
    var starting = new ArrayList<NodeFacts>();
    for (var node : matching.values()) {
      var nnce = byNode.get(node.name());
      if (nnce == null || EnactmentPhase.of(nnce, generation) == EnactmentPhase.STALE) {
        starting.add(node);
      }
    }
    var fresh = new HashMap<String, NodeNetworkConfigurationEnactmentStatus>();
    writes.runAll(
        gone,
        nnce -> {
          writer.delete(nnce);
          return null;
        });
    writes
        .runAll(
            starting,
            node ->
                Map.entry(
                    node.name(), statuses.fresh(policy, node.node(), byNode.get(node.name()))))
        .forEach(e -> fresh.put(e.getKey(), e.getValue()));

    // Decide: the planner sees every enactment as it will be once written — a fresh or reset one
    // is waiting (or failed, when rendering failed), unless it already carries this generation's
    // grant from an earlier pass whose status write did not go through.
    var phases = new HashMap<String, EnactmentPhase>();
    var candidates = new ArrayList<RolloutPlanner.Candidate>();
    for (var node : matching.values()) {
      var nnce = byNode.get(node.name());
      var status = fresh.get(node.name());
      var phase =
          status == null
              ? EnactmentPhase.of(nnce, generation)
              : EnactmentPhase.of(planned(nnce, status), generation);
      phases.put(node.name(), phase);
      candidates.add(new RolloutPlanner.Candidate(node.name(), phase, node.eligible()));
    }
    byNode.forEach(
        (node, nnce) -> {
          if (!matching.containsKey(node)) {
            // Matching, but its agent is gone: kept as it is, never granted.
            var phase = EnactmentPhase.of(nnce, generation);
            phases.put(node, phase);
            candidates.add(new RolloutPlanner.Candidate(node, phase, false));
          }
        });
    var plan =
        RolloutPlanner.plan(
            candidates, policy.getSpec() == null ? null : policy.getSpec().getMaxUnavailable());

    // Act: one task per node that needs writes, run in parallel (bounded); a task's writes are in
    // order and each carries the resourceVersion of the previous one (optimistic locking).
    var granted = Set.copyOf(plan.grant());
    var pended = Set.copyOf(plan.pend());
    var abortedNodes = Set.copyOf(plan.abort());
    var touched = new HashSet<String>();
    for (var node : phases.keySet()) {
      if (fresh.containsKey(node)
          || granted.contains(node)
          || pended.contains(node)
          || abortedNodes.contains(node)) {
        touched.add(node);
      }
    }
    writes
        .runAll(
            touched,
            node -> {
              var nnce = byNode.get(node);
              var status = fresh.get(node);
              List<Condition> rows =
                  pended.contains(node)
                      ? EnactmentConditions.pending()
                      : abortedNodes.contains(node)
                          ? EnactmentConditions.aborted(
                              NodeNetworkConfigurationEnactment.nameFor(node, name))
                          : null;
              Optional<NodeNetworkConfigurationEnactment> out;
              if (status != null) {
                if (rows != null) {
                  status.setConditions(Conditions.merge(status.getConditions(), rows, now));
                }
                boolean grant = granted.contains(node);
                if (nnce == null) {
                  out = writer.create(name, matching.get(node).node(), status, grant);
                } else {
                  out = writer.updateStatus(nnce, status);
                  if (grant && !EnactmentPhase.isGranted(nnce, generation)) {
                    out = out.flatMap(n -> writer.grant(n, generation));
                  }
                }
              } else if (granted.contains(node)) {
                out = Optional.of(nnce);
                if (phases.get(node) == EnactmentPhase.ABORTED) {
                  // Taken again: the agent must not read the old Aborted row as "finished".
                  out =
                      writer.updateStatus(
                          nnce, statuses.withConditions(nnce, EnactmentConditions.unknown(), now));
                }
                out = out.flatMap(n -> writer.grant(n, generation));
              } else {
                out = writer.updateStatus(nnce, statuses.withConditions(nnce, rows, now));
              }
              if (out.isPresent() && abortedNodes.contains(node)) {
                events.aborted(policy, out.get().getMetadata().getName());
              }
              return Map.entry(node, out);
            })
        .forEach(
            e ->
                e.getValue()
                    .ifPresent(
                        n -> {
                          byNode.put(e.getKey(), n);
                          phases.put(e.getKey(), EnactmentPhase.of(n, generation));
                        }));

    // Record.
    var byPhase = PolicyMetrics.emptyPhases();
    var nodePhases = new ArrayList<PolicyCounts.NodePhase>(matching.size());
    for (var node : matching.values()) {
      var nnce = byNode.get(node.name());
      // What was written this pass was reclassified above; a write that did not go through
      // leaves the enactment as it was read.
      var phase =
          nnce == null
              ? EnactmentPhase.STALE
              : touched.contains(node.name())
                  ? EnactmentPhase.of(nnce, generation)
                  : phases.get(node.name());
      byPhase.merge(phase, 1, Integer::sum);
      if (phase == EnactmentPhase.FAILED) {
        events.failed(policy, nnce.getMetadata().getName(), retries(nnce, generation));
      }
      nodePhases.add(new PolicyCounts.NodePhase(phase, node.ready()));
    }
    var counts = PolicyCounts.of(nodePhases);
    var state = PolicyStatusAggregator.state(counts);
    metrics.observe(name, state, byPhase);
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

  private UpdateControl<NodeNetworkConfigurationPolicy> invalid(
      NodeNetworkConfigurationPolicy policy, List<ReadProblem> problems, Instant now) {
    var message =
        ReadReport.describe(problems) + "; the policy is not rolled out until this is fixed";
    events.invalid(policy, message);
    metrics.observe(
        policy.getMetadata().getName(), PolicyState.DEGRADED, PolicyMetrics.emptyPhases());
    var previous = policy.getStatus() == null ? null : policy.getStatus().getConditions();
    var conditions = PolicyStatusAggregator.invalid(message, previous, now);
    if (Objects.equals(previous, conditions)) {
      return UpdateControl.noUpdate();
    }
    var status =
        policy.getStatus() == null
            ? new NodeNetworkConfigurationPolicyStatus()
            : policy.getStatus();
    status.setConditions(conditions);
    policy.setStatus(status);
    return UpdateControl.patchStatus(policy);
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

  /** {@code nnce} (null: not created yet) as it will be once {@code status} is written. */
  private static NodeNetworkConfigurationEnactment planned(
      NodeNetworkConfigurationEnactment nnce, NodeNetworkConfigurationEnactmentStatus status) {
    var out = new NodeNetworkConfigurationEnactment();
    out.setMetadata(
        nnce == null ? new io.fabric8.kubernetes.api.model.ObjectMeta() : nnce.getMetadata());
    out.setStatus(status);
    return out;
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

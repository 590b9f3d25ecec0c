package io.multihome.controller.sriov;

import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.multihome.api.sriov.SriovNetworkNodePolicy;
import io.multihome.api.sriov.SriovNetworkNodeState;
import io.multihome.sriov.policy.FieldError;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Tells users whether their policy is in effect: condition {@code Accepted} on the policy's status
 * and, when a policy is rejected or its reasons change, a Warning event listing every bad field.
 * This is where upstream's admission webhook rules run (there is no webhook server): at reconcile
 * time, on every policy in every namespace. A policy outside the operator namespace is never used
 * (as upstream) and says so with reason {@code NotInOperatorNamespace}. The node states themselves
 * are written by {@link NodeStateReconciler} from the same {@link PolicyAdmission} verdict, so a
 * rejected policy never reaches a node.
 */
public final class NodePolicyReconciler implements Reconciler<SriovNetworkNodePolicy> {
  static final String PEERS = "sriov-policy-peers";
  static final String NODES = "sriov-policy-nodes";
  static final String STATES = "sriov-policy-node-states";

  private final SriovControllerConfig config;
  private final PolicyAdmission admission;
  private final Clock clock;

  public NodePolicyReconciler(
      SriovControllerConfig config, PolicyAdmission admission, Clock clock) {
    this.config = config;
    this.admission = admission;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, SriovNetworkNodePolicy>> prepareEventSources(
      EventSourceContext<SriovNetworkNodePolicy> context) {
    // Another policy's spec decides overlaps; nodes and the agents' reports decide the rest.
    var peers =
        InformerEventSourceConfiguration.from(
                SriovNetworkNodePolicy.class, SriovNetworkNodePolicy.class)
            .withName(PEERS)
            .withNamespaces(Set.of(config.operatorNamespace()))
            .withSecondaryToPrimaryMapper(p -> allPolicies(context))
            .withOnUpdateFilter(NodeStateReconciler::generationChanged)
            .build();
    var nodes =
        InformerEventSourceConfiguration.from(Node.class, SriovNetworkNodePolicy.class)
            .withName(NODES)
            .withLabelSelector(config.nodeLabelSelector())
            .withSecondaryToPrimaryMapper(n -> allPolicies(context))
            .withOnUpdateFilter(
                (n, o) -> !Objects.equals(n.getMetadata().getLabels(), o.getMetadata().getLabels()))
            .build();
    var states =
        InformerEventSourceConfiguration.from(
                SriovNetworkNodeState.class, SriovNetworkNodePolicy.class)
            .withName(STATES)
            .withNamespaces(Set.of(config.operatorNamespace()))
            .withSecondaryToPrimaryMapper(s -> allPolicies(context))
            .withOnUpdateFilter((n, o) -> !Objects.equals(n.getStatus(), o.getStatus()))
            .build();
    return List.of(
        new InformerEventSource<>(peers, context),
        new InformerEventSource<>(nodes, context),
        new InformerEventSource<>(states, context));
  }

  @Override
  public UpdateControl<SriovNetworkNodePolicy> reconcile(
      SriovNetworkNodePolicy policy, Context<SriovNetworkNodePolicy> context) {
    if (!config.operatorNamespace().equals(policy.getMetadata().getNamespace())) {
      // Upstream's webhook admits it with this warning and its controller never reads it.
      return record(
          policy,
          context,
          new Conditions.Wanted(
              PolicyStatus.CONDITION_ACCEPTED,
              false,
              PolicyStatus.REASON_WRONG_NAMESPACE,
              policy.getMetadata().getName()
                  + " is created or updated but not used. Only policy in "
                  + config.operatorNamespace()
                  + " namespace is respected."));
    }
    var verdict =
        admission.evaluate(
            NodeStateReconciler.cached(context, SriovNetworkNodePolicy.class, PEERS),
            NodeInventories.of(
                NodeStateReconciler.cached(context, Node.class, NODES),
                NodeStateReconciler.cached(context, SriovNetworkNodeState.class, STATES)));
    List<FieldError> errors = verdict.errorsOf(policy.getMetadata().getName());
    var wanted =
        errors.isEmpty()
            ? new Conditions.Wanted(
                PolicyStatus.CONDITION_ACCEPTED,
                true,
                PolicyStatus.REASON_ACCEPTED,
                "accepted; rendered into the node states of the nodes it selects")
            : new Conditions.Wanted(
                PolicyStatus.CONDITION_ACCEPTED,
                false,
                PolicyStatus.REASON_REJECTED,
                "rejected, no node is changed by it: "
                    + errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    return record(policy, context, wanted);
  }

  /** Writes the Accepted condition when it changed; a new "not accepted" is also an event. */
  private UpdateControl<SriovNetworkNodePolicy> record(
      SriovNetworkNodePolicy policy,
      Context<SriovNetworkNodePolicy> context,
      Conditions.Wanted wanted) {
    var current = PolicyStatus.conditions(policy);
    Long generation = policy.getMetadata().getGeneration();
    if (Conditions.matches(Conditions.find(current, wanted.type()), wanted, generation)) {
      return UpdateControl.noUpdate();
    }
    // Written here, not through UpdateControl, so the cache holds the new status before the next
    // reconcile (else a quick second event sees the old status and warns twice). A status update
    // with the resourceVersion (retried on conflict against a fresh read), not a merge patch:
    // fabric8's CRUD mock merges lists in JSON merge patches, which would duplicate conditions.
    PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
        policy,
        context,
        fresh -> {
          PolicyStatus.setConditions(
              fresh, Conditions.upsert(PolicyStatus.conditions(fresh), wanted, generation, clock));
          return fresh;
        });
    if (!wanted.status()) {
      new WarningEvents(context.getClient(), clock).warn(policy, wanted.reason(), wanted.message());
    }
    return UpdateControl.noUpdate();
  }

  /** The policies a change can re-judge: those in the operator namespace. */
  private Set<ResourceID> allPolicies(EventSourceContext<SriovNetworkNodePolicy> context) {
    return context
        .getPrimaryCache()
        .list(p -> config.operatorNamespace().equals(p.getMetadata().getNamespace()))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }
}

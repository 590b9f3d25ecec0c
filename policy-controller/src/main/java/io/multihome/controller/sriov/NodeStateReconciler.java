package io.multihome.controller.sriov;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.multihome.api.read.ReadReport;
import io.multihome.api.sriov.SriovNetworkNodePolicy;
import io.multihome.api.sriov.SriovNetworkNodeState;
import io.multihome.controller.InvalidObjectEvents;
import io.multihome.sriov.policy.NodeInventory;
import io.multihome.sriov.policy.NodeStateRenderer;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One reconcile per Node: renders that node's {@code SriovNetworkNodeState.spec} from the accepted
 * policies and writes it when it changed; removes states of nodes that are gone.
 *
 * <p>Node is the primary (not the policy) so that every node gets a state for its agent to report
 * into even before any policy exists, and so that deleting the last policy still empties the nodes'
 * specs without a finalizer on policies. A policy, a node state or a node's labels changing can
 * change which policies are accepted, so those events re-evaluate every node.
 */
public final class NodeStateReconciler implements Reconciler<Node> {
  static final String POLICIES = "sriov-policies";
  static final String STATES = "sriov-node-states";
  static final String NODES = "sriov-node-changes";

  private final SriovControllerConfig config;
  private final PolicyAdmission admission;
  private final InvalidObjectEvents invalidObjects;

  public NodeStateReconciler(SriovControllerConfig config, PolicyAdmission admission, Clock clock) {
    this.config = config;
    this.admission = admission;
    this.invalidObjects = new InvalidObjectEvents(clock);
  }

  @Override
  public List<EventSource<?, Node>> prepareEventSources(EventSourceContext<Node> context) {
    var policies =
        InformerEventSourceConfiguration.from(SriovNetworkNodePolicy.class, Node.class)
            .withName(POLICIES)
            .withNamespaces(Set.of(config.operatorNamespace()))
            .withSecondaryToPrimaryMapper(p -> allNodes(context))
            .withOnUpdateFilter(NodeStateReconciler::generationChanged)
            .build();
    var states =
        InformerEventSourceConfiguration.from(SriovNetworkNodeState.class, Node.class)
            .withName(STATES)
            .withNamespaces(Set.of(config.operatorNamespace()))
            .withSecondaryToPrimaryMapper(s -> allNodes(context))
            // The agent's status (reported PFs) feeds validation; a spec edited by hand is
            // reverted.
            .withOnUpdateFilter(
                (n, o) ->
                    !Objects.equals(n.getStatus(), o.getStatus())
                        || !Objects.equals(n.getSpec(), o.getSpec()))
            .build();
    var nodes =
        InformerEventSourceConfiguration.from(Node.class, Node.class)
            .withName(NODES)
            .withLabelSelector(config.nodeLabelSelector())
            .withSecondaryToPrimaryMapper(n -> allNodes(context))
            .withOnAddFilter(n -> false)
            .withOnUpdateFilter(
                (n, o) -> !Objects.equals(n.getMetadata().getLabels(), o.getMetadata().getLabels()))
            .build();
    return List.of(
        new InformerEventSource<>(policies, context),
        new InformerEventSource<>(states, context),
        new InformerEventSource<>(nodes, context));
  }

  @Override
  public UpdateControl<Node> reconcile(Node node, Context<Node> context) {
    List<Node> nodes = context.getPrimaryCache().list().toList();
    List<SriovNetworkNodeState> states = cached(context, SriovNetworkNodeState.class, STATES);
    List<SriovNetworkNodePolicy> policies = cached(context, SriovNetworkNodePolicy.class, POLICIES);

    List<NodeInventory> inventories = NodeInventories.of(nodes, states);
    PolicyAdmission.Result verdict = admission.evaluate(policies, inventories);
    String name = node.getMetadata().getName();
    NodeInventory self =
        inventories.stream()
            .filter(i -> i.name().equals(name))
            .findFirst()
            .orElseGet(() -> NodeInventories.of(node, null));
    SriovNetworkNodeState existing =
        states.stream()
            .filter(s -> s.getMetadata().getName().equals(name))
            .findFirst()
            .orElse(null);
    if (existing != null) {
      // The spec is ours and is rewritten below; the status is the agent's and is rewritten by
      // it, and until then says nothing about the node's PFs.
      invalidObjects.report(
          context.getClient(),
          existing,
          ReadReport.of(existing).problems(),
          "the controller rewrites the spec and ignores the status until the agent rewrites it");
    }

    var writer =
        new NodeStateWriter(
            context.getClient(), config.operatorNamespace(), config.nodeLabelSelector());
    writer.ensure(node, existing, NodeStateRenderer.render(verdict.accepted(), self));
    // A node missing from either informer is a candidate; the writer confirms with the API server.
    Set<String> inBoth =
        cached(context, Node.class, NODES).stream()
            .map(n -> n.getMetadata().getName())
            .filter(n -> nodes.stream().anyMatch(p -> p.getMetadata().getName().equals(n)))
            .collect(Collectors.toSet());
    writer.deleteStale(states, inBoth);
    return UpdateControl.noUpdate();
  }

  static boolean generationChanged(HasMetadata n, HasMetadata o) {
    return !Objects.equals(n.getMetadata().getGeneration(), o.getMetadata().getGeneration());
  }

  private static Set<ResourceID> allNodes(EventSourceContext<Node> context) {
    return context
        .getPrimaryCache()
        .list()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  @SuppressWarnings("unchecked")
  static <R extends HasMetadata, P extends HasMetadata> List<R> cached(
      Context<P> context, Class<R> type, String name) {
    var source =
        (InformerEventSource<R, P>) context.eventSourceRetriever().getEventSourceFor(type, name);
    return source.list(r -> true).toList();
  }
}

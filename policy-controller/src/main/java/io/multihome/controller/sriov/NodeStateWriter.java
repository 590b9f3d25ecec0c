package io.multihome.controller.sriov;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.multihome.api.sriov.SriovNetworkNodeState;
import io.multihome.api.sriov.SriovNetworkNodeStateSpec;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, updates and deletes node states with plain create/update/delete (no server-side apply).
 * Updates carry the cached resourceVersion, so a write based on a stale read fails with a conflict
 * and the reconcile is retried.
 */
public final class NodeStateWriter {
  private static final Logger LOG = LoggerFactory.getLogger(NodeStateWriter.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String nodeLabelSelector;

  public NodeStateWriter(KubernetesClient client, String namespace, String nodeLabelSelector) {
    this.client = client;
    this.namespace = namespace;
    this.nodeLabelSelector = nodeLabelSelector;
  }

  /** What a call to {@link #ensure} did, for logs and tests. */
  public enum Outcome {
    CREATED,
    UPDATED,
    UNCHANGED,
    WAITING_FOR_AGENT
  }

  /**
   * Makes the node's state carry {@code desired}. An existing state whose agent has not reported
   * any PF yet keeps its spec: rendering against an empty inventory would wipe the VFs of a node
   * whose agent is merely restarting.
   */
  public Outcome ensure(
      Node node, SriovNetworkNodeState existing, SriovNetworkNodeStateSpec desired) {
    if (existing == null) {
      var state = new SriovNetworkNodeState();
      state.setMetadata(
          new ObjectMetaBuilder()
              .withName(node.getMetadata().getName())
              .withNamespace(namespace)
              // A namespaced object may be owned by a cluster-scoped one: the API server's garbage
              // collector removes the state with its node even while this controller is down.
              .withOwnerReferences(
                  new OwnerReferenceBuilder()
                      .withApiVersion("v1")
                      .withKind("Node")
                      .withName(node.getMetadata().getName())
                      .withUid(node.getMetadata().getUid())
                      .build())
              .build());
      state.setSpec(desired);
      client.resource(state).create();
      LOG.info("created SriovNetworkNodeState {}/{}", namespace, node.getMetadata().getName());
      return Outcome.CREATED;
    }
    if (!NodeInventories.hasReported(existing)) {
      return Outcome.WAITING_FOR_AGENT;
    }
    if (Objects.equals(existing.getSpec(), desired)) {
      return Outcome.UNCHANGED;
    }
    var copy = client.getKubernetesSerialization().clone(existing);
    copy.setSpec(desired);
    copy.setStatus(null);
    client.resource(copy).update();
    LOG.info("updated SriovNetworkNodeState {}/{}", namespace, node.getMetadata().getName());
    return Outcome.UPDATED;
  }

  /**
   * Deletes the states of nodes that are gone (or no longer selected). {@code cachedNodes} comes
   * from informers that may lag behind each other, so a state is only deleted after the API server
   * confirms its node is really gone.
   */
  public void deleteStale(Collection<SriovNetworkNodeState> states, Set<String> cachedNodes) {
    for (SriovNetworkNodeState state : states) {
      String name = state.getMetadata().getName();
      if (!cachedNodes.contains(name)
          && state.getMetadata().getDeletionTimestamp() == null
          && !nodeSelected(name)) {
        client
            .resources(SriovNetworkNodeState.class)
            .inNamespace(namespace)
            .withName(name)
            .delete();
        LOG.info("deleted SriovNetworkNodeState {}/{}: no such node", namespace, name);
      }
    }
  }

  private boolean nodeSelected(String name) {
    if (nodeLabelSelector == null) {
      return client.nodes().withName(name).get() != null;
    }
    return client.nodes().withLabelSelector(nodeLabelSelector).list().getItems().stream()
        .anyMatch(n -> name.equals(n.getMetadata().getName()));
  }
}

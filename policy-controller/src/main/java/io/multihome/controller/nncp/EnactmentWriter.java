package io.multihome.controller.nncp;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.multihome.api.nmstate.NmstateLabels;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactmentStatus;
import io.multihome.api.read.MetaMaps;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every NNCE write of the controller. Updates carry the resourceVersion they were computed from
 * (optimistic locking, no server-side apply), so a write based on a state the agent has since
 * changed fails with a conflict instead of clobbering it; a conflict just means "reconcile again".
 */
final class EnactmentWriter {
  private static final Logger LOG = LoggerFactory.getLogger(EnactmentWriter.class);

  private final KubernetesClient client;
  private final RecentWrites recent;

  EnactmentWriter(KubernetesClient client, RecentWrites recent) {
    this.client = client;
    this.recent = recent;
  }

  /**
   * Creates the NNCE of {@code policy} on {@code node}, then writes its first status (a separate
   * write: the API server drops {@code .status} on create for a CRD with the status subresource).
   * With {@code grant} the create already carries the rollout grant for the status' generation, so
   * a granted node costs two writes instead of three; the agent acts only once the status names the
   * same generation, i.e. after the second write.
   */
  Optional<NodeNetworkConfigurationEnactment> create(
      String policy, Node node, NodeNetworkConfigurationEnactmentStatus status, boolean grant) {
    var nnce = new NodeNetworkConfigurationEnactment();
    var nodeName = node.getMetadata().getName();
    var meta =
        new ObjectMetaBuilder()
            .withName(NodeNetworkConfigurationEnactment.nameFor(nodeName, policy))
            .withLabels(Map.of(NmstateLabels.NODE, nodeName, NmstateLabels.POLICY, policy))
            // Owned by the Node, as upstream: deleting the node garbage-collects its enactments.
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("v1")
                    .withKind("Node")
                    .withName(nodeName)
                    .withUid(node.getMetadata().getUid())
                    .build());
    if (grant) {
      meta.withAnnotations(
          Map.of(EnactmentPhase.GRANT_ANNOTATION, Long.toString(status.getPolicyGeneration())));
    }
    nnce.setMetadata(meta.build());
    var created = call("create", nnce, () -> client.resource(nnce).create());
    if (created.isEmpty()) {
      return Optional.empty();
    }
    recent.written(created.get());
    return updateStatus(created.get(), status);
  }

  /** Replaces the status, based on the version in {@code current}. */
  Optional<NodeNetworkConfigurationEnactment> updateStatus(
      NodeNetworkConfigurationEnactment current, NodeNetworkConfigurationEnactmentStatus status) {
    var copy = copyMeta(current);
    copy.setStatus(status);
    var updated = call("update status of", copy, () -> client.resource(copy).updateStatus());
    updated.ifPresent(recent::written);
    return updated;
  }

  /** Sets the rollout grant for {@code generation}. */
  Optional<NodeNetworkConfigurationEnactment> grant(
      NodeNetworkConfigurationEnactment current, long generation) {
    var copy = copyMeta(current);
    var annotations = new HashMap<String, String>(MetaMaps.annotations(current));
    annotations.put(EnactmentPhase.GRANT_ANNOTATION, Long.toString(generation));
    copy.getMetadata().setAnnotations(annotations);
    copy.setStatus(current.getStatus());
    var updated = call("grant", copy, () -> client.resource(copy).update());
    updated.ifPresent(recent::written);
    return updated;
  }

  void delete(NodeNetworkConfigurationEnactment current) {
    try {
      client.resource(current).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
    recent.deleted(current);
  }

  void deleteAllOf(String policy) {
    client
        .resources(NodeNetworkConfigurationEnactment.class)
        .withLabel(NmstateLabels.POLICY, policy)
        .delete();
    recent.forgetPolicy(policy);
  }

  private static NodeNetworkConfigurationEnactment copyMeta(
      NodeNetworkConfigurationEnactment from) {
    var copy = new NodeNetworkConfigurationEnactment();
    ObjectMeta meta = new ObjectMetaBuilder(from.getMetadata()).build();
    copy.setMetadata(meta);
    return copy;
  }

  /** Runs a write; conflict and not-found mean another writer won: empty, retry on next event. */
  private static <T extends HasMetadata> Optional<T> call(
      String what, HasMetadata target, Supplier<T> write) {
    try {
      return Optional.of(write.get());
    } catch (KubernetesClientException e) {
      int code = e.getCode();
      if (code == HttpURLConnection.HTTP_CONFLICT || code == HttpURLConnection.HTTP_NOT_FOUND) {
        LOG.debug("{} {}: {} ({})", what, target.getMetadata().getName(), code, e.getMessage());
        return Optional.empty();
      }
      throw e;
    }
  }
}

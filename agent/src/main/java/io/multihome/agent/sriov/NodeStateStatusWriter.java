package io.multihome.agent.sriov;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.multihome.api.sriov.SriovNetworkNodeState;
import io.multihome.api.sriov.SriovNetworkNodeStateStatus;
import java.net.HttpURLConnection;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one node state's status: read fresh, apply the change, PUT the status subresource with the
 * resourceVersion just read (so a concurrent writer gets a 409 instead of being overwritten), and
 * redo all of it on a conflict. Nothing is sent when the change leaves the status as it was.
 */
final class NodeStateStatusWriter {
  private static final Logger LOG = LoggerFactory.getLogger(NodeStateStatusWriter.class);
  static final int MAX_ATTEMPTS = 5;

  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  NodeStateStatusWriter(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  enum Outcome {
    WRITTEN,
    UNCHANGED,
    NO_STATE
  }

  /**
   * @param change gets a copy of the current status (never null) and returns the wanted one
   */
  Outcome update(UnaryOperator<SriovNetworkNodeStateStatus> change) {
    KubernetesClientException last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      SriovNetworkNodeState current =
          client.resources(SriovNetworkNodeState.class).inNamespace(namespace).withName(name).get();
      if (current == null) {
        return Outcome.NO_STATE;
      }
      SriovNetworkNodeStateStatus before =
          current.getStatus() == null ? new SriovNetworkNodeStateStatus() : current.getStatus();
      SriovNetworkNodeStateStatus after =
          change.apply(client.getKubernetesSerialization().clone(before));
      if (Objects.equals(before, after)) {
        return Outcome.UNCHANGED;
      }
      current.setStatus(after);
      try {
        // resource(...) carries metadata.resourceVersion: the PUT is refused if it moved on.
        client.resource(current).updateStatus();
        return Outcome.WRITTEN;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        LOG.debug("{}/{}: status conflict (attempt {}), retrying", namespace, name, attempt);
        last = e;
      }
    }
    throw new IllegalStateException(
        "status of SriovNetworkNodeState "
            + namespace
            + "/"
            + name
            + " still conflicted after "
            + MAX_ATTEMPTS
            + " attempts",
        last);
  }
}

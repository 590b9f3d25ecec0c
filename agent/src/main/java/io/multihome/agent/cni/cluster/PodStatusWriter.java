package io.multihome.agent.cni.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.multihome.agent.cni.NetworkStatusBuilder;
import io.multihome.agent.cni.PodRef;
import io.multihome.agent.cni.daemon.StatusSink;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code k8s.v1.cni.cncf.io/network-status} with one JSON merge patch on the pod: only that
 * annotation changes, no read first, no resourceVersion conflict with the kubelet's status writes.
 * A pod that is already gone is tolerated (as Multus): its sandbox is about to be torn down anyway.
 */
public final class PodStatusWriter implements StatusSink {

  private static final Logger LOG = LoggerFactory.getLogger(PodStatusWriter.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;

  public PodStatusWriter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void publish(PodRef pod, String networkStatus) throws Exception {
    String patch =
        JSON.writeValueAsString(
            Map.of(
                "metadata",
                Map.of("annotations", Map.of(NetworkStatusBuilder.ANNOTATION, networkStatus))));
    try {
      client
          .pods()
          .inNamespace(pod.namespace())
          .withName(pod.name())
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        LOG.info("pod {} is gone; network-status not written", pod);
        return;
      }
      throw e;
    }
  }
}

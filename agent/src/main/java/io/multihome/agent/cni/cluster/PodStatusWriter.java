package io.multihome.agent.cni.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.multihome.agent.cni.NetworkStatusBuilder;
import io.multihome.agent.cni.PodRef;
import io.multihome.agent.cni.daemon.StatusSink;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code k8s.v1.cni.cncf.io/network-status} — and, with the same value, the deprecated
 * {@code k8s.v1.cni.cncf.io/networks-status} — with one JSON merge patch on the pod: only those
 * annotations change, no read first, no resourceVersion conflict with the kubelet's status writes.
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
                Map.of(
                    "annotations",
                    Map.of(
                        NetworkStatusBuilder.ANNOTATION,
                        networkStatus,
                        NetworkStatusBuilder.DEPRECATED_ANNOTATION,
                        networkStatus))));
    // fabric8's Resource.patch reads the object first; a raw PATCH keeps this at one request.
    String url =
        client.getMasterUrl().toString().replaceAll("/+$", "")
            + "/api/v1/namespaces/"
            + URLEncoder.encode(pod.namespace(), StandardCharsets.UTF_8)
            + "/pods/"
            + URLEncoder.encode(pod.name(), StandardCharsets.UTF_8);
    var request =
        client
            .getHttpClient()
            .newHttpRequestBuilder()
            .uri(url)
            .method("PATCH", "application/merge-patch+json", patch)
            .build();
    HttpResponse<String> response =
        client.getHttpClient().sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
    if (response.code() == 404) {
      LOG.info("pod {} is gone; network-status not written", pod);
      return;
    }
    if (!response.isSuccessful()) {
      throw new IllegalStateException(
          "PATCH pod " + pod + " failed: HTTP " + response.code() + " " + response.body());
    }
  }
}

package io.multihome.controller.cno;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.multihome.api.openshift.Network;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warning events on the (cluster-scoped) Network, in namespace {@code default} where Kubernetes
 * keeps events of cluster-scoped objects, so {@code kubectl describe network.operator cluster}
 * shows them. Best effort.
 */
final class NetworkEvents {
  static final String COMPONENT = "multihome-network-operator";
  private static final Logger log = LoggerFactory.getLogger(NetworkEvents.class);

  private final KubernetesClient client;
  private final Clock clock;

  NetworkEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  void warn(Network network, String reason, String message) {
    var meta = network.getMetadata();
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                meta.getName() + "." + Long.toHexString(System.nanoTime()).toLowerCase(Locale.ROOT))
            .withNamespace("default")
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(network.getApiVersion())
                    .withKind(network.getKind())
                    .withName(meta.getName())
                    .withUid(meta.getUid())
                    .withResourceVersion(meta.getResourceVersion())
                    .build())
            .withType("Warning")
            .withReason(reason)
            .withMessage(message)
            .withCount(1)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .build();
    try {
      client.v1().events().inNamespace("default").resource(event).create();
    } catch (KubernetesClientException e) {
      log.warn(
          "could not record event {} on Network {}: {}", reason, meta.getName(), e.getMessage());
    }
  }
}

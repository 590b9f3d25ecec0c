package io.multihome.api.events;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Warning events on an object, so {@code kubectl describe} shows them; the one place
 * the controllers and the agent build such an event. Best effort: an event that cannot be written
 * is logged and dropped, never failing the reconcile it explains. Events of cluster-scoped objects
 * go to {@code default}, where kubectl looks for them. Each event gets a new name (count 1):
 * callers decide when something is worth saying again.
 */
public final class WarningEventWriter {
  private static final Logger LOG = LoggerFactory.getLogger(WarningEventWriter.class);

  private final KubernetesClient client;
  private final String component;
  private final String host;
  private final Clock clock;

  /**
   * @param component the event's source and reporting component
   * @param host the node (source host, reporting instance), or null for a cluster-wide component
   */
  public WarningEventWriter(KubernetesClient client, String component, String host, Clock clock) {
    this.client = client;
    this.component = component;
    this.host = host;
    this.clock = clock;
  }

  public void warn(HasMetadata about, String reason, String message) {
    var meta = about.getMetadata();
    var namespace = meta.getNamespace() == null ? "default" : meta.getNamespace();
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                meta.getName() + "." + Long.toHexString(System.nanoTime()).toLowerCase(Locale.ROOT))
            .withNamespace(namespace)
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(about.getApiVersion())
                    .withKind(about.getKind())
                    .withName(meta.getName())
                    .withNamespace(meta.getNamespace())
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
            .withComponent(component)
            .withHost(host)
            .endSource()
            .withReportingComponent(component)
            .withReportingInstance(host)
            .build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not record event {} on {} {}: {}",
          reason,
          about.getKind(),
          meta.getName(),
          e.getMessage());
    }
  }
}

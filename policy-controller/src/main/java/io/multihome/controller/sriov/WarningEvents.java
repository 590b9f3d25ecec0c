package io.multihome.controller.sriov;

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
 * Writes core/v1 Warning events on a resource ({@code kubectl describe} shows them). Callers emit
 * only when what they report changed, so a resource that stays bad does not flood the event log.
 */
public final class WarningEvents {
  public static final String COMPONENT = "multihome-sriov-controller";
  private static final Logger LOG = LoggerFactory.getLogger(WarningEvents.class);

  private final KubernetesClient client;
  private final Clock clock;

  public WarningEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /**
   * Best effort: an event that cannot be written must not fail the reconcile it explains. Events of
   * cluster-scoped objects go to {@code default}, where kubectl looks for them.
   */
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
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn("could not record event {} on {}: {}", reason, meta.getName(), e.getMessage());
    }
  }
}

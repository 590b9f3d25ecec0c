package io.multihome.lab.kubelet;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events as the components the lab stands in for do ({@code kubelet}, {@code
 * default-scheduler}, {@code deployment-controller}, …), correlated as client-go does ({@link
 * EventCorrelator}), on one background thread so a slow API never holds up a pod.
 */
public final class EventRecorder implements AutoCloseable {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  /** Who reports: {@code component} and, for node components, the node ({@code host}). */
  public record Source(String component, String host) {}

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private final KubernetesClient client;
  private final EventCorrelator correlator = new EventCorrelator();
  private final AtomicLong lastNanos = new AtomicLong();
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          r -> {
            var t = new Thread(r, "lab-events");
            t.setDaemon(true);
            return t;
          });

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  /** A reference to {@code object} (optionally one of its containers: {@code fieldPath}). */
  public static ObjectReference ref(HasMetadata object, String fieldPath) {
    var m = object.getMetadata();
    return new ObjectReferenceBuilder()
        .withApiVersion(object.getApiVersion())
        .withKind(object.getKind())
        .withNamespace(m.getNamespace())
        .withName(m.getName())
        .withUid(m.getUid())
        .withResourceVersion(m.getResourceVersion())
        .withFieldPath(fieldPath)
        .build();
  }

  public void record(HasMetadata object, Source source, String type, String reason, String msg) {
    record(ref(object, null), source, type, reason, msg);
  }

  public void record(ObjectReference ref, Source source, String type, String reason, String msg) {
    Instant now = Instant.now();
    String namespace = ref.getNamespace() == null ? "default" : ref.getNamespace();
    var similarity =
        new EventCorrelator.Similarity(
            ref.getUid() + "/" + ref.getFieldPath(),
            source.component(),
            source.host(),
            type,
            reason);
    var decision = correlator.observe(similarity, msg, now, eventName(ref.getName(), now));
    try {
      writer.execute(() -> write(ref, namespace, source, type, reason, decision, now));
    } catch (RejectedExecutionException closed) {
      log.debug("events closed; dropping {} on {}", reason, ref.getName());
    }
  }

  /** The API server's naming: {@code <object>.<unix nanos in hex>}, unique per recorder. */
  private String eventName(String object, Instant now) {
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    long unique = lastNanos.updateAndGet(last -> Math.max(last + 1, nanos));
    return object + "." + Long.toHexString(unique);
  }

  private void write(
      ObjectReference ref,
      String namespace,
      Source source,
      String type,
      String reason,
      EventCorrelator.Decision d,
      Instant now) {
    var events = client.v1().events().inNamespace(namespace);
    try {
      if (!d.create()) {
        var patch =
            Map.of(
                "count", d.count(), "lastTimestamp", ApiTime.format(now), "message", d.message());
        try {
          events
              .withName(d.name())
              .patch(
                  PatchContext.of(PatchType.JSON_MERGE),
                  client.getKubernetesSerialization().asJson(patch));
          return;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) {
            throw e;
          }
          correlator.forget(d.name());
        }
      }
      var event =
          new EventBuilder()
              .withNewMetadata()
              .withName(d.name())
              .withNamespace(namespace)
              .endMetadata()
              .withInvolvedObject(ref)
              .withType(type)
              .withReason(reason)
              .withMessage(d.message())
              .withNewSource()
              .withComponent(source.component())
              .withHost(source.host())
              .endSource()
              .withReportingComponent(source.component())
              .withReportingInstance(source.host() == null ? "" : source.host())
              .withFirstTimestamp(ApiTime.format(d.first()))
              .withLastTimestamp(ApiTime.format(now))
              .withCount(d.count())
              .build();
      events.resource(event).create();
    } catch (RuntimeException e) {
      log.warn("cannot record {} event on {}: {}", reason, ref.getName(), e.toString());
    }
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

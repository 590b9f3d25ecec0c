package io.multihome.agent.cni.cluster;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.multihome.agent.cni.PodRef;
import io.multihome.agent.cni.daemon.PodEvents;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * core/v1 Events on the pod, written on one background thread so a slow API never delays a sandbox:
 * {@code AddedInterface} (Normal, {@code Add net1 [198.18.1.5/24] from ns/name}, the Multus
 * wording), {@code NoNetworkFound} and {@code FailedDeleteInterface} (Warning).
 */
public final class KubernetesPodEvents implements PodEvents, AutoCloseable {

  public static final String COMPONENT = "multihome-cni";
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesPodEvents.class);

  private final KubernetesClient client;
  private final String nodeName;
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          r -> {
            var t = new Thread(r, "cni-pod-events");
            t.setDaemon(true);
            return t;
          });

  public KubernetesPodEvents(KubernetesClient client, String nodeName) {
    this.client = client;
    this.nodeName = nodeName;
  }

  /** The message Multus writes, e.g. {@code Add net1 [198.18.1.5/24] from apps/blue}. */
  public static String addedMessage(String ifname, List<String> cidrs, String network) {
    return "Add " + ifname + " [" + String.join(" ", cidrs) + "] from " + network;
  }

  @Override
  public void addedInterface(PodRef pod, String ifname, List<String> cidrs, String network) {
    emit(pod, "Normal", "AddedInterface", addedMessage(ifname, cidrs, network));
  }

  @Override
  public void noNetworkFound(PodRef pod, String message) {
    emit(pod, "Warning", "NoNetworkFound", message);
  }

  /** The message of a failed DEL, e.g. {@code Delete net1 from apps/blue failed: ...}. */
  public static String deleteFailedMessage(String ifname, String network, String error) {
    return "Delete "
        + ifname
        + " from "
        + network
        + " failed (the pod's other attachments were deleted and its state removed): "
        + error;
  }

  @Override
  public void deleteFailed(PodRef pod, String ifname, String network, String message) {
    emit(pod, "Warning", "FailedDeleteInterface", deleteFailedMessage(ifname, network, message));
  }

  private void emit(PodRef pod, String type, String reason, String message) {
    String now = Instant.now().toString();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                pod.name() + "." + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
            .withNamespace(pod.namespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion("v1")
            .withKind("Pod")
            .withNamespace(pod.namespace())
            .withName(pod.name())
            .withUid(pod.uid())
            .endInvolvedObject()
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withNewSource()
            .withComponent(COMPONENT)
            .withHost(nodeName)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(nodeName)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      writer.execute(
          () -> {
            try {
              client.v1().events().inNamespace(pod.namespace()).resource(event).create();
            } catch (RuntimeException e) {
              LOG.warn("cannot record {} event on {}: {}", reason, pod, e.toString());
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      LOG.debug("events closed; dropping {} on {}", reason, pod);
    }
  }

  @Override
  public void close() throws InterruptedException {
    writer.shutdown();
    writer.awaitTermination(5, TimeUnit.SECONDS);
  }
}

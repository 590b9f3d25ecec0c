package io.multihome.agent.kube;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.multihome.api.read.ReadProblem;
import io.multihome.api.read.ReadReport;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells users about an object the agent cannot read as a whole (see {@link ReadReport}): a log line
 * and a Warning event on the object naming every field and why, once per object and set of problems
 * (our own status writes on it are no reason to repeat it). The object itself is skipped; the agent
 * goes on with every other one.
 */
public final class ReadProblemEvents {
  public static final String REASON = "InvalidFields";
  private static final Logger LOG = LoggerFactory.getLogger(ReadProblemEvents.class);

  private final KubernetesClient client;
  private final String component;
  private final String host;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  public ReadProblemEvents(KubernetesClient client, String component, String host) {
    this.client = client;
    this.component = component;
    this.host = host;
  }

  /** The message: "Kind name has fields that cannot be read: path: why; ...; consequence". */
  public static String message(HasMetadata object, List<ReadProblem> problems, String consequence) {
    return object.getKind()
        + " "
        + object.getMetadata().getName()
        + " has fields that cannot be read: "
        + ReadReport.describe(problems)
        + "; "
        + consequence;
  }

  /** Reports {@code problems} (nothing when empty); best effort, never throws. */
  public void report(HasMetadata object, List<ReadProblem> problems, String consequence) {
    var meta = object.getMetadata();
    var message = message(object, problems, consequence);
    if (problems.isEmpty() || !reported.add(meta.getUid() + "@" + message)) {
      return;
    }
    LOG.warn("{}", message);
    var namespace = meta.getNamespace() == null ? "default" : meta.getNamespace();
    var now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                meta.getName() + "." + Long.toHexString(System.nanoTime()).toLowerCase(Locale.ROOT))
            .withNamespace(namespace)
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(object.getApiVersion())
                    .withKind(object.getKind())
                    .withName(meta.getName())
                    .withNamespace(meta.getNamespace())
                    .withUid(meta.getUid())
                    .withResourceVersion(meta.getResourceVersion())
                    .build())
            .withType("Warning")
            .withReason(REASON)
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
      LOG.warn("could not record event on {}: {}", meta.getName(), e.getMessage());
    }
  }

  /** Forgets every reported version whose object is not in {@code liveUids}. */
  public void retainOnly(Set<String> liveUids) {
    reported.removeIf(k -> !liveUids.contains(k.substring(0, k.indexOf('@'))));
  }
}

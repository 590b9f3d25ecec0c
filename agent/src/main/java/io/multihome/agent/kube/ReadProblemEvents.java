package io.multihome.agent.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.multihome.api.events.WarningEventWriter;
import io.multihome.api.read.ReadProblem;
import io.multihome.api.read.ReadReport;
import java.time.Clock;
import java.util.List;
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

  private final WarningEventWriter writer;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  public ReadProblemEvents(KubernetesClient client, String component, String host) {
    this.writer = new WarningEventWriter(client, component, host, Clock.systemUTC());
  }

  /** Reports {@code problems} (nothing when empty); best effort, never throws. */
  public void report(HasMetadata object, List<ReadProblem> problems, String consequence) {
    var meta = object.getMetadata();
    var message = ReadReport.describe(object, problems, consequence);
    if (problems.isEmpty() || !reported.add(meta.getUid() + "@" + message)) {
      return;
    }
    LOG.warn("{}", message);
    writer.warn(object, REASON, message);
  }

  /** Forgets every reported version whose object is not in {@code liveUids}. */
  public void retainOnly(Set<String> liveUids) {
    reported.removeIf(k -> !liveUids.contains(k.substring(0, k.indexOf('@'))));
  }
}

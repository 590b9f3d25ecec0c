package io.multihome.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.multihome.api.read.ReadProblem;
import io.multihome.api.read.ReadReport;
import io.multihome.controller.sriov.WarningEvents;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Warning events for objects with fields the controller could not read (see {@link ReadReport}),
 * for kinds that have no status condition of ours to carry it. One event per object and set of
 * problems: the same bad object re-reconciled (or with only its status rewritten) is not reported
 * again; an edit that makes it bad in another way is.
 */
public final class InvalidObjectEvents {
  public static final String REASON = "InvalidFields";

  private final Clock clock;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  public InvalidObjectEvents(Clock clock) {
    this.clock = clock;
  }

  /**
   * Reports {@code problems} of {@code object} unless this version was reported already; {@code
   * consequence} says what the component does about it ("skipped", "status rewritten").
   */
  public void report(
      KubernetesClient client, HasMetadata object, List<ReadProblem> problems, String consequence) {
    if (problems.isEmpty()) {
      return;
    }
    var meta = object.getMetadata();
    var message = ReadReport.describe(object, problems, consequence);
    if (!reported.add(meta.getUid() + "@" + message)) {
      return;
    }
    new WarningEvents(client, clock).warn(object, REASON, message);
  }

  /** Forgets reported versions of an object that is gone. */
  public void forget(HasMetadata object) {
    reported.removeIf(k -> k.startsWith(object.getMetadata().getUid() + "@"));
  }
}

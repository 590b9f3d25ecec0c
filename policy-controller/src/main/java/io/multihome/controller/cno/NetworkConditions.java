package io.multihome.controller.cno;

import io.multihome.api.openshift.Network;
import io.multihome.api.openshift.NetworkStatus;
import io.multihome.api.openshift.OperatorCondition;
import io.multihome.api.read.ReadReport;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code Degraded} condition of the Network: one entry, its {@code lastTransitionTime} moved
 * only when the status flips, written only when something in it changed.
 */
final class NetworkConditions {
  static final String REASON_OK = "AsExpected";
  static final String REASON_INVALID = "InvalidAdditionalNetworks";
  static final String REASON_IGNORED = "NotTheClusterNetwork";

  /** A field outside the entries cannot be read: nothing is changed. */
  static final String REASON_UNREADABLE = "InvalidFields";

  private NetworkConditions() {}

  /** Wanted state of {@code Degraded}. */
  record Wanted(boolean degraded, String reason, String message) {
    String status() {
      return degraded ? "True" : "False";
    }
  }

  static OperatorCondition current(Network network) {
    var status = network.getStatus();
    if (status == null) {
      return null;
    }
    return status.getConditions().stream()
        .filter(c -> Network.CONDITION_DEGRADED.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  static boolean upToDate(Network network, Wanted wanted) {
    var c = current(network);
    var status = network.getStatus();
    // A status with fields that cannot be read is ours: written again (without them).
    return c != null
        && ReadReport.of(network).problemsUnder("status").isEmpty()
        && wanted.status().equals(c.getStatus())
        && Objects.equals(wanted.reason(), c.getReason())
        && Objects.equals(wanted.message(), c.getMessage())
        && Objects.equals(network.getMetadata().getGeneration(), status.getObservedGeneration());
  }

  /** {@code network}'s status with {@code wanted} in; other conditions and fields kept. */
  static NetworkStatus apply(Network network, Wanted wanted, Clock clock) {
    var status = network.getStatus() == null ? new NetworkStatus() : network.getStatus();
    var old = current(network);
    String transition =
        old != null && wanted.status().equals(old.getStatus())
            ? old.getLastTransitionTime()
            : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    List<OperatorCondition> conditions = new ArrayList<>();
    status.getConditions().stream()
        .filter(c -> !Network.CONDITION_DEGRADED.equals(c.getType()))
        .forEach(conditions::add);
    conditions.add(
        new OperatorCondition(
            Network.CONDITION_DEGRADED,
            wanted.status(),
            transition,
            wanted.reason(),
            wanted.message()));
    status.setConditions(conditions);
    status.setObservedGeneration(network.getMetadata().getGeneration());
    return status;
  }
}

package io.multihome.controller;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.multihome.controller.capture.CaptureRenderer;
import io.multihome.controller.nncp.DesiredStateRenderer;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the policy controller runs.
 *
 * @param namespace where agent leases ({@code multihome-agent-<node>}) live
 * @param captureEvaluator renders policies with {@code spec.capture} (by default the nmpolicy
 *     evaluator); without one such policies fail on every node with "capture not supported yet"
 * @param meterRegistry receives the controller's metrics
 * @param reconcileThreads JOSDK reconciliation threads: how many policies reconcile at once. A pass
 *     is mostly CPU (recomputing a policy from its enactments) plus waiting for its writes, so a
 *     few are enough
 * @param writeThreads the pool the NNCE writes of all passes run on: how many requests the
 *     controller keeps in flight (a pass writes its enactments in parallel, not one by one)
 * @param passInterval at most one pass per policy per this interval (zero: no limit). Every agent
 *     write is an event for its policy, and a pass looks at all of the policy's nodes; during a
 *     1000-node rollout events arrive faster than passes finish, so without a limit a policy is
 *     recomputed back to back and the passes eat the CPU the writes need. Events inside the
 *     interval are not lost, they are folded into the next pass
 * @param networkOperator also run the Cluster Network Operator's {@code additionalNetworks}
 *     rendering ({@code io.multihome.controller.cno}); needs the {@code
 *     networks.operator.openshift.io} CRD. Off by default here (embedded uses and tests), on in
 *     {@code multihome controller}
 */
public record ControllerConfig(
    String namespace,
    Optional<DesiredStateRenderer> captureEvaluator,
    MeterRegistry meterRegistry,
    Clock clock,
    int reconcileThreads,
    int writeThreads,
    Duration passInterval,
    boolean networkOperator) {
  public static final String DEFAULT_NAMESPACE = "multihome";

  public ControllerConfig {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(captureEvaluator, "captureEvaluator");
    Objects.requireNonNull(meterRegistry, "meterRegistry");
    Objects.requireNonNull(clock, "clock");
    if (reconcileThreads < 1) {
      throw new IllegalArgumentException("reconcileThreads: must be at least 1");
    }
    if (writeThreads < 1) {
      throw new IllegalArgumentException("writeThreads: must be at least 1");
    }
    Objects.requireNonNull(passInterval, "passInterval");
    if (passInterval.isNegative()) {
      throw new IllegalArgumentException("passInterval: must not be negative");
    }
  }

  public static ControllerConfig defaults() {
    return new ControllerConfig(
        DEFAULT_NAMESPACE,
        Optional.of(new CaptureRenderer(Clock.systemUTC())),
        new SimpleMeterRegistry(),
        Clock.systemUTC(),
        4,
        16,
        Duration.ofMillis(250),
        false);
  }

  public ControllerConfig withoutCaptureEvaluator() {
    return new ControllerConfig(
        namespace,
        Optional.empty(),
        meterRegistry,
        clock,
        reconcileThreads,
        writeThreads,
        passInterval,
        networkOperator);
  }

  public ControllerConfig withNamespace(String value) {
    return new ControllerConfig(
        value,
        captureEvaluator,
        meterRegistry,
        clock,
        reconcileThreads,
        writeThreads,
        passInterval,
        networkOperator);
  }

  public ControllerConfig withCaptureEvaluator(DesiredStateRenderer value) {
    return new ControllerConfig(
        namespace,
        Optional.of(value),
        meterRegistry,
        clock,
        reconcileThreads,
        writeThreads,
        passInterval,
        networkOperator);
  }

  public ControllerConfig withMeterRegistry(MeterRegistry value) {
    return new ControllerConfig(
        namespace,
        captureEvaluator,
        value,
        clock,
        reconcileThreads,
        writeThreads,
        passInterval,
        networkOperator);
  }

  public ControllerConfig withClock(Clock value) {
    return new ControllerConfig(
        namespace,
        captureEvaluator,
        meterRegistry,
        value,
        reconcileThreads,
        writeThreads,
        passInterval,
        networkOperator);
  }

  public ControllerConfig withThreads(int reconcile, int write) {
    return new ControllerConfig(
        namespace,
        captureEvaluator,
        meterRegistry,
        clock,
        reconcile,
        write,
        passInterval,
        networkOperator);
  }

  public ControllerConfig withPassInterval(Duration value) {
    return new ControllerConfig(
        namespace,
        captureEvaluator,
        meterRegistry,
        clock,
        reconcileThreads,
        writeThreads,
        value,
        networkOperator);
  }

  public ControllerConfig withNetworkOperator(boolean value) {
    return new ControllerConfig(
        namespace,
        captureEvaluator,
        meterRegistry,
        clock,
        reconcileThreads,
        writeThreads,
        passInterval,
        value);
  }
}

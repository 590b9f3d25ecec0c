package io.multihome.controller;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.multihome.controller.capture.CaptureRenderer;
import io.multihome.controller.nncp.DesiredStateRenderer;
import java.time.Clock;
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
 */
public record ControllerConfig(
    String namespace,
    Optional<DesiredStateRenderer> captureEvaluator,
    MeterRegistry meterRegistry,
    Clock clock,
    int reconcileThreads,
    int writeThreads) {
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
  }

  public static ControllerConfig defaults() {
    return new ControllerConfig(
        DEFAULT_NAMESPACE,
        Optional.of(new CaptureRenderer(Clock.systemUTC())),
        new SimpleMeterRegistry(),
        Clock.systemUTC(),
        4,
        16);
  }

  public ControllerConfig withoutCaptureEvaluator() {
    return new ControllerConfig(
        namespace, Optional.empty(), meterRegistry, clock, reconcileThreads, writeThreads);
  }

  public ControllerConfig withNamespace(String value) {
    return new ControllerConfig(
        value, captureEvaluator, meterRegistry, clock, reconcileThreads, writeThreads);
  }

  public ControllerConfig withCaptureEvaluator(DesiredStateRenderer value) {
    return new ControllerConfig(
        namespace, Optional.of(value), meterRegistry, clock, reconcileThreads, writeThreads);
  }

  public ControllerConfig withMeterRegistry(MeterRegistry value) {
    return new ControllerConfig(
        namespace, captureEvaluator, value, clock, reconcileThreads, writeThreads);
  }

  public ControllerConfig withClock(Clock value) {
    return new ControllerConfig(
        namespace, captureEvaluator, meterRegistry, value, reconcileThreads, writeThreads);
  }

  public ControllerConfig withThreads(int reconcile, int write) {
    return new ControllerConfig(
        namespace, captureEvaluator, meterRegistry, clock, reconcile, write);
  }
}

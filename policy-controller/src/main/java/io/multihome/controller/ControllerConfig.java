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
 * @param reconcileThreads JOSDK reconciliation threads (policies reconcile in parallel)
 */
public record ControllerConfig(
    String namespace,
    Optional<DesiredStateRenderer> captureEvaluator,
    MeterRegistry meterRegistry,
    Clock clock,
    int reconcileThreads) {
  public static final String DEFAULT_NAMESPACE = "multihome";

  public ControllerConfig {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(captureEvaluator, "captureEvaluator");
    Objects.requireNonNull(meterRegistry, "meterRegistry");
    Objects.requireNonNull(clock, "clock");
    if (reconcileThreads < 1) {
      throw new IllegalArgumentException("reconcileThreads: must be at least 1");
    }
  }

  public static ControllerConfig defaults() {
    return new ControllerConfig(
        DEFAULT_NAMESPACE,
        Optional.of(new CaptureRenderer(Clock.systemUTC())),
        new SimpleMeterRegistry(),
        Clock.systemUTC(),
        10);
  }

  public ControllerConfig withoutCaptureEvaluator() {
    return new ControllerConfig(
        namespace, Optional.empty(), meterRegistry, clock, reconcileThreads);
  }

  public ControllerConfig withNamespace(String value) {
    return new ControllerConfig(value, captureEvaluator, meterRegistry, clock, reconcileThreads);
  }

  public ControllerConfig withCaptureEvaluator(DesiredStateRenderer value) {
    return new ControllerConfig(
        namespace, Optional.of(value), meterRegistry, clock, reconcileThreads);
  }

  public ControllerConfig withMeterRegistry(MeterRegistry value) {
    return new ControllerConfig(namespace, captureEvaluator, value, clock, reconcileThreads);
  }

  public ControllerConfig withClock(Clock value) {
    return new ControllerConfig(
        namespace, captureEvaluator, meterRegistry, value, reconcileThreads);
  }
}

package io.multihome.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.event.rate.LinearRateLimiter;
import io.multihome.api.read.LenientClient;
import io.multihome.controller.cno.AdditionalNetworksReconciler;
import io.multihome.controller.nncp.PolicyEvents;
import io.multihome.controller.nncp.PolicyMetrics;
import io.multihome.controller.nncp.PolicyReconciler;
import io.multihome.controller.nncp.PolicyRenderer;
import io.multihome.controller.service.ServiceNetworkControllers;
import java.time.Duration;

/**
 * Runs the NNCP controller (and, when configured, the CNO additionalNetworks one) in-process (the
 * lab and the agent's {@code controller} subcommand use this). The client is borrowed: closing the
 * controller leaves it open.
 */
public final class PolicyController implements AutoCloseable {
  public static final String FINALIZER = "multihome.io/policy-controller";

  private final Operator operator;
  private final PolicyReconciler reconciler;

  private PolicyController(Operator operator, PolicyReconciler reconciler) {
    this.operator = operator;
    this.reconciler = reconciler;
  }

  public static PolicyController start(KubernetesClient client, ControllerConfig config) {
    // No Pod, Service, EndpointSlice or Node may stop the informers (LenientClient).
    var lenient = LenientClient.of(client);
    var operator =
        new Operator(
            o ->
                o.withKubernetesClient(lenient.client())
                    .withCloseClientOnStop(lenient.owned())
                    // No server-side apply anywhere: JSON merge patches and versioned updates
                    // only (fabric8's CRUD mock server rejects SSA; it also keeps field
                    // ownership out of the objects users read).
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withParseResourceVersions(true)
                    .withConcurrentReconciliationThreads(config.reconcileThreads())
                    .withReconciliationTerminationTimeout(Duration.ofSeconds(5))
                    // Copies keep what the lenient reader found wrong with the original.
                    .withResourceCloner(
                        new ReportKeepingCloner(lenient.client().getKubernetesSerialization()))
                    .checkingCRDAndValidateLocalModel(false));
    var reconciler =
        new PolicyReconciler(
            config.namespace(),
            config.clock(),
            new PolicyRenderer(config.captureEvaluator()),
            new PolicyEvents(client, config.clock()),
            new PolicyMetrics(config.meterRegistry()),
            config.writeThreads());
    operator.register(
        reconciler,
        o -> {
          o.withName("nncp").withFinalizer(FINALIZER).withGenerationAware(true);
          if (!config.passInterval().isZero()) {
            o.withRateLimiter(new LinearRateLimiter(config.passInterval(), 1));
          }
        });
    if (config.networkOperator()) {
      // The CNO's additionalNetworks → NADs, on the same operator (docs/openshift.md).
      operator.register(
          new AdditionalNetworksReconciler(config.clock()),
          o -> o.withName(AdditionalNetworksReconciler.NAME).withGenerationAware(true));
    }
    // Services on secondary networks: EndpointSlices from the pods' network-status.
    ServiceNetworkControllers.register(operator);
    operator.start();
    return new PolicyController(operator, reconciler);
  }

  @Override
  public void close() {
    operator.stop();
    reconciler.close();
  }
}

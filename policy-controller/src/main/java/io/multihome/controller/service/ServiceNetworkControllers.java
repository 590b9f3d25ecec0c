package io.multihome.controller.service;

import io.javaoperatorsdk.operator.Operator;

/**
 * Registers the secondary-network Service controller on an operator (the policy controller's). Only
 * Services labelled {@code service.kubernetes.io/service-proxy-name: multus-proxy} reach it.
 */
public final class ServiceNetworkControllers {
  public static final String NAME = "service-network";

  private ServiceNetworkControllers() {}

  public static void register(Operator operator) {
    operator.register(
        new ServiceNetworkReconciler(),
        o ->
            o.withName(NAME)
                .withLabelSelector(
                    ServiceNetworks.PROXY_NAME_LABEL + "=" + ServiceNetworks.PROXY_NAME)
                // Annotation edits (the network) do not bump the generation.
                .withGenerationAware(false)
                .withTriggerReconcilerOnAllEvents(true));
  }
}

package io.multihome.controller.sriov;

import io.multihome.sriov.policy.SupportedNics;
import io.multihome.sriov.render.NadRenderer;
import java.util.Objects;

/**
 * Knobs of the SR-IOV controllers.
 *
 * @param operatorNamespace where policies are read and node states written (upstream: {@code
 *     sriov-network-operator}); also the only namespace whose SriovNetworks may set {@code
 *     networkNamespace}
 * @param resourcePrefix device-plugin resource prefix in the NAD annotation (upstream env {@code
 *     RESOURCE_PREFIX}, default {@code openshift.io})
 * @param nodeLabelSelector label selector (fabric8/kubectl syntax) of the nodes that get a node
 *     state, like upstream's {@code configDaemonNodeSelector}; {@code null} = every node
 * @param supportedNics NIC models policies may select ({@link SupportedNics#permissive()} =
 *     upstream DEV_MODE)
 */
public record SriovControllerConfig(
    String operatorNamespace,
    String resourcePrefix,
    String nodeLabelSelector,
    SupportedNics supportedNics) {
  public static final String DEFAULT_OPERATOR_NAMESPACE = "sriov-network-operator";

  public SriovControllerConfig {
    Objects.requireNonNull(operatorNamespace, "operatorNamespace");
    Objects.requireNonNull(resourcePrefix, "resourcePrefix");
    Objects.requireNonNull(supportedNics, "supportedNics");
    if (nodeLabelSelector != null && nodeLabelSelector.isBlank()) {
      nodeLabelSelector = null;
    }
  }

  /** Upstream defaults: {@code sriov-network-operator}, {@code openshift.io}, all nodes. */
  public static SriovControllerConfig defaults() {
    return new SriovControllerConfig(
        DEFAULT_OPERATOR_NAMESPACE,
        NadRenderer.DEFAULT_RESOURCE_PREFIX,
        null,
        SupportedNics.upstreamDefaults());
  }

  public SriovControllerConfig withOperatorNamespace(String namespace) {
    return new SriovControllerConfig(namespace, resourcePrefix, nodeLabelSelector, supportedNics);
  }

  public SriovControllerConfig withResourcePrefix(String prefix) {
    return new SriovControllerConfig(operatorNamespace, prefix, nodeLabelSelector, supportedNics);
  }

  public SriovControllerConfig withNodeLabelSelector(String selector) {
    return new SriovControllerConfig(operatorNamespace, resourcePrefix, selector, supportedNics);
  }

  public SriovControllerConfig withSupportedNics(SupportedNics nics) {
    return new SriovControllerConfig(operatorNamespace, resourcePrefix, nodeLabelSelector, nics);
  }
}

/**
 * The Cluster Network Operator's {@code additionalNetworks}: {@code operator.openshift.io/v1}
 * {@code Network} {@code cluster} → one NetworkAttachmentDefinition per entry, rendered as
 * openshift/cluster-network-operator's {@code pkg/network/additional_networks.go} renders it
 * ({@link io.multihome.controller.cno.AdditionalNetworkRenderer}) and kept in step by {@link
 * io.multihome.controller.cno.AdditionalNetworksReconciler}.
 */
package io.multihome.controller.cno;

/**
 * The part of OpenShift's {@code operator.openshift.io/v1} {@code Network} (the Cluster Network
 * Operator's configuration, object {@code cluster}) that multihome reads: {@code
 * spec.additionalNetworks}, rendered into NetworkAttachmentDefinitions. Field names and meanings as
 * in openshift/api {@code operator/v1/types_network.go}; every other field of the real type is kept
 * untouched (preserve-unknown-fields), so an OpenShift manifest applies unchanged.
 */
package io.multihome.api.openshift;

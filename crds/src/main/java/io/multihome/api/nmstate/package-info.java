/**
 * kubernetes-nmstate custom resources ({@code nmstate.io}): NodeNetworkConfigurationPolicy,
 * NodeNetworkConfigurationEnactment and NodeNetworkState, wire-compatible with upstream manifests.
 * The nmstate desired state itself stays an opaque JSON tree here; its typed model lives in {@code
 * io.multihome.state}.
 */
package io.multihome.api.nmstate;

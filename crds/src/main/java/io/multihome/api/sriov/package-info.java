/**
 * sriov-network-operator custom resources ({@code sriovnetwork.openshift.io/v1}):
 * SriovNetworkNodePolicy, SriovNetworkNodeState and SriovNetwork, wire-compatible with upstream
 * manifests. Fields upstream restricts with an enum are Java enums carrying the exact wire value.
 */
package io.multihome.api.sriov;

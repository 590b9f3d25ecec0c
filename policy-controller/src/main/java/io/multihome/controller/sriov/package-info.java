/**
 * SR-IOV policy controllers: SriovNetworkNodePolicy → SriovNetworkNodeState, policy acceptance
 * conditions and events. Entry point {@link io.multihome.controller.sriov.SriovControllers}.
 */
package io.multihome.controller.sriov;

package io.multihome.agent.cni;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.cni.exec.CniException;
import io.multihome.agent.cni.exec.NetworkList;
import io.multihome.agent.cni.exec.RuntimeArgs;
import java.util.List;

/**
 * One attachment to run: a network config, the interface it creates and what the pod asked for.
 * Everything DEL needs is here, so the list can be persisted and DEL works without the API.
 *
 * @param network {@code ns/nad}, or the cluster network's name
 * @param config the conflist JSON actually used (after name injection)
 * @param defaultRoute the pod's {@code default-route} gateways; null when not asked, empty when
 *     asked with {@code []} (this attachment keeps the default route its own IPAM set, the others
 *     lose theirs)
 */
public record Delegate(
    String network,
    boolean clusterNetwork,
    String ifname,
    String config,
    ObjectNode capabilityArgs,
    ObjectNode cniArgs,
    ObjectNode topLevel,
    List<String> requestedIps,
    String requestedMac,
    List<String> defaultRoute) {

  public Delegate {
    requestedIps = List.copyOf(requestedIps);
    defaultRoute = defaultRoute == null ? null : List.copyOf(defaultRoute);
  }

  public NetworkList networkList() throws CniException {
    return NetworkList.parse(config, null);
  }

  /** True when the pod chose this attachment for the default route ({@code default-route}). */
  public boolean ownsDefaultRoute() {
    return defaultRoute != null;
  }

  public RuntimeArgs runtimeArgs() {
    return new RuntimeArgs(capabilityArgs, cniArgs, topLevel);
  }
}

package io.multihome.agent.cni.device;

import io.multihome.agent.netlink.BridgePortOptions;
import io.multihome.agent.netlink.Link;

/**
 * A node device as it was before an attachment took it into a pod (host-device, sriov): what DEL
 * and a failed ADD give back. Persisted with the container's state, so an agent restart between ADD
 * and DEL loses nothing.
 *
 * @param master the bridge (or other controller) it was a port of, by name; null = none
 * @param port its bridge port options (priority, cost, hairpin, ...); null when not a bridge port
 */
public record NodeDevice(
    String name, String mac, int mtu, boolean up, String master, BridgePortOptions port) {

  static NodeDevice of(Link link, String masterName) {
    return new NodeDevice(
        link.name(),
        link.mac() == null ? null : link.mac().toString(),
        link.mtu(),
        link.isUp(),
        masterName,
        masterName == null ? null : link.bridgePort());
  }
}

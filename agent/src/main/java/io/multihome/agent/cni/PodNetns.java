package io.multihome.agent.cni;

import io.multihome.agent.cni.exec.CniException;

/**
 * The few things done inside a pod's network namespace besides running plugins. An interface so the
 * netlink implementation of the agent can replace the iproute2 one.
 */
public interface PodNetns {

  /** Names of the interfaces in the namespace at {@code netns}. */
  java.util.Set<String> linkNames(String netns) throws CniException;

  /** Replaces every default route of the gateway's family with one via {@code gateway}. */
  void replaceDefaultRoute(String netns, String gateway, String ifname) throws CniException;

  /** Deletes the IPv4 and IPv6 default routes that leave through {@code ifname}. */
  void removeDefaultRoutes(String netns, String ifname) throws CniException;
}

package io.multihome.agent.cni;

import io.multihome.agent.cni.exec.CniException;

/** Edits routes inside a pod's network namespace (for NSE {@code default-route}). */
public interface PodRouteEditor {

  /** Replaces every default route of the gateway's family with one via {@code gateway}. */
  void replaceDefaultRoute(String netns, String gateway, String ifname) throws CniException;
}

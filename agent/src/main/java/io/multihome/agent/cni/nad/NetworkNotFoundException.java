package io.multihome.agent.cni.nad;

import io.multihome.agent.cni.exec.CniException;

/** The selected NAD does not exist (the pod gets a {@code NoNetworkFound} event). */
public final class NetworkNotFoundException extends CniException {

  private final String namespace;
  private final String name;

  public NetworkNotFoundException(String namespace, String name) {
    super(
        NETWORK_RESOLUTION,
        "cannot find a network-attachment-definition ("
            + name
            + ") in namespace ("
            + namespace
            + ")");
    this.namespace = namespace;
    this.name = name;
  }

  public String namespace() {
    return namespace;
  }

  public String name() {
    return name;
  }
}

package io.multihome.agent.cni;

/** The pod a CNI request is for, from CNI_ARGS (K8S_POD_NAMESPACE, K8S_POD_NAME, K8S_POD_UID). */
public record PodRef(String namespace, String name, String uid) {

  @Override
  public String toString() {
    return namespace + "/" + name + (uid == null || uid.isEmpty() ? "" : "/" + uid);
  }
}

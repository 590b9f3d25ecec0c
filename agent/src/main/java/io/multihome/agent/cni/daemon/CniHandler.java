package io.multihome.agent.cni.daemon;

/** Answers one CNI call forwarded by a shim: the attachment service or the IPAM service. */
@FunctionalInterface
public interface CniHandler {
  CniResponse handle(CniRequest request);
}

package io.multihome.api.nmstate;

/** Label keys kubernetes-nmstate puts on its objects; selectors depend on them, so keep them. */
public final class NmstateLabels {
  /** On an NNCE: the node it belongs to. */
  public static final String NODE = "nmstate.io/node";

  /** On an NNCE: the policy it enacts. */
  public static final String POLICY = "nmstate.io/policy";

  private NmstateLabels() {}
}

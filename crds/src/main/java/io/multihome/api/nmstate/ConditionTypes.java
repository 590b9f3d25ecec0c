package io.multihome.api.nmstate;

/** Condition types kubernetes-nmstate sets on policies (NNCP) and enactments (NNCE). */
public final class ConditionTypes {
  /** NNCP and NNCE: the desired state is applied. */
  public static final String AVAILABLE = "Available";

  /** NNCP: at least one node failed or aborted. */
  public static final String DEGRADED = "Degraded";

  /** NNCP and NNCE: a rollout or an apply is under way. */
  public static final String PROGRESSING = "Progressing";

  /** NNCP: no node matches the policy. */
  public static final String IGNORED = "Ignored";

  /** NNCE: the apply failed (also while retrying). */
  public static final String FAILING = "Failing";

  /** NNCE: waiting for a maxUnavailable slot. */
  public static final String PENDING = "Pending";

  /** NNCE: not attempted because too many nodes already failed. */
  public static final String ABORTED = "Aborted";

  private ConditionTypes() {}
}

package io.multihome.api.nmstate;

/** Condition reasons kubernetes-nmstate sets on policies (NNCP) and enactments (NNCE). */
public final class ConditionReasons {
  public static final String SUCCESSFULLY_CONFIGURED = "SuccessfullyConfigured";
  public static final String FAILED_TO_CONFIGURE = "FailedToConfigure";
  public static final String CONFIGURATION_PROGRESSING = "ConfigurationProgressing";

  /** NNCP only: the nodeSelector matches no node running a handler. */
  public static final String NO_MATCHING_NODE = "NoMatchingNode";

  /** NNCE only: the apply failed and will be retried. */
  public static final String RETRYING = "Retrying";

  /** NNCE only: the rollout limit of the policy is reached; the node waits. */
  public static final String MAX_UNAVAILABLE_LIMIT_REACHED = "MaxUnavailableLimitReached";

  /** NNCE only: the node gave up because the policy's failure budget is spent. */
  public static final String CONFIGURATION_ABORTED = "ConfigurationAborted";

  /**
   * NNCP only, ours: the policy has fields that cannot be read (wrong type); it is not rolled out
   * until fixed. Upstream never stores such a policy (its API server and webhook refuse it).
   */
  public static final String INVALID_POLICY = "InvalidPolicy";

  private ConditionReasons() {}
}

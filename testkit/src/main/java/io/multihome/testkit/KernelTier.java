package io.multihome.testkit;

import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * How a kernel test reacts to a missing kernel feature, for every module: skipped with the feature
 * named on the development kernel, but a failure in the kernel-VM tier (docs/kernel-vm.md), where
 * every feature must exist — so a test can never pass there by skipping.
 */
public final class KernelTier {
  /** Set to true by kernel-vm/run-tier.sh: a missing feature is then a failure, not a skip. */
  public static final String PROPERTY = "multihome.kernelvm";

  private KernelTier() {}

  /**
   * True when running in the kernel-VM tier: the tier's system property, or KERNEL_VM=1 which the
   * guest's init exports to everything it runs (so a JVM started by hand there is strict too).
   */
  public static boolean strict() {
    return Boolean.getBoolean(PROPERTY) || "1".equals(System.getenv("KERNEL_VM"));
  }

  /** Skips (or, in the kernel-VM tier, fails) unless {@code present}; {@code missing} names it. */
  public static void require(boolean present, String missing) {
    if (!present) {
      stop(missing, strict());
    }
  }

  /**
   * Passes when nothing is missing; otherwise fails the test when {@code required} (the kernel-VM
   * tier), else skips it with every missing feature named.
   */
  public static void decide(List<String> missing, boolean required) {
    if (missing.isEmpty()) {
      return;
    }
    stop("kernel lacks " + String.join("; ", missing), required);
  }

  private static void stop(String message, boolean required) {
    if (required) {
      throw new AssertionError("kernel VM tier: " + message);
    }
    Assumptions.abort(message);
  }
}

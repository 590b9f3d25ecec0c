package io.multihome.agent.netlink;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How a kernel test reacts to a missing kernel feature: skipped with the feature named on the
 * development kernel, but a failure in the kernel-VM tier (docs/kernel-vm.md), where every feature
 * must exist — so a test can never pass there by skipping.
 */
public final class KernelTier {
  private KernelTier() {}

  /** True when running in the kernel-VM tier ({@code -Dmultihome.kernelvm=true} or KERNEL_VM=1). */
  public static boolean strict() {
    return Boolean.getBoolean("multihome.kernelvm") || "1".equals(System.getenv("KERNEL_VM"));
  }

  /** Skips (or, in the kernel-VM tier, fails) unless {@code present}; {@code missing} names it. */
  public static void require(boolean present, String missing) {
    if (present) {
      return;
    }
    if (strict()) {
      fail("kernel VM tier: " + missing);
    }
    assumeTrue(false, missing);
  }
}

package io.multihome.sriov.sysfs.fake;

import java.io.IOException;
import java.nio.file.Path;

/** The two NICs most tests use: an Intel XXV710 port and a Mellanox ConnectX-5 port. */
public final class FakeNics {
  public static final String INTEL_PF = "0000:3b:00.0";
  public static final String INTEL_IF = "ens1f0";
  public static final String MLX_PF = "0000:5e:00.0";
  public static final String MLX_IF = "ens2f0";

  private FakeNics() {}

  public static FakeKernel intelAndMellanox(Path root) throws IOException {
    return FakeKernel.create(root)
        .addPf(FakeNic.intelXxv710(INTEL_PF, INTEL_IF))
        .addPf(FakeNic.mellanoxConnectX5(MLX_PF, MLX_IF));
  }
}

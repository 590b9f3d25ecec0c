package io.multihome.sriov.sysfs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Performs one write to a sysfs attribute. The real kernel reacts to some writes (creating VFs,
 * binding drivers); a {@link io.multihome.sriov.sysfs.fake.FakeKernel} emulates those reactions on
 * a plain directory tree, so all writes go through this seam.
 */
@FunctionalInterface
public interface SysfsWriter {
  /** Writes {@code value} to the attribute file; the kernel's refusal surfaces as IOException. */
  void write(Path attribute, String value) throws IOException;
}

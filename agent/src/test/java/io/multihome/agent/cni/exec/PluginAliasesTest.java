package io.multihome.agent.cni.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17 item 1: OpenShift Virtualization's {@code cnv-bridge} / {@code cnv-tuning} types. */
class PluginAliasesTest {

  @TempDir Path bin;

  private Path executable(String name) throws Exception {
    Path file = Files.writeString(bin.resolve(name), "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  @Test
  void anAliasRunsTheReferenceBinaryWhenItsOwnNameIsNotInstalled() throws Exception {
    Path bridge = executable("bridge");
    Path tuning = executable("tuning");
    assertThat(ProcessPluginExecutor.findPlugin("cnv-bridge", List.of(bin))).isEqualTo(bridge);
    assertThat(ProcessPluginExecutor.findPlugin("cnv-tuning", List.of(bin))).isEqualTo(tuning);
    assertThat(PluginAliases.all())
        .containsOnly(
            org.assertj.core.api.Assertions.entry("cnv-bridge", "bridge"),
            org.assertj.core.api.Assertions.entry("cnv-tuning", "tuning"));
  }

  @Test
  void aBinaryInstalledUnderTheAliasWins() throws Exception {
    executable("bridge");
    Path own = executable("cnv-bridge");
    assertThat(ProcessPluginExecutor.findPlugin("cnv-bridge", List.of(bin))).isEqualTo(own);
  }

  @Test
  void neitherInstalledNamesBoth() {
    assertThatThrownBy(() -> ProcessPluginExecutor.findPlugin("cnv-bridge", List.of(bin)))
        .isInstanceOf(CniException.class)
        .hasMessage(
            "failed to find plugin \"cnv-bridge\" or the plugin it stands for, \"bridge\", in path ["
                + bin
                + "]");
  }

  @Test
  void otherTypesAreNotAliased() throws Exception {
    executable("bridge");
    assertThatThrownBy(() -> ProcessPluginExecutor.findPlugin("my-bridge", List.of(bin)))
        .hasMessage("failed to find plugin \"my-bridge\" in path [" + bin + "]");
  }
}

package io.multihome.lab.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerProcessesTest {
  @Test
  void argvIsCommandThenArgsAndArgsAloneWithoutACommand() {
    var both = new ContainerBuilder().withCommand("sh", "-c").withArgs("echo hi").build();
    var argsOnly = new ContainerBuilder().withArgs("sleep", "1000").build();
    var neither = new ContainerBuilder().withImage("x").build();
    assertThat(ContainerProcesses.argv(both, Map.of())).containsExactly("sh", "-c", "echo hi");
    assertThat(ContainerProcesses.argv(argsOnly, Map.of())).containsExactly("sleep", "1000");
    assertThat(ContainerProcesses.argv(neither, Map.of())).isEmpty();
  }

  @Test
  void variableReferencesExpandAsKubernetesDoes() {
    var env = Map.of("POD", "web", "PORT", "80");
    assertThat(ContainerProcesses.expand("$(POD):$(PORT)", env)).isEqualTo("web:80");
    assertThat(ContainerProcesses.expand("$(UNKNOWN) stays", env)).isEqualTo("$(UNKNOWN) stays");
    assertThat(ContainerProcesses.expand("$$(POD) is escaped", env)).isEqualTo("$(POD) is escaped");
    assertThat(ContainerProcesses.expand("plain $HOME", env)).isEqualTo("plain $HOME");
  }

  @Test
  void aMissingBinaryGivesRuncsMessage() throws Exception {
    assertThatThrownBy(() -> ContainerProcesses.resolve("no-such-binary-xyz", "/usr/bin:/bin"))
        .hasMessage("exec: \"no-such-binary-xyz\": executable file not found in $PATH");
    assertThatThrownBy(() -> ContainerProcesses.resolve("/no/such/file", "/usr/bin"))
        .hasMessage("exec: \"/no/such/file\": stat /no/such/file: no such file or directory");
    Path dir = Files.createTempDirectory("mh-kubelet-test");
    try {
      Path data = Files.createFile(dir.resolve("data"));
      assertThatThrownBy(() -> ContainerProcesses.resolve(data.toString(), "/usr/bin"))
          .hasMessage("exec: \"" + data + "\": permission denied");
    } finally {
      Files.deleteIfExists(dir.resolve("data"));
      Files.delete(dir);
    }
  }

  @Test
  void binariesAreFoundAlongTheSearchPath() throws Exception {
    Path sh = ContainerProcesses.resolve("sh", ContainerProcesses.IMAGE_PATH);
    assertThat(Files.isExecutable(sh)).isTrue();
    assertThat(ContainerProcesses.searchPath(Map.of("PATH", "/x"))).isEqualTo("/x");
    assertThat(ContainerProcesses.searchPath(Map.of())).startsWith(ContainerProcesses.IMAGE_PATH);
  }

  @Test
  void initSystemsAreRecognisedThroughSymlinks() throws Exception {
    Path dir = Files.createTempDirectory("mh-kubelet-test");
    try {
      Path systemd = Files.createFile(dir.resolve("systemd"));
      Path init = Files.createSymbolicLink(dir.resolve("boot"), systemd);
      Path sleep = Files.createFile(dir.resolve("sleep"));
      assertThat(ContainerProcesses.isInitSystem(init)).isTrue();
      assertThat(ContainerProcesses.isInitSystem(sleep)).isFalse();
    } finally {
      for (var f : List.of("boot", "systemd", "sleep")) {
        Files.deleteIfExists(dir.resolve(f));
      }
      Files.delete(dir);
    }
  }
}

package io.multihome.lab.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CriMessagesTest {
  private static final CriMessages.SandboxCall CALL =
      new CriMessages.SandboxCall(
          "default",
          "web",
          CriMessages.sandboxName("default", "web", "u-1", 2),
          "abc123",
          "multihome-cni-network",
          "multihome-cni");

  @Test
  void pluginErrorIsTheCniErrorObjectWithDetails() {
    assertThat(
            CriMessages.pluginError(1, "{\"code\":7,\"msg\":\"no NAD\",\"details\":\"x/y\"}", ""))
        .isEqualTo("no NAD; x/y");
    assertThat(CriMessages.pluginError(1, "{\"code\":7,\"msg\":\"no NAD\"}", "ignored"))
        .isEqualTo("no NAD");
  }

  @Test
  void pluginErrorFallsBackToStderrThenToTheExitStatus() {
    assertThat(CriMessages.pluginError(2, "", "boom \"x\"\n"))
        .isEqualTo("netplugin failed: \"boom \\\"x\\\"\\n\"");
    assertThat(CriMessages.pluginError(2, " ", ""))
        .isEqualTo("netplugin failed with no error message: exit status 2");
    assertThat(CriMessages.pluginError(1, "not json", ""))
        .startsWith("netplugin failed but error parsing its diagnostic message \"not json\": ");
  }

  @Test
  void pluginNotFoundListsThePathAsGoPrintsASlice() {
    assertThat(CriMessages.pluginNotFound("cnv-bridge", List.of("/opt/cni/bin", "/usr/lib/cni")))
        .isEqualTo("failed to find plugin \"cnv-bridge\" in path [/opt/cni/bin /usr/lib/cni]");
  }

  @Test
  void failedCreatePodSandboxReadsLikeCriO() {
    assertThat(CriMessages.failedCreatePodSandbox(CALL, "no NAD"))
        .isEqualTo(
            "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create pod"
                + " network sandbox k8s_web_default_u-1_2(abc123): error adding pod default_web to"
                + " CNI network \"multihome-cni-network\": plugin type=\"multihome-cni\""
                + " name=\"multihome-cni-network\" failed (add): no NAD");
  }

  @Test
  void failedKillPodQuotesTheRuntimeError() {
    assertThat(CriMessages.failedKillPod(CALL, "u-1", "gone"))
        .isEqualTo(
            "error killing pod: failed to \"KillPodSandbox\" for \"u-1\" with KillPodSandboxError:"
                + " \"rpc error: code = Unknown desc = failed to destroy network for pod sandbox"
                + " k8s_web_default_u-1_2(abc123): error removing pod default_web from CNI network"
                + " \\\"multihome-cni-network\\\": plugin type=\\\"multihome-cni\\\""
                + " name=\\\"multihome-cni-network\\\" failed (delete): gone\"");
  }

  @Test
  void containerCreateFailedWrapsRunc() {
    assertThat(
            CriMessages.containerCreateFailed("exec: \"foo\": executable file not found in $PATH"))
        .isEqualTo(
            "container create failed: runc create failed: unable to start container process:"
                + " exec: \"foo\": executable file not found in $PATH");
  }
}

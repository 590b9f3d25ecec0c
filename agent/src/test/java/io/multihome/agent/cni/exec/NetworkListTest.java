package io.multihome.agent.cni.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NetworkListTest {

  @Test
  void singleConfigBecomesAListOfOneWithInjectedName() throws Exception {
    var list = NetworkList.parse("{\"cniVersion\":\"0.4.0\",\"type\":\"bridge\"}", "nad-name");
    assertThat(list.name()).isEqualTo("nad-name");
    assertThat(list.cniVersion()).isEqualTo("0.4.0");
    assertThat(list.plugins()).hasSize(1);
  }

  @Test
  void cniVersionsPicksTheHighestSupported() throws Exception {
    var list =
        NetworkList.parse(
            "{\"cniVersions\":[\"0.4.0\",\"1.1.0\",\"9.9.9\"],\"name\":\"n\",\"plugins\":[{\"type\":\"x\"}]}",
            null);
    assertThat(list.cniVersion()).isEqualTo("1.1.0");
  }

  @Test
  void invalidConfigsAreRejectedWithTheReason() {
    assertThatThrownBy(() -> NetworkList.parse("{", "n")).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> NetworkList.parse("{\"type\":\"x\"}", null))
        .hasMessageContaining("no \"name\"");
    assertThatThrownBy(() -> NetworkList.parse("{\"name\":\"n\",\"plugins\":[]}", null))
        .hasMessageContaining("\"plugins\" must be a non-empty list");
    assertThatThrownBy(
            () -> NetworkList.parse("{\"name\":\"n\",\"plugins\":[{\"ipam\":{}}]}", null))
        .hasMessageContaining("plugins[0] has no \"type\"");
    assertThatThrownBy(() -> NetworkList.parse("{\"name\":\"n\",\"type\":\"/usr/bin/x\"}", null))
        .isInstanceOf(CniException.class)
        .hasMessageContaining("CVE-2021-20206");
  }

  @Test
  void pluginConfigGetsRuntimeFieldsAndOnlyDeclaredCapabilities() throws Exception {
    var list =
        NetworkList.parse(
            "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[{\"type\":\"a\",\"capabilities\":{\"mac\":true},"
                + "\"runtimeConfig\":{\"forged\":1},\"args\":{\"cni\":{\"keep\":1,\"mac\":\"nad\"}}},{\"type\":\"b\"}]}",
            null);
    var args = RuntimeArgs.none();
    args.capabilityArgs().put("mac", "02:00:00:00:00:09").put("ips", "x");
    args.cniArgs().put("mac", "02:00:00:00:00:09");
    var om = new ObjectMapper();
    var first =
        om.readTree(
            new String(
                NetworkListRunner.pluginConfig(list, list.plugins().get(0), args, null),
                StandardCharsets.UTF_8));
    assertThat(first.path("name").asText()).isEqualTo("n");
    assertThat(first.path("cniVersion").asText()).isEqualTo("1.0.0");
    assertThat(first.has("capabilities")).isFalse();
    assertThat(first.path("runtimeConfig").toString()).isEqualTo("{\"mac\":\"02:00:00:00:00:09\"}");
    assertThat(first.path("args").path("cni").toString())
        .isEqualTo("{\"keep\":1,\"mac\":\"02:00:00:00:00:09\"}");
    var second =
        om.readTree(
            NetworkListRunner.pluginConfig(
                list, list.plugins().get(1), args, om.createObjectNode()));
    assertThat(second.has("runtimeConfig")).isFalse();
    assertThat(second.has("prevResult")).isTrue();
  }

  @Test
  void pluginLookupRefusesPathsAndReportsMissingBinaries() {
    assertThatThrownBy(() -> ProcessPluginExecutor.findPlugin("..", java.util.List.of()))
        .hasMessageContaining("path separator");
    assertThatThrownBy(
            () ->
                ProcessPluginExecutor.findPlugin(
                    "nope", java.util.List.of(java.nio.file.Path.of("/usr/lib/cni"))))
        .hasMessageContaining("failed to find plugin \"nope\"");
  }
}

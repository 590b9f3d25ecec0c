package io.multihome.agent.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.agent.cni.shim.CniShim;
import io.multihome.api.whereabouts.IPPool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shim invoked as {@code whereabouts} (as macvlan execs its IPAM: the main plugin's CNI
 * environment and whole config) reaches the IPAM socket and prints an IPAM result.
 */
@EnableKubernetesMockClient(crud = true)
class IpamShimMockApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  KubernetesClient client;
  @TempDir Path tmp;
  private IpamDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    daemon =
        IpamDaemon.start(
            client,
            tmp.resolve("ipam.sock"),
            IpamDaemon.Options.defaults().withFlatFiles(List.of()));
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  record Out(int exit, JsonNode json, String text) {}

  private Out shim(String invokedAs, String command, String containerId, String args, String config)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", containerId);
    env.put("CNI_NETNS", "/run/netns/none");
    env.put("CNI_IFNAME", "net1");
    env.put("CNI_PATH", "/opt/cni/bin");
    env.put("CNI_ARGS", args);
    env.put(CniShim.IPAM_SOCKET_ENV, daemon.socket().toString());
    env.put(CniShim.SOCKET_ENV, tmp.resolve("not-this-one.sock").toString());
    var buffer = new ByteArrayOutputStream();
    int exit =
        CniShim.run(
            invokedAs, env, config.getBytes(StandardCharsets.UTF_8), new PrintStream(buffer, true));
    String text = buffer.toString(StandardCharsets.UTF_8);
    return new Out(exit, text.isEmpty() ? null : JSON.readTree(text), text);
  }

  private static String macvlan(String version, String ipam) {
    return "{\"cniVersion\":\""
        + version
        + "\",\"name\":\"macvlan1\",\"type\":\"macvlan\",\"master\":\"eth1\",\"ipam\":"
        + ipam
        + "}";
  }

  private static final String POD = "IgnoreUnknown=true;K8S_POD_NAMESPACE=apps;K8S_POD_NAME=web";

  @Test
  void addCheckDelAsTheIpamOfAMainPlugin() throws Exception {
    String conf =
        macvlan(
            "0.3.1",
            "{\"type\":\"whereabouts\",\"range\":\"198.18.70.0/24\",\"gateway\":\"198.18.70.254\","
                + "\"routes\":[{\"dst\":\"203.0.113.0/24\"}]}");
    Out add = shim("whereabouts", "ADD", "c1", POD, conf);
    assertThat(add.exit()).as(add.text()).isZero();
    assertThat(add.json().path("cniVersion").asText()).isEqualTo("0.3.1");
    JsonNode ip = add.json().path("ips").get(0);
    assertThat(ip.path("address").asText()).isEqualTo("198.18.70.1/24");
    assertThat(ip.path("gateway").asText()).isEqualTo("198.18.70.254");
    assertThat(ip.path("version").asText()).as("0.3.x results carry it").isEqualTo("4");
    assertThat(add.json().path("routes").get(0).path("dst").asText()).isEqualTo("203.0.113.0/24");
    assertThat(
            client
                .resources(IPPool.class)
                .inNamespace("kube-system")
                .withName("198.18.70.0-24")
                .get())
        .isNotNull();

    assertThat(shim("whereabouts", "CHECK", "c1", POD, conf).exit()).isZero();
    assertThat(shim("whereabouts", "DEL", "c1", POD, conf).exit()).isZero();
    Out check = shim("whereabouts", "CHECK", "c1", POD, conf);
    assertThat(check.exit()).isEqualTo(1);
    assertThat(check.json().path("msg").asText()).contains("no address of apps/web (net1)");
    assertThat(shim("whereabouts", "DEL", "c1", POD, conf).exit()).as("DEL again").isZero();
  }

  @Test
  void legacyVersionsGetIp4AndIp6() throws Exception {
    String conf =
        macvlan(
            "0.2.0",
            "{\"type\":\"whereabouts\",\"ipRanges\":[{\"range\":\"198.18.71.0/24\"},"
                + "{\"range\":\"2001:db8:71::/64\"}]}");
    Out add = shim("whereabouts", "ADD", "c2", POD, conf);
    assertThat(add.exit()).as(add.text()).isZero();
    assertThat(add.json().path("ip4").path("ip").asText()).isEqualTo("198.18.71.1/24");
    assertThat(add.json().path("ip6").path("ip").asText()).isEqualTo("2001:db8:71::1/64");
  }

  @Test
  void errorsAreCniErrorObjectsAndDelAlwaysSucceeds() throws Exception {
    Out bad = shim("whereabouts", "ADD", "c3", POD, macvlan("1.0.0", "{\"type\":\"whereabouts\"}"));
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.json().path("code").asInt()).isEqualTo(7);
    assertThat(bad.json().path("msg").asText()).contains("ipam.range: no range configured");
    assertThat(
            shim("whereabouts", "DEL", "c3", POD, macvlan("1.0.0", "{\"type\":\"whereabouts\"}"))
                .exit())
        .isZero();

    Out noPod =
        shim(
            "whereabouts",
            "ADD",
            "c4",
            "IgnoreUnknown=1",
            macvlan("1.0.0", "{\"type\":\"whereabouts\",\"range\":\"198.18.72.0/24\"}"));
    assertThat(noPod.json().path("code").asInt()).isEqualTo(4);
    assertThat(noPod.json().path("msg").asText()).contains("no K8S_POD_NAMESPACE/K8S_POD_NAME");

    Out version = shim("whereabouts", "VERSION", "", "", "{}");
    assertThat(version.json().path("supportedVersions").toString()).contains("0.2.0", "1.1.0");
  }

  @Test
  void underItsOwnNameTheShimStillTalksToTheAttachmentSocket() throws Exception {
    Out add =
        shim(
            "multihome-cni",
            "ADD",
            "c5",
            POD,
            macvlan("1.0.0", "{\"type\":\"whereabouts\",\"range\":\"198.18.73.0/24\"}"));
    assertThat(add.exit()).isEqualTo(1);
    assertThat(add.json().path("code").asInt()).isEqualTo(11);
    assertThat(add.json().path("msg").asText()).contains("not-this-one.sock");
  }
}

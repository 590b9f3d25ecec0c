package io.multihome.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkStatusBuilderTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static Delegate delegate(
      String network, boolean cluster, String ifname, String deviceId, List<String> gw) {
    ObjectNode top = F.objectNode();
    if (deviceId != null) {
      top.put("deviceID", deviceId);
    }
    return new Delegate(
        network, cluster, ifname, "{}", F.objectNode(), F.objectNode(), top, List.of(), null, gw);
  }

  private static ObjectNode json(String s) throws Exception {
    return (ObjectNode) JSON.readTree(s);
  }

  @Test
  void oneEntryPerDelegateFromTheFirstSandboxInterface() throws Exception {
    var cluster =
        json(
            """
            {"cniVersion":"1.0.0","interfaces":[{"name":"cni0","mac":"02:00:00:00:00:aa"},
              {"name":"eth0","mac":"02:00:00:00:00:01","sandbox":"/run/netns/p","mtu":1450}],
             "ips":[{"address":"198.18.0.5/24","interface":1},{"address":"198.18.0.1/24","interface":0}],
             "dns":{"nameservers":["198.18.0.53"],"domain":"cluster.local","search":["svc"]}}
            """);
    var sriov =
        json(
            """
            {"cniVersion":"0.3.1","interfaces":[{"name":"net1","sandbox":"/run/netns/p"}],
             "ips":[{"version":"6","address":"2001:db8::5/64","interface":0}]}
            """);
    String status =
        NetworkStatusBuilder.build(
            List.of(
                delegate("cluster", true, "eth0", null, null),
                delegate("ns/sriov", false, "net1", "0000:03:00.1", List.of("2001:db8::1"))),
            List.of(cluster, sriov));
    assertThat(JSON.readTree(status))
        .isEqualTo(
            JSON.readTree(
                """
                [{"name":"cluster","interface":"eth0","ips":["198.18.0.5"],"mac":"02:00:00:00:00:01",
                  "mtu":1450,"default":true,
                  "dns":{"nameservers":["198.18.0.53"],"domain":"cluster.local","search":["svc"]}},
                 {"name":"ns/sriov","interface":"net1","ips":["2001:db8::5"],"default":false,
                  "dns":{},"default-route":["2001:db8::1"],
                  "device-info":{"type":"pci","version":"1.1.0","pci":{"pci-address":"0000:03:00.1"}}}]
                """));
  }

  @Test
  void deviceInfoFromTheFileThenTheResultsPciIdThenTheDeviceId() throws Exception {
    var result =
        json(
            """
            {"cniVersion":"1.1.0","interfaces":[{"name":"net1","sandbox":"/run/netns/p",
              "pciID":"0000:5E:00.4"}]}
            """);
    var plain =
        json("{\"cniVersion\":\"1.1.0\",\"interfaces\":[{\"name\":\"net2\",\"sandbox\":\"/p\"}]}");
    var file = json("{\"type\":\"vdpa\",\"version\":\"1.1.0\",\"vdpa\":{\"driver\":\"vhost\"}}");
    var withId = delegate("n/a", false, "net1", "0000:03:00.1", null);
    String status =
        NetworkStatusBuilder.build(
            List.of(
                withId,
                delegate("n/b", false, "net2", "0000:03:00.2", null),
                delegate("n/c", false, "net3", "0000:03:00.3", null),
                delegate("n/d", false, "net4", "not-a-pci-address", null)),
            List.of(result, plain, result, plain),
            Arrays.asList(null, null, file));
    var node = JSON.readTree(status);
    assertThat(node.get(0).path("device-info").path("pci").path("pci-address").asText())
        .as("the result's pciID, lower-cased")
        .isEqualTo("0000:5e:00.4");
    assertThat(node.get(1).path("device-info").path("pci").path("pci-address").asText())
        .isEqualTo("0000:03:00.2");
    assertThat(node.get(1).path("device-info").path("type").asText()).isEqualTo("pci");
    assertThat(node.get(2).path("device-info")).isEqualTo(file);
    assertThat(node.get(3).has("device-info")).isFalse();
  }

  @Test
  void legacyResultsAndMissingResultsStillGetAnEntry() throws Exception {
    var legacy = json("{\"cniVersion\":\"0.2.0\",\"ip4\":{\"ip\":\"203.0.113.7/24\"}}");
    String status =
        NetworkStatusBuilder.build(
            List.of(
                delegate("c", true, "eth0", null, null),
                delegate("n/x", false, "net1", null, null)),
            Arrays.asList(legacy, null));
    var node = JSON.readTree(status);
    assertThat(node.get(0).path("ips").get(0).asText()).isEqualTo("203.0.113.7");
    assertThat(node.get(1).path("interface").asText()).isEqualTo("net1");
    assertThat(node.get(1).has("ips")).isFalse();
  }

  @Test
  void resultConversionBetweenVersions() throws Exception {
    var v031 =
        json(
            "{\"cniVersion\":\"0.3.1\",\"ips\":[{\"version\":\"4\",\"address\":\"198.18.0.5/24\"}]}");
    var to100 = CniResults.convert(v031, "1.0.0");
    assertThat(to100.toString())
        .isEqualTo("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"198.18.0.5/24\"}]}");
    var back = CniResults.convert(to100, "0.4.0");
    assertThat(back.path("ips").get(0).path("version").asText()).isEqualTo("4");
  }
}

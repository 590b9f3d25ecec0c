package io.multihome.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attachment path against the real reference plugins, in throwaway namespaces. */
class AttachmentKernelTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private KernelFixture k;
  private CniHarness h;

  @BeforeEach
  void setUp() throws Exception {
    k = new KernelFixture();
    h = CniHarness.referencePlugins(tmp, k);
  }

  @AfterEach
  void tearDown() {
    if (k != null) {
      k.close();
    }
  }

  static String clusterConflist(Path tmp) {
    return """
        {"cniVersion":"1.0.0","name":"cluster","plugins":[
          {"type":"bridge","bridge":"mhc0","isGateway":true,
           "ipam":{"type":"host-local","dataDir":"%s",
                   "ranges":[[{"subnet":"198.18.0.0/24"}]],
                   "routes":[{"dst":"0.0.0.0/0"}]}}]}
        """
        .formatted(tmp.resolve("ipam-cluster"));
  }

  private String bridgeNad(String bridge, String subnet, String start, String end) {
    return """
        {"cniVersion":"1.0.0","plugins":[
          {"type":"bridge","bridge":"%s",
           "ipam":{"type":"host-local","dataDir":"%s",
                   "ranges":[[{"subnet":"%s","rangeStart":"%s","rangeEnd":"%s"}]]}},
          {"type":"tuning","dataDir":"%s","mtu":1400,"sysctl":{"net.ipv4.conf.IFNAME.arp_ignore":"1"}}]}
        """
        .formatted(
            bridge, tmp.resolve("ipam-" + bridge), subnet, start, end, tmp.resolve("tuning"));
  }

  private String pod(String name, String netns, String annotation) throws Exception {
    h.pod("apps", name, "uid-" + name, annotation);
    var response = h.call("ADD", "cid-" + name, KernelFixture.path(netns).toString(), "apps", name);
    assertThat(response.exitCode()).as(CniHarness.text(response)).isZero();
    return CniHarness.text(response);
  }

  private String addressOf(String netns, String ifname) throws Exception {
    String out = k.ip(netns, "-4", "-o", "addr", "show", "dev", ifname);
    return out.split("inet ")[1].split("/")[0];
  }

  @Test
  void twoPodsOnOneBridgeNadPingEachOtherAndDelLeavesNothing() throws Exception {
    h.nads.put(
        "apps", "blue", bridgeNad("mhblue", "198.18.10.0/24", "198.18.10.10", "198.18.10.50"));
    String p1 = k.newNamespace("p1");
    String p2 = k.newNamespace("p2");
    String result = pod("a", p1, "blue");
    pod("b", p2, "apps/blue@data0");

    // The runtime gets the cluster network's result; secondary interfaces exist as requested.
    var json = JSON.readTree(result);
    assertThat(json.path("ips").get(0).path("address").asText()).startsWith("198.18.0.");
    assertThat(k.links(p1)).contains("eth0", "net1");
    assertThat(k.links(p2)).contains("eth0", "data0");
    // tuning ran in the chain with prevResult: MTU and sysctl applied on the secondary interface.
    assertThat(k.ip(p1, "link", "show", "dev", "net1")).contains("mtu 1400");
    assertThat(
            KernelFixture.run(
                    List.of(
                        "ip",
                        "netns",
                        "exec",
                        p1,
                        "cat",
                        "/proc/sys/net/ipv4/conf/net1/arp_ignore"))
                .strip())
        .isEqualTo("1");
    assertThat(k.ping(p1, addressOf(p2, "data0"))).isTrue();
    assertThat(k.ping(p2, addressOf(p1, "net1"))).isTrue();

    // network-status: cluster entry default:true, then apps/blue with interface, ips, mac.
    var status = JSON.readTree(h.published.get("apps/a"));
    assertThat(status).hasSize(2);
    assertThat(status.get(0).path("name").asText()).isEqualTo("cluster");
    assertThat(status.get(0).path("default").asBoolean()).isTrue();
    assertThat(status.get(1).path("name").asText()).isEqualTo("apps/blue");
    assertThat(status.get(1).path("interface").asText()).isEqualTo("net1");
    assertThat(status.get(1).path("ips").get(0).asText()).isEqualTo(addressOf(p1, "net1"));
    assertThat(status.get(1).path("mac").asText()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    assertThat(status.get(1).path("default").asBoolean()).isFalse();

    assertThat(leases("mhblue")).hasSize(2);
    var del = h.call("DEL", "cid-a", KernelFixture.path(p1).toString(), "apps", "a");
    assertThat(del.exitCode()).as(CniHarness.text(del)).isZero();
    assertThat(k.links(p1)).containsExactly("lo");
    // Pod b's sandbox is already gone: DEL comes without CNI_NETNS and must still free the leases.
    k.delete(p2);
    var delGone = h.call("DEL", "cid-b", null, "apps", "b");
    assertThat(delGone.exitCode()).as(CniHarness.text(delGone)).isZero();
    assertThat(leases("mhblue")).isEmpty();
    assertThat(leases("cluster")).isEmpty();
    assertThat(k.links(k.node)).noneMatch(l -> l.startsWith("veth"));
    assertThat(Files.list(h.stateDir).toList()).isEmpty();
  }

  @Test
  void podsOnDifferentNadsCannotReachEachOther() throws Exception {
    // Same subnet, different bridges: only L2 separation keeps them apart.
    h.nads.put("apps", "red", bridgeNad("mhred", "198.18.20.0/24", "198.18.20.10", "198.18.20.50"));
    h.nads.put(
        "apps", "green", bridgeNad("mhgreen", "198.18.20.0/24", "198.18.20.100", "198.18.20.150"));
    h.nads.put(
        "apps", "red2", bridgeNad("mhred", "198.18.20.0/24", "198.18.20.60", "198.18.20.90"));
    String p1 = k.newNamespace("p1");
    String p2 = k.newNamespace("p2");
    String p3 = k.newNamespace("p3");
    pod("r", p1, "red");
    pod("g", p2, "green");
    pod("r2", p3, "red2");
    assertThat(k.ping(p1, addressOf(p3, "net1"))).as("control: same bridge").isTrue();
    assertThat(k.ping(p1, addressOf(p2, "net1"))).isFalse();
    assertThat(k.ping(p2, addressOf(p1, "net1"))).isFalse();
  }

  @Test
  void macvlanWithStaticSbrAndDefaultRoute() throws Exception {
    k.ip(k.node, "link", "add", "up0", "type", "veth", "peer", "name", "up0p");
    k.ip(k.node, "link", "set", "up0", "up");
    k.ip(k.node, "link", "set", "up0p", "up");
    h.nads.put(
        "apps",
        "mv",
        """
        {"cniVersion":"1.0.0","name":"mv","plugins":[
          {"type":"macvlan","master":"up0","mode":"bridge",
           "capabilities":{"ips":true,"mac":true},
           "ipam":{"type":"static"}},
          {"type":"sbr"}]}
        """);
    String p1 = k.newNamespace("p1");
    String p2 = k.newNamespace("p2");
    String result =
        pod(
            "m1",
            p1,
            "[{\"name\":\"mv\",\"interface\":\"ext0\",\"ips\":[\"203.0.113.10/24\"],"
                + "\"mac\":\"02:00:cb:00:71:0a\",\"default-route\":[\"203.0.113.1\"]}]");
    pod("m2", p2, "[{\"name\":\"mv\",\"ips\":[\"203.0.113.11/24\"]}]");

    assertThat(addressOf(p1, "ext0")).isEqualTo("203.0.113.10");
    assertThat(k.ip(p1, "link", "show", "dev", "ext0")).contains("02:00:cb:00:71:0a");
    // default-route moved: the only default route is via the macvlan gateway.
    String routes = k.ip(p1, "-4", "route", "show", "default");
    assertThat(routes.strip()).isEqualTo("default via 203.0.113.1 dev ext0 onlink");
    assertThat(JSON.readTree(result).path("routes").toString()).doesNotContain("0.0.0.0/0");
    // sbr ran chained: source rule for the static address.
    assertThat(k.ip(p1, "rule", "show")).contains("from 203.0.113.10 lookup 100");
    // sbr moved the subnet route into table 100: traffic sourced from the static address uses it.
    assertThat(k.ping(p1, "203.0.113.11", "203.0.113.10")).isTrue();
    var status = JSON.readTree(h.published.get("apps/m1"));
    assertThat(status.get(1).path("default-route").get(0).asText()).isEqualTo("203.0.113.1");

    assertThat(h.call("DEL", "cid-m1", KernelFixture.path(p1).toString(), "apps", "m1").exitCode())
        .isZero();
    assertThat(k.links(p1)).containsExactly("lo");
    assertThat(k.ip(p1, "rule", "show")).doesNotContain("203.0.113.10");
  }

  @Test
  void delWorksWithTheApiDownAndWithNeitherStateNorPod() throws Exception {
    h.nads.put(
        "apps", "blue", bridgeNad("mhblue", "198.18.10.0/24", "198.18.10.10", "198.18.10.50"));
    String p1 = k.newNamespace("p1");
    pod("a", p1, "blue");
    h.nads.setAvailable(false);
    h.podsAvailable = false;
    var add =
        h.call("ADD", "cid-x", KernelFixture.path(k.newNamespace("p2")).toString(), "apps", "a");
    assertThat(add.exitCode()).isEqualTo(1);
    assertThat(CniHarness.text(add)).contains("\"code\":11").contains("API down");

    var del = h.call("DEL", "cid-a", KernelFixture.path(p1).toString(), "apps", "a");
    assertThat(del.exitCode()).as(CniHarness.text(del)).isZero();
    assertThat(k.links(p1)).containsExactly("lo");
    assertThat(leases("mhblue")).isEmpty();
    // Repeated DEL (spec: idempotent) and DEL of something never seen both succeed.
    assertThat(h.call("DEL", "cid-a", null, "apps", "a").exitCode()).isZero();
    assertThat(h.call("DEL", "cid-never", null, "apps", "ghost").exitCode()).isZero();
  }

  @Test
  void failedAddRollsBackEverythingAlreadyAdded() throws Exception {
    h.nads.put(
        "apps", "blue", bridgeNad("mhblue", "198.18.10.0/24", "198.18.10.10", "198.18.10.50"));
    // Second network asks for an address outside the host-local range: host-local refuses.
    String p1 = k.newNamespace("p1");
    h.pod(
        "apps",
        "f",
        "uid-f",
        "[{\"name\":\"blue\"},{\"name\":\"blue\",\"ips\":[\"198.18.99.9/24\"]}]");
    var add = h.call("ADD", "cid-f", KernelFixture.path(p1).toString(), "apps", "f");
    assertThat(add.exitCode()).isEqualTo(1);
    assertThat(CniHarness.text(add))
        .contains("error adding container to network \\\"apps/blue\\\" (net2)");
    assertThat(k.links(p1)).containsExactly("lo");
    assertThat(leases("mhblue")).isEmpty();
    assertThat(leases("cluster")).isEmpty();
  }

  @Test
  void interfaceNameAlreadyPresentInThePodFailsAndRollsBack() throws Exception {
    h.nads.put(
        "apps", "blue", bridgeNad("mhblue", "198.18.10.0/24", "198.18.10.10", "198.18.10.50"));
    String p1 = k.newNamespace("p1");
    k.ip(p1, "link", "add", "data0", "type", "veth", "peer", "name", "data0p");
    h.pod("apps", "t", "uid-t", "blue@data0");
    var add = h.call("ADD", "cid-t", KernelFixture.path(p1).toString(), "apps", "t");
    assertThat(add.exitCode()).isEqualTo(1);
    assertThat(CniHarness.text(add)).contains("cannot add interface data0: it already exists");
    assertThat(k.links(p1)).containsExactlyInAnyOrder("lo", "data0", "data0p");
    assertThat(leases("mhblue")).isEmpty();
    assertThat(leases("cluster")).isEmpty();
  }

  private List<Path> leases(String network) throws Exception {
    Path dir = tmp.resolve("ipam-" + (network.equals("cluster") ? "cluster" : network));
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().matches("[0-9a-f.:]+"))
          .toList();
    }
  }
}

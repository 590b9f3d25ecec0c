package io.multihome.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.agent.cni.daemon.CniDaemon;
import io.multihome.agent.cni.daemon.CniResponse;
import io.multihome.agent.cni.ipam.IpamDaemon;
import io.multihome.agent.cni.nad.NamespacePolicy;
import io.multihome.api.whereabouts.IPPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's macvlan NAD with {@code "ipam": {"type": "whereabouts"}} through the real macvlan
 * plugin: the daemon execs macvlan (in the node namespace), macvlan execs {@code whereabouts} from
 * CNI_PATH — the shim wrapper under that name — which asks the daemon's IPAM socket; the pools are
 * in the (mock) API.
 */
@EnableKubernetesMockClient(crud = true)
class WhereaboutsKernelTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  KubernetesClient client;
  @TempDir Path tmp;
  private KernelFixture k;
  private IpamDaemon ipam;
  private CniHarness h;

  @BeforeEach
  void setUp() throws Exception {
    k = new KernelFixture("mh-wba");
    k.ip(k.node, "link", "add", "eth1", "type", "veth", "peer", "name", "eth1peer");
    k.ip(k.node, "link", "set", "eth1", "up");
    k.ip(k.node, "link", "set", "eth1peer", "up");
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("whereabouts"), ShimKernelTest.WRAPPER);
    var settings =
        new CniDaemon.Settings(
                tmp.resolve("run/cni.sock"),
                tmp.resolve("state"),
                List.of(bin, KernelFixture.CNI_BIN),
                tmp.resolve("multus.d"),
                NamespacePolicy.open(),
                "kube-system",
                KernelFixture.path(k.node),
                8,
                Duration.ofSeconds(60),
                Duration.ofSeconds(2),
                Map.of())
            .withPluginEnv(
                Map.of(
                    "MULTIHOME_HOME",
                    "/nonexistent",
                    "MULTIHOME_SHIM_CP",
                    ShimKernelTest.CLASSES.toString()));
    ipam =
        IpamDaemon.start(
            client, settings.ipamSocket(), IpamDaemon.Options.defaults().withFlatFiles(List.of()));
    h =
        new CniHarness(
            tmp,
            CniDaemon.executor(settings, CniDaemon.Extras.defaults()),
            settings.cniPath(),
            AttachmentKernelTest.clusterConflist(tmp));
    // The seed's net-attach.yml (master and range adapted to the lab), unchanged otherwise.
    h.nads.put(
        "default",
        "macvlan1",
        """
        {"cniVersion":"0.3.1","type":"macvlan","master":"eth1","mode":"bridge",
         "ipam":{"type":"whereabouts","range":"198.18.70.0/24"}}
        """);
    h.nads.put(
        "default",
        "dual",
        """
        {"cniVersion":"1.0.0","type":"macvlan","master":"eth1","mode":"bridge",
         "ipam":{"type":"whereabouts","ipRanges":[{"range":"198.18.71.0/24"},
                 {"range":"2001:db8:71::/64"}]}}
        """);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (ipam != null) {
      ipam.close();
    }
    if (k != null) {
      k.close();
    }
  }

  private record Sandbox(String netns, String containerId) {}

  private Sandbox add(String pod, String networks) throws Exception {
    h.pod("default", pod, "uid-" + pod, networks);
    String netns = k.newNamespace("pod");
    CniResponse r =
        h.call("ADD", "ctr-" + pod, KernelFixture.path(netns).toString(), "default", pod);
    assertThat(r.exitCode()).as(CniHarness.text(r)).isZero();
    return new Sandbox(netns, "ctr-" + pod);
  }

  private List<String> addresses(String netns, String ifname) throws Exception {
    var out = new ArrayList<String>();
    for (JsonNode link : JSON.readTree(k.ip(netns, "-j", "addr", "show", "dev", ifname))) {
      for (JsonNode a : link.path("addr_info")) {
        if (!a.path("scope").asText().equals("link")) {
          out.add(a.path("local").asText() + "/" + a.path("prefixlen").asInt());
        }
      }
    }
    return out;
  }

  private java.util.Map<String, ?> allocations(String pool) {
    IPPool p = client.resources(IPPool.class).inNamespace("kube-system").withName(pool).get();
    return p == null ? Map.of() : p.getSpec().getAllocations();
  }

  @Test
  void macvlanExecsWhereaboutsAndPodsOnTheNetworkGetDistinctAddresses() throws Exception {
    Sandbox a = add("nginx-1", "macvlan1");
    Sandbox b = add("nginx-2", "macvlan1");
    assertThat(addresses(a.netns(), "net1")).containsExactly("198.18.70.1/24");
    assertThat(addresses(b.netns(), "net1")).containsExactly("198.18.70.2/24");
    assertThat(k.ping(a.netns(), "198.18.70.2")).as("macvlan bridge mode, same master").isTrue();
    assertThat(allocations("198.18.70.0-24")).containsOnlyKeys("1", "2");
    assertThat(h.published.get("default/nginx-1")).contains("198.18.70.1");

    Sandbox c = add("client", "[{\"name\":\"macvlan1\",\"ips\":[\"198.18.70.50/24\"]}]");
    assertThat(addresses(c.netns(), "net1")).containsExactly("198.18.70.50/24");

    CniResponse del =
        h.call(
            "DEL", a.containerId(), KernelFixture.path(a.netns()).toString(), "default", "nginx-1");
    assertThat(del.exitCode()).as(CniHarness.text(del)).isZero();
    assertThat(allocations("198.18.70.0-24")).containsOnlyKeys("2", "50");
    Sandbox d = add("nginx-3", "macvlan1");
    assertThat(addresses(d.netns(), "net1")).containsExactly("198.18.70.1/24");
  }

  @Test
  void requestedAddressInUseFailsTheAddAndLeavesNothingBehind() throws Exception {
    add("first", "[{\"name\":\"macvlan1\",\"ips\":[\"198.18.70.60/24\"]}]");
    h.pod(
        "default",
        "second",
        "uid-second",
        "[{\"name\":\"macvlan1\",\"ips\":[\"198.18.70.60/24\"]}]");
    String netns = k.newNamespace("pod");
    CniResponse r =
        h.call("ADD", "ctr-second", KernelFixture.path(netns).toString(), "default", "second");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(CniHarness.text(r))
        .contains("cannot assign 198.18.70.60: it is in use by default/first");
    assertThat(k.links(netns)).containsExactly("lo");
    assertThat(allocations("198.18.70.0-24")).containsOnlyKeys("60");
  }

  /** multihome-cni-install puts the shim under the IPAM name too; the name picks its role. */
  @Test
  void theInstalledWhereaboutsIsTheShimAnsweringAsIpam() throws Exception {
    ShimKernelTest.Installed installed = ShimKernelTest.install(tmp.resolve("install"), false);
    Path whereabouts = installed.wrapper().resolveSibling("whereabouts");
    assertThat(Files.isSymbolicLink(whereabouts)).isTrue();
    assertThat(Files.readSymbolicLink(whereabouts)).hasToString("multihome-cni");
    var version = Map.of("CNI_COMMAND", "VERSION", "MULTIHOME_HOME", installed.home().toString());
    assertThat(exec(whereabouts, version)).as("IPAM versions").contains("\"0.2.0\"");
    assertThat(exec(installed.wrapper(), version)).doesNotContain("\"0.2.0\"").contains("1.1.0");
  }

  private static String exec(Path binary, Map<String, String> env) throws Exception {
    var pb = new ProcessBuilder(binary.toString()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @Test
  void dualStackRangesGiveBothFamilies() throws Exception {
    Sandbox a = add("dual-1", "dual");
    Sandbox b = add("dual-2", "dual");
    assertThat(addresses(a.netns(), "net1"))
        .containsExactlyInAnyOrder("198.18.71.1/24", "2001:db8:71::1/64");
    assertThat(addresses(b.netns(), "net1"))
        .containsExactlyInAnyOrder("198.18.71.2/24", "2001:db8:71::2/64");
    assertThat(allocations("2001-db8-71---64")).containsOnlyKeys("1", "2");
  }
}

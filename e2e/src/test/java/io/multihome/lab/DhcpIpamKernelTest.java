package io.multihome.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.multihome.agent.cni.daemon.CniDaemon;
import io.multihome.agent.cni.daemon.CniRequest;
import io.multihome.agent.cni.daemon.CniResponse;
import io.multihome.agent.cni.daemon.PodSource;
import io.multihome.agent.cni.dhcp.DhcpDaemonSupervisor;
import io.multihome.agent.cni.nad.InMemoryNetworkSource;
import io.multihome.agent.cni.nad.NamespacePolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 5: {@code "ipam": {"type": "dhcp"}} against a real DHCP server. A fabric namespace
 * runs {@link LabDhcpServer} (dnsmasq) on its bridge; a node namespace has {@code eth1} cabled to
 * it and the agent's CNI daemon with its supervised {@code dhcp daemon} (inside the node namespace,
 * on a socket of its own, which the daemon tells the plugin through {@code daemonSocketPath}). Pods
 * get leases through macvlan and through the OpenShift document's host-device NAD, unchanged; the
 * DHCP daemon killed is restarted and the next ADD works.
 */
class DhcpIpamKernelTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CNI_BIN = Path.of("/usr/lib/cni");

  /**
   * /work/shared/seed-examples/s000-multus-hostdevice/nad-example.yaml (the OpenShift Multus
   * document's host-device NAD, device ens4 -> eth1), spec.config verbatim.
   */
  private static final String SEED_HOST_DEVICE_NAD =
      """
      {
        "cniVersion": "0.3.1",
        "name": "example",
        "type": "host-device",
        "device": "eth1",
        "ipam": {
          "type": "dhcp"
        }
      }""";

  @TempDir Path tmp;
  private final List<String> namespaces = new ArrayList<>();
  private String fabric;
  private String node;
  private LabDhcpServer dhcpServer;
  private DhcpDaemonSupervisor dhcpDaemon;
  private CniDaemon cni;
  private final InMemoryNetworkSource nads = new InMemoryNetworkSource();
  private final Map<String, PodSource.Pod> pods = new ConcurrentHashMap<>();
  private Path pluginConfig;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue("0".equals(run("id", "-u").strip()), "needs root (network namespaces)");
    assumeTrue(Files.isExecutable(CNI_BIN.resolve("dhcp")), "no dhcp plugin in " + CNI_BIN);
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/dnsmasq")), "dnsmasq is not installed");
    fabric = namespace("fabric");
    node = namespace("node");
    run("ip", "-n", fabric, "link", "add", "fabric", "type", "bridge");
    run("ip", "-n", fabric, "link", "set", "fabric", "up");
    run("ip", "-n", fabric, "link", "add", "n1", "type", "veth", "peer", "name", "eth1");
    run("ip", "-n", fabric, "link", "set", "eth1", "netns", node);
    run("ip", "-n", fabric, "link", "set", "n1", "master", "fabric", "up");
    run("ip", "-n", node, "link", "set", "eth1", "up");
    dhcpServer =
        LabDhcpServer.start(LabDhcpServer.Settings.lab(fabric, "fabric"), tmp.resolve("dnsmasq"));

    Path nodeNetns = Path.of("/run/netns", node);
    dhcpDaemon =
        DhcpDaemonSupervisor.start(
            DhcpDaemonSupervisor.Settings.defaults(List.of(CNI_BIN))
                .orElseThrow()
                .withSocket(tmp.resolve("dhcp.sock"))
                .withNetns(nodeNetns)
                .withBackoff(
                    Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(60)));
    await().atMost(Duration.ofSeconds(10)).until(dhcpDaemon::serving);

    Path cluster = tmp.resolve("10-cluster.conflist");
    Files.writeString(
        cluster,
        """
        {"cniVersion":"1.0.0","name":"cluster","plugins":[
          {"type":"bridge","bridge":"mhc0","ipam":{"type":"host-local","dataDir":"%s",
           "ranges":[[{"subnet":"198.18.63.0/24"}]]}}]}
        """
            .formatted(tmp.resolve("ipam-cluster")));
    pluginConfig = tmp.resolve("00-multihome-plugin.json");
    Files.writeString(
        pluginConfig,
        "{\"cniVersion\":\"1.0.0\",\"name\":\"multihome\",\"type\":\"multihome-cni\","
            + "\"clusterNetwork\":\""
            + cluster
            + "\"}");
    var settings =
        new CniDaemon.Settings(
            tmp.resolve("cni.sock"),
            tmp.resolve("state"),
            List.of(CNI_BIN),
            tmp.resolve("net.d"),
            NamespacePolicy.open(),
            "kube-system",
            nodeNetns,
            4,
            Duration.ofSeconds(60),
            Duration.ofSeconds(2),
            Map.of());
    cni =
        CniDaemon.start(
            settings,
            nads,
            (ns, name) -> Optional.ofNullable(pods.get(ns + "/" + name)),
            (pod, status) -> {},
            CniDaemon.Extras.defaults().withDhcpSocket(dhcpDaemon.socket()));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (cni != null) {
      cni.close();
    }
    if (dhcpDaemon != null) {
      dhcpDaemon.close();
    }
    if (dhcpServer != null) {
      dhcpServer.close();
    }
    for (String ns : namespaces) {
      try {
        run("ip", "netns", "del", ns);
      } catch (IOException e) {
        System.err.println("cannot delete " + ns + ": " + e.getMessage());
      }
    }
  }

  private String namespace(String role) throws Exception {
    String name = "mh-dhcp-" + role + "-" + UUID.randomUUID().toString().substring(0, 8);
    run("ip", "netns", "add", name);
    namespaces.add(name);
    run("ip", "-n", name, "link", "set", "lo", "up");
    return name;
  }

  private CniResponse call(String command, String pod, String netns) throws IOException {
    var env = new HashMap<String, String>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", "cid-" + pod);
    env.put("CNI_NETNS", Path.of("/run/netns", netns).toString());
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", CNI_BIN.toString());
    env.put(
        "CNI_ARGS",
        "IgnoreUnknown=1;K8S_POD_NAMESPACE=example;K8S_POD_NAME="
            + pod
            + ";K8S_POD_INFRA_CONTAINER_ID=cid-"
            + pod);
    return cni.service().handle(new CniRequest(env, Files.readAllBytes(pluginConfig)));
  }

  private String add(String pod, String nad) throws Exception {
    String netns = namespace("pod");
    pods.put(
        "example/" + pod,
        new PodSource.Pod("uid-" + pod, Map.of("k8s.v1.cni.cncf.io/networks", nad)));
    var add = call("ADD", pod, netns);
    assertThat(add.exitCode()).as(add.text()).isZero();
    return netns;
  }

  private String leasedAddress(String netns) throws Exception {
    String out = run("ip", "-n", netns, "-4", "-o", "addr", "show", "dev", "net1");
    assertThat(out).contains("inet 198.18.64.");
    return out.split("inet ")[1].split("/")[0];
  }

  private boolean ping(String from, String address) throws Exception {
    var p =
        new ProcessBuilder("ip", "netns", "exec", from, "ping", "-c", "1", "-W", "2", address)
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  @Test
  void macvlanWithDhcpIpamGetsALeaseFromTheServer() throws Exception {
    nads.put(
        "example",
        "dhcp-macvlan",
        "{\"cniVersion\":\"0.3.1\",\"type\":\"macvlan\",\"master\":\"eth1\",\"mode\":\"bridge\","
            + "\"ipam\":{\"type\":\"dhcp\"}}");
    String pod = add("a", "dhcp-macvlan");
    String address = leasedAddress(pod);
    String mac =
        run("ip", "-n", pod, "-o", "link", "show", "dev", "net1")
            .split("link/ether ")[1]
            .split(" ")[0];
    assertThat(dhcpServer.leases())
        .anySatisfy(
            lease -> {
              assertThat(lease.ip()).isEqualTo(address);
              assertThat(lease.mac()).isEqualTo(mac);
            });
    assertThat(ping(pod, LabDhcpServer.LAB_SERVER)).isTrue();
    assertThat(run("ip", "-n", pod, "route", "show", "default")).doesNotContain("net1");

    var del = call("DEL", "a", pod);
    assertThat(del.exitCode()).as(del.text()).isZero();
    assertThat(run("ip", "-n", pod, "-o", "link", "show")).doesNotContain("net1");
  }

  @Test
  void theDocumentsHostDeviceNadGetsALeaseAndGivesEth1BackOnDel() throws Exception {
    nads.put("example", "example", SEED_HOST_DEVICE_NAD);
    String pod = add("example", "example");
    // By name: the node's veth to the pod network is "veth" + hex, and "veth1a92…" contains "eth1".
    assertThat(run("ip", "-n", node, "-o", "link", "show"))
        .doesNotContainPattern("(?m)^\\d+: eth1[:@]");
    leasedAddress(pod);
    assertThat(ping(pod, LabDhcpServer.LAB_SERVER)).isTrue();

    var del = call("DEL", "example", pod);
    assertThat(del.exitCode()).as(del.text()).isZero();
    assertThat(run("ip", "-n", node, "-o", "link", "show", "dev", "eth1")).contains("state UP");
  }

  @Test
  void aKilledDhcpDaemonIsRestartedAndTheNextAddWorks() throws Exception {
    nads.put(
        "example",
        "dhcp-macvlan",
        "{\"cniVersion\":\"0.3.1\",\"type\":\"macvlan\",\"master\":\"eth1\",\"mode\":\"bridge\","
            + "\"ipam\":{\"type\":\"dhcp\"}}");
    leasedAddress(add("before", "dhcp-macvlan"));
    long pid = dhcpDaemon.pid().orElseThrow();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> dhcpDaemon.starts() == 2 && dhcpDaemon.serving());
    assertThat(dhcpDaemon.pid().orElseThrow()).isNotEqualTo(pid);
    String pod = add("after", "dhcp-macvlan");
    leasedAddress(pod);
    assertThat(ping(pod, LabDhcpServer.LAB_SERVER)).isTrue();
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}

package io.multihome.agent.cluster.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.agent.cni.ContainerState;
import io.multihome.agent.cni.Delegate;
import io.multihome.agent.cni.PodRef;
import io.multihome.agent.cni.StateStore;
import io.multihome.api.nad.ServiceNetworkNames;
import io.multihome.testkit.RawObjects;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy with real nftables in real namespaces: a client pod's connections to a Service's
 * cluster IP (IPv4 and IPv6) reach both backends over the secondary network; rules follow endpoint
 * changes within a second; they go when the Service or the pod's attachment goes. Services and
 * slices come from the mock API, the attachments from CNI state files as the daemon writes them.
 */
@EnableKubernetesMockClient(crud = true)
class ServiceProxyKernelTest {

  private static final String V4 = "198.18.200.10";
  private static final String V6 = "2001:db8:200::10";

  KubernetesClient client;
  @TempDir Path tmp;
  private ProxyNamespaces net;
  private ServiceProxy proxy;
  private String clientNs;
  private StateStore state;
  private final Map<String, PodRules> lastApplied = new ConcurrentHashMap<>();
  private final List<Long> appliedAt = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    net = new ProxyNamespaces();
    String b1 = net.pod("b1", "198.18.70.1", "2001:db8:70::1", 11);
    String b2 = net.pod("b2", "198.18.70.2", "2001:db8:70::2", 12);
    clientNs = net.pod("client", "198.18.70.50", "2001:db8:70::50", 50);
    net.httpServer(b1, "backend-1", tmp.resolve("www1"));
    net.httpServer(b2, "backend-2", tmp.resolve("www2"));
    state = new StateStore(tmp.resolve("cni-state"));
    attach("ctr-client", clientNs, "198.18.70.50/24", "2001:db8:70::50/64");
    proxy = ServiceProxy.start(client, new StateDirAttachments(tmp.resolve("cni-state")));
    proxy.onApplied(
        (ns, rules) -> {
          lastApplied.put(ns, rules);
          appliedAt.add(System.nanoTime());
        });
  }

  @AfterEach
  void tearDown() {
    if (proxy != null) {
      proxy.close();
    }
    if (net != null) {
      net.close();
    }
  }

  /** The state file the CNI daemon writes after a successful ADD of net1 on macvlan1. */
  private void attach(String containerId, String ns, String... cidrs) throws Exception {
    var json = new ObjectMapper();
    ObjectNode result = json.createObjectNode().put("cniVersion", "1.0.0");
    result
        .putArray("interfaces")
        .addObject()
        .put("name", "net1")
        .put("sandbox", "/run/netns/" + ns);
    var ips = result.putArray("ips");
    for (String c : cidrs) {
      ips.addObject().put("address", c).put("interface", 0);
    }
    var delegate =
        new Delegate(
            "default/macvlan1", false, "net1", "{}", null, null, null, List.of(), null, List.of());
    var s =
        ContainerState.planned(
                containerId,
                "/run/netns/" + ns,
                new PodRef("default", "client", "u1"),
                "",
                List.of(delegate))
            .withResult(0, result);
    state.write(s);
  }

  private void apply(Service s) {
    client.services().inNamespace("default").resource(s).create();
  }

  private void apply(EndpointSlice s) {
    client
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace("default")
        .resource(s)
        .createOr(e -> e.update());
  }

  private Set<String> answers(String url, int requests) throws Exception {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < requests; i++) {
      seen.add(ProxyNamespaces.get(clientNs, url));
    }
    return seen;
  }

  private void startService() {
    Service web = ProxyFixtures.service("web", "macvlan1", V4, V6);
    apply(web);
    apply(ProxyFixtures.slice("web", "IPv4", 8080, "198.18.70.1", "198.18.70.2"));
    apply(ProxyFixtures.slice("web", "IPv6", 8080, "2001:db8:70::1", "2001:db8:70::2"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              PodRules r = lastApplied.get("/run/netns/" + clientNs);
              return r != null
                  && r.nftScript().contains("198.18.70.2:8080")
                  && r.nftScript().contains("[2001:db8:70::2]:8080");
            });
  }

  @Test
  void clusterIpsReachBothBackendsOverTheSecondaryNetwork() throws Exception {
    assertThat(ProxyNamespaces.get(clientNs, "http://" + V4 + "/"))
        .as("before the Service")
        .isEmpty();
    startService();
    String table =
        ProxyNamespaces.run(
            "ip", "netns", "exec", clientNs, "nft", "list", "table", "inet", ServiceRules.TABLE);
    assertThat(table).contains("numgen random mod 2 vmap").contains("dnat ip to 198.18.70.1:8080");
    assertThat(ProxyNamespaces.run("ip", "-n", clientNs, "route", "get", V4))
        .as("out of net1 with its address, not eth0")
        .contains("dev net1")
        .contains("src 198.18.70.50");
    assertThat(answers("http://" + V4 + "/", 20))
        .containsExactlyInAnyOrder("backend-1", "backend-2");
    assertThat(answers("http://[" + V6 + "]/", 20))
        .containsExactlyInAnyOrder("backend-1", "backend-2");
  }

  @Test
  void endpointChurnIsProgrammedWithinOneSecond() throws Exception {
    startService();
    List<Long> latencies = new ArrayList<>();
    for (int round = 0; round < 6; round++) {
      boolean firstOut = round % 2 == 0;
      String[] endpoints =
          firstOut
              ? new String[] {"-198.18.70.1", "198.18.70.2"}
              : new String[] {"198.18.70.1", "198.18.70.2"};
      int before = appliedAt.size();
      long t0 = System.nanoTime();
      apply(ProxyFixtures.slice("web", "IPv4", 8080, endpoints));
      await().atMost(Duration.ofSeconds(5)).until(() -> appliedAt.size() > before);
      latencies.add((appliedAt.get(before) - t0) / 1_000_000);
      String script = lastApplied.get("/run/netns/" + clientNs).nftScript();
      assertThat(script.contains("198.18.70.1:8080")).isEqualTo(!firstOut);
      if (firstOut) {
        assertThat(answers("http://" + V4 + "/", 8)).containsExactly("backend-2");
      }
    }
    System.out.println("BENCH proxy churn latencies (ms, 2 endpoints): " + latencies);
    assertThat(latencies).allMatch(ms -> ms < 1000);
  }

  @Test
  void rulesGoWithTheServiceAndWithTheAttachment() throws Exception {
    startService();
    assertThat(ProxyNamespaces.nftTables(clientNs)).contains(ServiceRules.TABLE);
    client.services().inNamespace("default").withName("web").delete();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(ProxyNamespaces.nftTables(clientNs)).doesNotContain(ServiceRules.TABLE);
              assertThat(ProxyNamespaces.run("ip", "-n", clientNs, "route", "show", V4 + "/32"))
                  .isBlank();
              assertThat(
                      ProxyNamespaces.run("ip", "-n", clientNs, "-6", "route", "show", V6 + "/128"))
                  .isBlank();
            });

    startService();
    assertThat(ProxyNamespaces.nftTables(clientNs)).contains(ServiceRules.TABLE);
    state.delete("ctr-client"); // the attachment's DEL
    // The table goes first, the routes right after it (two steps): wait for both.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(ProxyNamespaces.nftTables(clientNs)).doesNotContain(ServiceRules.TABLE);
              assertThat(ProxyNamespaces.run("ip", "-n", clientNs, "route", "show", V4 + "/32"))
                  .isBlank();
            });
  }

  /**
   * A Service already in the API when the agent starts, with no slice yet: its informer's first
   * event arrives while the proxy is being built. The benchmark once hit the race this guards: the
   * first sync ran before the informers were assigned (NullPointerException, then nothing until the
   * next event or the 30 s resync). It is a race: this test does not reliably fail on that code, it
   * pins the expected behaviour.
   */
  @Test
  void aServiceThatExistedBeforeTheProxyStartedIsProgrammedAtOnce() throws Exception {
    proxy.close();
    apply(ProxyFixtures.service("early", "macvlan1", "198.18.200.30"));
    proxy = ServiceProxy.start(client, new StateDirAttachments(tmp.resolve("cni-state")));
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> ProxyNamespaces.nftTables(clientNs).contains(ServiceRules.TABLE));
    String table =
        ProxyNamespaces.run(
            "ip", "netns", "exec", clientNs, "nft", "list", "table", "inet", ServiceRules.TABLE);
    assertThat(table).contains("ip daddr 198.18.200.30 tcp dport 80 reject with tcp reset");
  }

  @Test
  void headlessServicesGetNoRules() throws Exception {
    apply(ProxyFixtures.service("db", "macvlan1", "None"));
    apply(ProxyFixtures.slice("db", "IPv4", 8080, "198.18.70.1"));
    // A second, proxied Service proves the proxy synced after the headless one arrived.
    apply(ProxyFixtures.service("web", "macvlan1", V4));
    apply(ProxyFixtures.slice("web", "IPv4", 8080, "198.18.70.2"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> lastApplied.containsKey("/run/netns/" + clientNs));
    String table =
        ProxyNamespaces.run(
            "ip", "netns", "exec", clientNs, "nft", "list", "table", "inet", ServiceRules.TABLE);
    assertThat(table).contains(V4).doesNotContain("198.18.70.1");
  }

  /**
   * Issue 14: a Service whose port is not a number and an extra slice of a good Service whose
   * endpoints are not a list (an API server refuses both, a store without validation keeps them)
   * stop neither informer; the Service is left out (its rule would make the pod's whole table
   * invalid), the slice adds nothing, and the good Service is served.
   */
  @Test
  void servicesAndSlicesOfTheWrongTypesAreLeftOutAndTheOthersServed() throws Exception {
    String labels =
        "'labels': {'"
            + ServiceNetworkNames.PROXY_NAME_LABEL
            + "': '"
            + ServiceNetworkNames.PROXY_NAME
            + "'}";
    RawObjects.write(
        client,
        Service.class,
        "{'apiVersion': 'v1', 'kind': 'Service', 'metadata': {'name': 'odd', 'namespace':"
            + " 'default', "
            + labels
            + ", 'annotations': {'"
            + ServiceNetworkNames.NETWORK_ANNOTATION
            + "': 'macvlan1'}}, 'spec': {'clusterIP': '198.18.200.40', 'clusterIPs':"
            + " ['198.18.200.40'], 'ports': [{'name': 'http', 'port': 'eighty'}], 'someday': 1}}");
    RawObjects.write(
        client,
        EndpointSlice.class,
        "{'apiVersion': 'discovery.k8s.io/v1', 'kind': 'EndpointSlice', 'metadata': {'name':"
            + " 'web-multus-v4-odd', 'namespace': 'default', 'labels': {'"
            + ServiceNetworkNames.SERVICE_NAME_LABEL
            + "': 'web', '"
            + ServiceNetworkNames.MANAGED_BY_LABEL
            + "': '"
            + ServiceNetworkNames.MANAGED_BY
            + "'}}, 'addressType': 'IPv4', 'endpoints': {'addresses': ['198.18.70.99']},"
            + " 'ports': [{'name': 'http', 'port': 8080}]}");
    startService();
    String table =
        ProxyNamespaces.run(
            "ip", "netns", "exec", clientNs, "nft", "list", "table", "inet", ServiceRules.TABLE);
    assertThat(table).contains(V4).doesNotContain("198.18.200.40").doesNotContain("198.18.70.99");
    assertThat(answers("http://" + V4 + "/", 20))
        .containsExactlyInAnyOrder("backend-1", "backend-2");
  }
}

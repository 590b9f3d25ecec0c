package io.multihome.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.multihome.agent.cluster.proxy.PodRules;
import io.multihome.api.whereabouts.IPPool;
import io.multihome.lab.Lab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Services on secondary networks through the whole lab (issue 18): the multus-service document's
 * manifests applied unchanged with kubectl, then a dual-stack whereabouts network with a dual-stack
 * Service, endpoint churn, Service deletion, a headless Service and the client pod's deletion — the
 * controller's EndpointSlices, each node's proxy programming nftables in the pods' namespaces, and
 * real HTTP through the cluster IPs over net1. One 3-node lab (the full one: the seed's macvlan
 * sits on ens1f0).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServicesE2ETest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String NETWORK_STATUS = "k8s.v1.cni.cncf.io/network-status";
  private static final String TABLE = "multihome_services";

  /** How fast the rules follow an EndpointSlice change (issue 18). */
  private static final Duration RULES_WITHIN = Duration.ofSeconds(1);

  private Lab lab;
  private LabPods kubectl;
  private final List<Process> standIns = new ArrayList<>();

  @BeforeAll
  void startLab() throws Exception {
    lab = SuiteLab.start(3, Lab.Options.full());
    kubectl = new LabPods(lab, "default");
  }

  @AfterAll
  void closeLab() throws IOException {
    stopStandIns();
    SuiteLab.close(lab);
  }

  /**
   * The multus-service document: its NAD (whereabouts), Deployment (with its ConfigMap), Service
   * and client pod, each applied unchanged. What the lab cannot run is played honestly and named:
   * the nginx image (the lab has no images; a container without a command only holds the sandbox)
   * is {@code python3 -m http.server 80} started by the test in each backend's sandbox namespace,
   * serving the ConfigMap's {@code index.html} (the lab mounts no volumes); the client's {@code
   * /sbin/init} is replaced by the lab's kubelet (event {@code LabCommandReplaced}); the document's
   * {@code kubectl exec fedora-net1 -- curl} is curl in the client's sandbox namespace (no exec in
   * the lab), addressed by the cluster IP (no cluster DNS).
   */
  @Test
  @Order(1)
  void multusServiceDocumentManifestsUnchangedReachBothBackendsThroughTheService()
      throws Exception {
    assertThat(kubectl.kubectlOk("label", "nodes", "--all", "multusservicedemo=true"))
        .contains("lab-node1 labeled");
    assertThat(kubectl.applySeed("s003-multus-service/net-attach.yml"))
        .isEqualTo("networkattachmentdefinition.k8s.cni.cncf.io/macvlan1 created\n");
    assertThat(kubectl.applySeed("s003-multus-service/deployment.yml"))
        .isEqualTo(
            "deployment.apps/multus-nginx-macvlan created\n"
                + "configmap/multus-nginx-macvlan-conf created\n");
    assertThat(kubectl.applySeed("s003-multus-service/service.yml"))
        .isEqualTo("service/multus-nginx-macvlan created\n");
    assertThat(kubectl.applySeed("s003-multus-service/pod.yml"))
        .isEqualTo("pod/fedora-net1 created\n");
    assertThat(
            kubectl.kubectlOk(
                "rollout", "status", "deployment/multus-nginx-macvlan", "--timeout=90s"))
        .contains("successfully rolled out");

    var backends = pods("app", "multus-nginx-macvlan");
    assertThat(backends).hasSize(2);
    assertThat(backends.stream().map(p -> p.getSpec().getNodeName()).distinct())
        .as("the scheduler spreads the Deployment's two pods")
        .hasSize(2);
    String html =
        kubectl.kubectlOk(
            "get", "configmap", "multus-nginx-macvlan-conf", "-o", "jsonpath={.data.index\\.html}");
    assertThat(html).contains("This is multus-nginx-macvlan!");
    var logs = new TreeMap<String, Path>();
    for (var b : backends) {
      String name = b.getMetadata().getName();
      logs.put(name, startServer(kubectl.sandbox(name).netns(), name, html, "80"));
    }
    var addresses = new TreeSet<String>();
    for (var b : backends) {
      addresses.add(ipOn(b, "default/macvlan1", "."));
    }
    assertThat(addresses).allMatch(a -> a.startsWith("198.18.70."));

    awaitReady("fedora-net1");
    assertThat(kubectl.events("fedora-net1", "LabCommandReplaced"))
        .as("/sbin/init is not run on the host")
        .isNotEmpty();
    var client = kubectl.sandbox("fedora-net1");
    String clientIp = ipOn(pod("fedora-net1"), "default/macvlan1", ".");
    String clusterIp =
        lab.client().services().withName("multus-nginx-macvlan").get().getSpec().getClusterIP();
    assertThat(clusterIp).startsWith("198.18.24");

    // The controller's slice: the backends' net1 addresses, port 80 (the Service's port).
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(readyAddresses("multus-nginx-macvlan", "IPv4"))
                    .containsExactlyInAnyOrderElementsOf(addresses));
    var slice = slices("multus-nginx-macvlan").get(0);
    assertThat(slice.getPorts().get(0).getPort()).isEqualTo(80);
    assertThat(slice.getMetadata().getLabels())
        .containsEntry(
            "endpointslice.kubernetes.io/managed-by", "endpointslice-controller.multihome.io");
    String[] dnats = addresses.stream().map(a -> "dnat ip to " + a + ":80").toArray(String[]::new);
    await().atMost(WAIT).until(() -> rules(client.netns()).contains(dnats[0]));
    assertThat(rules(client.netns()))
        .contains("ip daddr " + clusterIp + " tcp dport 80")
        .contains(dnats);

    for (int i = 0; i < 20; i++) {
      assertThat(curl(client.netns(), "http://" + clusterIp + "/")).isEqualTo(html);
    }
    // Both backends served the client (by its net1 address: the route the proxy added sends the
    // cluster IP out of net1).
    for (var e : logs.entrySet()) {
      assertThat(Files.readString(e.getValue()))
          .as(e.getKey() + "'s server log")
          .contains(clientIp + " - - ")
          .contains("\"GET / HTTP/1.1\" 200");
    }

    stopStandIns();
    for (var f : List.of("pod.yml", "service.yml", "deployment.yml", "net-attach.yml")) {
      kubectl.kubectlOk("delete", "-f", LabPods.seedFile("s003-multus-service/" + f).toString());
    }
    for (var name : List.of("fedora-net1", backends.get(0).getMetadata().getName())) {
      assertThat(lab.runtime().awaitRemoved("default", name, WAIT)).isTrue();
    }
  }

  // ---- a dual-stack whereabouts network and a Deployment of servers naming themselves ----

  private static final String DUAL_NET =
      """
      apiVersion: k8s.cni.cncf.io/v1
      kind: NetworkAttachmentDefinition
      metadata:
        name: dual-net
      spec:
        config: '{"cniVersion": "1.0.0", "type": "macvlan", "master": "ens1f0", "mode": "bridge",
          "ipam": {"type": "whereabouts",
                   "ipRanges": [{"range": "198.18.71.0/24"}, {"range": "2001:db8:71::/64"}]}}'
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: 2
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
            annotations:
              k8s.v1.cni.cncf.io/networks: dual-net
          spec:
            containers:
            - name: web
              image: registry.invalid/lab-web:1
              command: ["sh", "-c", "echo $(POD_NAME) > index.html && exec python3 -m http.server --bind :: 8080"]
              env:
              - name: POD_NAME
                valueFrom:
                  fieldRef: {fieldPath: metadata.name}
              ports:
              - {name: http, containerPort: 8080}
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: client
        annotations:
          k8s.v1.cni.cncf.io/networks: dual-net
      spec:
        nodeName: lab-node3
        containers:
        - name: client
          image: registry.invalid/lab:1
          command: ["sleep", "infinity"]
      """;

  private static final String DUAL_SERVICE =
      """
      apiVersion: v1
      kind: Service
      metadata:
        name: web
        labels:
          service.kubernetes.io/service-proxy-name: multus-proxy
        annotations:
          k8s.v1.cni.cncf.io/service-network: dual-net
      spec:
        ipFamilyPolicy: RequireDualStack
        ipFamilies: [IPv4, IPv6]
        selector: {app: web}
        ports:
        - {name: http, port: 80, targetPort: http}
      """;

  private String clientNetns;

  @Test
  @Order(2)
  void dualStackServiceIsReachableOverIpv4AndIpv6AndBalancedOverBothBackends() throws Exception {
    applyText(DUAL_NET);
    applyText(DUAL_SERVICE);
    assertThat(kubectl.kubectlOk("rollout", "status", "deployment/web", "--timeout=90s"))
        .contains("successfully rolled out");
    awaitReady("client");
    clientNetns = kubectl.sandbox("client").netns();
    var backends = pods("app", "web");
    assertThat(backends).hasSize(2);
    var v4 = new TreeSet<String>();
    var v6 = new TreeSet<String>();
    for (var b : backends) {
      v4.add(ipOn(b, "default/dual-net", "."));
      v6.add(ipOn(b, "default/dual-net", ":"));
    }
    assertThat(v4).allMatch(a -> a.startsWith("198.18.71."));
    assertThat(v6).allMatch(a -> a.startsWith("2001:db8:71::"));
    var svc = lab.client().services().withName("web").get();
    assertThat(svc.getSpec().getIpFamilies()).containsExactly("IPv4", "IPv6");
    String ip4 = svc.getSpec().getClusterIPs().get(0);
    String ip6 = svc.getSpec().getClusterIPs().get(1);
    assertThat(ip6).startsWith("2001:db8:240:");

    // One slice per family, the backends' addresses of that family, the resolved target port.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(readyAddresses("web", "IPv4")).containsExactlyInAnyOrderElementsOf(v4);
              assertThat(readyAddresses("web", "IPv6")).containsExactlyInAnyOrderElementsOf(v6);
            });
    assertThat(slices("web"))
        .allSatisfy(s -> assertThat(s.getPorts().get(0).getPort()).isEqualTo(8080));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(rules(clientNetns))
                    .contains("ip daddr " + ip4 + " tcp dport 80")
                    .contains("ip6 daddr " + ip6 + " tcp dport 80")
                    .contains(v4.stream().map(a -> "dnat ip to " + a + ":8080").toList())
                    .contains(v6.stream().map(a -> "dnat ip6 to [" + a + "]:8080").toList()));
    // The cluster IPs' routes over net1 (the IPv6 one once the pod's address has passed duplicate
    // address detection: the kernel refuses a tentative source, and the proxy retries each second).
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(exec(clientNetns, "ip", "-4", "route", "show", ip4))
                  .contains("dev net1 proto 203");
              assertThat(exec(clientNetns, "ip", "-6", "route", "show", ip6))
                  .contains("dev net1 proto 203");
            });

    var names = backends.stream().map(p -> p.getMetadata().getName()).toList();
    assertThat(answers("http://" + ip4 + "/", 20)).containsOnlyKeys(names);
    assertThat(answers("http://[" + ip6 + "]/", 20)).containsOnlyKeys(names);
  }

  /**
   * A backend deleted: its addresses leave the slices and, within a second of that, the client's
   * rules; the ReplicaSet's replacement joins the rules within a second of entering the slices.
   */
  @Test
  @Order(3)
  void rulesFollowEndpointChurnWithinOneSecond() throws Exception {
    var seen = new CopyOnWriteArrayList<SliceChange>();
    try (var informer =
        lab.client()
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace("default")
            .withLabel("kubernetes.io/service-name", "web")
            .inform(new SliceRecorder(seen))) {
      var backends = pods("app", "web");
      Pod victim = backends.get(0);
      String gone = ipOn(victim, "default/dual-net", ".");
      String gone6 = ipOn(victim, "default/dual-net", ":");
      long deleted = System.nanoTime();
      lab.client().pods().resource(victim).delete();
      long rulesAt =
          awaitRules(
              r -> !r.contains("to " + gone + ":8080") && !r.contains("[" + gone6 + "]:8080"));
      long sliceAt = firstChange(seen, deleted, s -> !s.contains(gone) && !s.contains(gone6));
      assertThat(Duration.ofNanos(rulesAt - sliceAt))
          .as("slice without %s -> rules without it", gone)
          .isLessThan(RULES_WITHIN);
      String survivor = backends.get(1).getMetadata().getName();
      assertThat(answers("http://" + clusterIp(0) + "/", 5)).containsOnlyKeys(survivor);

      // The ReplicaSet replaces the deleted pod.
      await()
          .atMost(WAIT)
          .until(
              () ->
                  pods("app", "web").stream()
                          .filter(p -> !p.getMetadata().getName().equals(survivor))
                          .anyMatch(LabPods::ready)
                      && pods("app", "web").size() == 2);
      Pod added =
          pods("app", "web").stream()
              .filter(p -> !p.getMetadata().getName().equals(survivor))
              .findFirst()
              .orElseThrow();
      String fresh = ipOn(added, "default/dual-net", ".");
      long addedAt = awaitRules(r -> r.contains("dnat ip to " + fresh + ":8080"));
      // (whereabouts may hand the freed address out again: only changes after its removal count)
      long sliceAddedAt = firstChange(seen, sliceAt, s -> s.contains(fresh));
      assertThat(Duration.ofNanos(addedAt - sliceAddedAt))
          .as("slice with %s -> rules with it", fresh)
          .isLessThan(RULES_WITHIN);
      System.out.printf(
          "endpoint churn: slice -> client rules: removal %d ms, addition %d ms%n",
          (rulesAt - sliceAt) / 1_000_000, (addedAt - sliceAddedAt) / 1_000_000);
      // The lab runs no readiness probes (a pod is Ready once its command started, as on a cluster
      // without a probe): wait until the replacement's server listens before counting answers.
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(
              () ->
                  curl(clientNetns, "http://" + fresh + ":8080/")
                      .strip()
                      .equals(added.getMetadata().getName()));
      assertThat(answers("http://" + clusterIp(0) + "/", 20))
          .containsOnlyKeys(survivor, added.getMetadata().getName());
    }
  }

  @Test
  @Order(4)
  void deletingTheServiceRemovesTheTableAndTheRoutes() throws Exception {
    assertThat(rules(clientNetns)).contains("tcp dport 80");
    kubectl.kubectlOk("delete", "service", "web");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(exec(clientNetns, "nft", "list", "table", "inet", TABLE))
                  .contains("No such file or directory");
              assertThat(exec(clientNetns, "ip", "-4", "route", "show", "proto", "203")).isBlank();
              assertThat(exec(clientNetns, "ip", "-6", "route", "show", "proto", "203")).isBlank();
            });
    await().atMost(WAIT).until(() -> slices("web").isEmpty());
  }

  /**
   * A headless Service on the network gets slices of both families with the pods' secondary
   * addresses (what cluster DNS would answer) and no rules: a Service created after it and synced
   * into the client is the only one in the client's table.
   */
  @Test
  @Order(5)
  void headlessServiceGetsSlicesOfBothFamiliesAndNoRules() throws Exception {
    applyText(
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: web-headless
          labels:
            service.kubernetes.io/service-proxy-name: multus-proxy
          annotations:
            k8s.v1.cni.cncf.io/service-network: dual-net
        spec:
          clusterIP: None
          selector: {app: web}
          ports:
          - {name: http, port: 8080}
        """);
    var backends = pods("app", "web");
    var v4 = backends.stream().map(p -> ipOn(p, "default/dual-net", ".")).toList();
    var v6 = backends.stream().map(p -> ipOn(p, "default/dual-net", ":")).toList();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(readyAddresses("web-headless", "IPv4"))
                  .containsExactlyInAnyOrderElementsOf(v4);
              assertThat(readyAddresses("web-headless", "IPv6"))
                  .containsExactlyInAnyOrderElementsOf(v6);
            });
    assertThat(slices("web-headless"))
        .allSatisfy(
            s ->
                assertThat(s.getMetadata().getLabels())
                    .containsKey("service.kubernetes.io/headless"));

    applyText(DUAL_SERVICE.replace("name: web\n", "name: probe\n"));
    String probeIp = lab.client().services().withName("probe").get().getSpec().getClusterIP();
    // Until both of the probe's families have endpoints (one slice each, written one by one).
    await()
        .atMost(WAIT)
        .until(
            () ->
                rules(clientNetns).contains("ip daddr " + probeIp)
                    && !rules(clientNetns).contains("reject"));
    String table = rules(clientNetns);
    assertThat(table.lines().filter(l -> l.contains("daddr")).toList())
        .as("only the probe's cluster IPs are matched")
        .hasSize(2)
        .allMatch(l -> l.contains("tcp dport 80 goto"));
    kubectl.kubectlOk("delete", "service", "probe", "web-headless");
  }

  /** The client pod deleted: its proxy drops it, its addresses go back to both pools. */
  @Test
  @Order(6)
  void deletingTheClientPodDropsItsRulesAndFreesItsAddresses() throws Exception {
    applyText(DUAL_SERVICE);
    await().atMost(WAIT).until(() -> rules(clientNetns).contains("goto svc_0"));
    var cleared = new CopyOnWriteArrayList<String>();
    var proxy = lab.attachmentServices("lab-node3").proxy();
    proxy.onApplied(
        (netns, rules) -> {
          if (rules.equals(PodRules.NONE)) {
            cleared.add(netns);
          }
        });
    var client = pod("client");
    String ip4 = ipOn(client, "default/dual-net", ".");
    assertThat(podRefs("198.18.71.0-24")).contains("default/client");
    assertThat(podRefs("2001-db8-71---64")).contains("default/client");
    kubectl.kubectlOk("delete", "pod", "client");
    assertThat(lab.runtime().awaitRemoved("default", "client", WAIT)).isTrue();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(cleared).anySatisfy(n -> assertThat(n).endsWith(clientNetns)));
    assertThat(LabPods.netnsExists(clientNetns)).isFalse();
    assertThat(podRefs("198.18.71.0-24")).doesNotContain("default/client");
    assertThat(podRefs("2001-db8-71---64")).doesNotContain("default/client");
    assertThat(ip4).startsWith("198.18.71.");
    proxy.onApplied((netns, rules) -> {});
  }

  // ---- helpers ----

  private record SliceChange(long at, java.util.Set<String> addresses) {}

  /** Records, with the time seen, every ready address of every slice after each change. */
  private final class SliceRecorder implements ResourceEventHandler<EndpointSlice> {
    private final List<SliceChange> seen;

    SliceRecorder(List<SliceChange> seen) {
      this.seen = seen;
    }

    private void record() {
      long now = System.nanoTime();
      var all = new TreeSet<String>();
      slices("web").forEach(s -> all.addAll(ready(s)));
      seen.add(new SliceChange(now, all));
    }

    @Override
    public void onAdd(EndpointSlice obj) {
      record();
    }

    @Override
    public void onUpdate(EndpointSlice oldObj, EndpointSlice newObj) {
      record();
    }

    @Override
    public void onDelete(EndpointSlice obj, boolean unknown) {
      record();
    }
  }

  /** When the slices first matched {@code state} after {@code after} (System.nanoTime()). */
  private static long firstChange(
      List<SliceChange> seen, long after, Predicate<java.util.Set<String>> state) {
    return seen.stream()
        .filter(c -> c.at() > after && state.test(c.addresses()))
        .mapToLong(SliceChange::at)
        .min()
        .orElseThrow(() -> new AssertionError("no slice change seen matching; saw " + seen));
  }

  /** Polls the client's table until {@code done}; when it first held (System.nanoTime()). */
  private long awaitRules(Predicate<String> done) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      String r = rules(clientNetns);
      long at = System.nanoTime();
      if (done.test(r)) {
        return at;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("rules never changed: " + rules(clientNetns));
  }

  private String clusterIp(int index) {
    return lab.client().services().withName("web").get().getSpec().getClusterIPs().get(index);
  }

  /** Who answered {@code url} from the client, {@code times} fetches. */
  private Map<String, Integer> answers(String url, int times) throws Exception {
    var out = new TreeMap<String, Integer>();
    for (int i = 0; i < times; i++) {
      out.merge(curl(clientNetns, url).strip(), 1, Integer::sum);
    }
    return out;
  }

  /**
   * Starts the stand-in for an image's web server in a pod's namespace: {@code python3 -m
   * http.server} serving {@code html} as index.html on {@code port}; waits until it answers inside
   * the namespace (from 127.0.0.1, so the pod's log shows only outside requests otherwise); returns
   * its log file.
   */
  private Path startServer(String netns, String name, String html, String port) throws Exception {
    Path dir = Files.createDirectories(lab.workDir().resolve("standin-" + name));
    Files.writeString(dir.resolve("index.html"), html);
    Path log = dir.resolve("server.log");
    var p =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                netns,
                "python3",
                "-m",
                "http.server",
                port,
                "--directory",
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    standIns.add(p);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> curl(netns, "http://127.0.0.1:" + port + "/").equals(html));
    return log;
  }

  private void stopStandIns() {
    for (var p : standIns) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    standIns.clear();
  }

  private String applyText(String yaml) throws Exception {
    Path file = Files.createTempFile(lab.workDir(), "manifest-", ".yaml");
    Files.writeString(file, yaml);
    return kubectl.kubectlOk("apply", "-f", file.toString());
  }

  private List<Pod> pods(String label, String value) {
    return lab
        .client()
        .pods()
        .inNamespace("default")
        .withLabel(label, value)
        .list()
        .getItems()
        .stream()
        .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
        .toList();
  }

  private Pod pod(String name) {
    return lab.client().pods().inNamespace("default").withName(name).get();
  }

  private void awaitReady(String name) {
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(LabPods.ready(pod(name))).as(name).isTrue());
  }

  /** The pod's first address on {@code network} containing {@code family} ("." or ":"). */
  private static String ipOn(Pod pod, String network, String family) {
    try {
      String status = pod.getMetadata().getAnnotations().get(NETWORK_STATUS);
      for (var e : JSON.readTree(status)) {
        if (network.equals(e.path("name").asText())) {
          for (var ip : e.path("ips")) {
            if (ip.asText().contains(family)) {
              return ip.asText();
            }
          }
        }
      }
      throw new AssertionError(pod.getMetadata().getName() + ": no " + network + " in " + status);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private List<EndpointSlice> slices(String service) {
    return lab.client()
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace("default")
        .withLabel("kubernetes.io/service-name", service)
        .list()
        .getItems();
  }

  private static List<String> ready(EndpointSlice s) {
    var out = new ArrayList<String>();
    for (var e :
        s.getEndpoints() == null
            ? List.<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint>of()
            : s.getEndpoints()) {
      if (e.getConditions() != null && Boolean.TRUE.equals(e.getConditions().getReady())) {
        out.addAll(e.getAddresses());
      }
    }
    return out;
  }

  private List<String> readyAddresses(String service, String family) {
    return slices(service).stream()
        .filter(s -> family.equals(s.getAddressType()))
        .flatMap(s -> ready(s).stream())
        .toList();
  }

  private List<String> podRefs(String pool) {
    var p = lab.client().resources(IPPool.class).inNamespace("kube-system").withName(pool).get();
    if (p == null || p.getSpec().getAllocations() == null) {
      return List.of();
    }
    return p.getSpec().getAllocations().values().stream().map(a -> a.getPodRef()).toList();
  }

  private static String rules(String netns) throws Exception {
    return exec(netns, "nft", "list", "table", "inet", TABLE);
  }

  private static String curl(String netns, String url) throws Exception {
    return exec(netns, "curl", "-s", "--max-time", "3", url);
  }

  /** A command in {@code netns}; stdout and stderr. */
  private static String exec(String netns, String... command) throws Exception {
    var cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns));
    cmd.addAll(List.of(command));
    var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }
}

package io.multihome.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.multihome.agent.cluster.AgentConfig;
import io.multihome.agent.cluster.Backoff;
import io.multihome.agent.cluster.EngineNodeNetwork;
import io.multihome.agent.cluster.NodeAgent;
import io.multihome.agent.cluster.Probes;
import io.multihome.agent.netlink.KernelFeatures;
import io.multihome.agent.netlink.NamedNetns;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.controller.ControllerConfig;
import io.multihome.controller.PolicyController;
import io.multihome.lab.Lab;
import io.multihome.lab.LabOvsNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * The E2E suite's cluster: the same pieces as {@link Lab} (node namespaces cabled to a fabric
 * bridge, fabric8's mock API in CRUD mode with the CRDs, the shipped policy controller, one
 * engine-backed agent per node), but with namespaces of its own ({@code mh-e2e-<id>-…}), three NICs
 * per node and agents and controller that a test can stop and start again.
 *
 * <p>Per node: {@code eth0} is the management NIC, {@code 198.18.200.<k>/24} with the default route
 * via {@code 198.18.200.254}, an address of the fabric bridge (so the agent's gateway-ping probe
 * has a real target that answers); {@code eth1} and {@code eth2} are spare NICs without addresses,
 * as the docs examples expect. All three are veths whose other ends are ports of the fabric bridge.
 * IPv6 DAD is off in the node namespaces so static IPv6 addresses settle at once.
 */
final class E2ELab implements AutoCloseable {
  static final String PREFIX = "mh-e2e-";
  static final String GATEWAY = "198.18.200.254";
  static final List<String> NICS = List.of("eth0", "eth1", "eth2");
  static final Duration WAIT = Duration.ofSeconds(90);

  /** Two attempts half a second apart: a failing policy reaches FailedToConfigure quickly. */
  static final Backoff BACKOFF = new Backoff(2, Duration.ofMillis(500), Duration.ofMillis(500));

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final String id = UUID.randomUUID().toString().substring(0, 6);
  private final List<String> namespaces = new ArrayList<>();
  private final Map<String, String> nodeNs = new LinkedHashMap<>();
  private final Map<String, Integer> nodeIndex = new HashMap<>();
  private final Map<String, NodeAgent> agents = new HashMap<>();
  private final Map<String, EngineNodeNetwork> networks = new HashMap<>();

  /** Each node's Open vSwitch, started when a policy needs it (docs/ovs.md). */
  private final Map<String, LabOvsNode> ovs = new HashMap<>();

  private KubernetesMockServer server;
  private io.multihome.lab.LabDhcpServer dhcpServer;
  private KubernetesClient client;
  private PolicyController controller;
  private Path workDir;
  private KernelFeatures features;

  private E2ELab() {}

  /** Starts a lab whose nodes have the given names; everything is undone if a step fails. */
  static E2ELab start(List<String> nodes) throws IOException {
    var lab = new E2ELab();
    try {
      lab.build(nodes);
      return lab;
    } catch (IOException | RuntimeException | Error e) {
      lab.close();
      throw e;
    }
  }

  private void build(List<String> nodes) throws IOException {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
    workDir = Files.createTempDirectory(PREFIX);
    String fabric = PREFIX + id + "-fabric";
    newNamespace(fabric);
    ip(fabric, "link", "add", "fabric", "type", "bridge", "stp_state", "0", "forward_delay", "0");
    ip(fabric, "addr", "add", GATEWAY + "/24", "dev", "fabric");
    ip(fabric, "link", "set", "fabric", "up");
    ip(fabric, "link", "set", "lo", "up");
    try (var nl = RtNetlink.openNamed(fabric)) {
      features = KernelFeatures.probe(nl);
    }
    // As the lab's fabric: dnsmasq serves 198.18.64.0/24 (no router, no DNS) to DHCP interfaces.
    dhcpServer =
        io.multihome.lab.LabDhcpServer.start(
            io.multihome.lab.LabDhcpServer.Settings.lab(fabric, "fabric"),
            workDir.resolve("dhcp-server"));
    int k = 0;
    for (var node : nodes) {
      k++;
      String ns = PREFIX + id + "-n" + k;
      newNamespace(ns);
      nodeNs.put(node, ns);
      nodeIndex.put(node, k);
      sh(ns, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0");
      sh(ns, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0");
      ip(ns, "link", "set", "lo", "up");
      for (int j = 0; j < NICS.size(); j++) {
        // Made in the node namespace (so the NIC gets its IPv6 defaults), the peer moved out.
        String port = "n" + k + "e" + j;
        ip(ns, "link", "add", NICS.get(j), "type", "veth", "peer", "name", port);
        ip(ns, "link", "set", port, "netns", fabric);
        ip(fabric, "link", "set", port, "master", "fabric");
        ip(fabric, "link", "set", port, "up");
      }
      resetNode(node);
    }
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
    for (var crd :
        List.of(
            "nodenetworkconfigurationpolicies.nmstate.io.yaml",
            "nodenetworkconfigurationenactments.nmstate.io.yaml",
            "nodenetworkstates.nmstate.io.yaml")) {
      try (InputStream in = Files.newInputStream(Path.of("..", "deploy", "crds", crd))) {
        client.apiextensions().v1().customResourceDefinitions().load(in).create();
      }
    }
    for (var node : nodes) {
      client.nodes().resource(Lab.readyNode(node)).create();
    }
    startController();
    for (var node : nodes) {
      startAgent(node);
    }
    await().atMost(WAIT).until(() -> agents.values().stream().allMatch(NodeAgent::ready));
  }

  KubernetesClient client() {
    return client;
  }

  List<String> nodes() {
    return List.copyOf(nodeNs.keySet());
  }

  /** The node's engine-backed network (its DHCP service among others). */
  EngineNodeNetwork network(String node) {
    return networks.get(node);
  }

  String namespaceOf(String node) {
    return nodeNs.get(node);
  }

  /** The node's Open vSwitch (started by the lab when a policy needs it), or null. */
  LabOvsNode ovs(String node) {
    return ovs.get(node);
  }

  /** What link kinds this kernel has (probed in the fabric namespace). */
  KernelFeatures features() {
    return features;
  }

  Path workDir() {
    return workDir;
  }

  void startController() {
    controller = PolicyController.start(client, ControllerConfig.defaults());
  }

  void stopController() {
    controller.close();
    controller = null;
  }

  /**
   * Starts the node's agent on its namespace with the real probes, less the DNS one: the lab has no
   * resolver, so the node's (the host's) resolver never answers and each attempt would spend the
   * probe timeout on it before being dropped as "failing before the change" anyway.
   */
  void startAgent(String node) throws IOException {
    Path stateDir = Files.createDirectories(workDir.resolve(node));
    var nodeOvs =
        ovs.computeIfAbsent(
            node, n -> new LabOvsNode(nodeNs.get(n), workDir.resolve("ovs").resolve(n)));
    var engine = nodeOvs.engine(stateDir);
    var network = nodeOvs.onDemand(engine);
    var config =
        AgentConfig.defaults(node, stateDir)
            .withMetricsPort(-1)
            .withBackoff(BACKOFF)
            .withProbes(true, Duration.ofSeconds(2));
    String api = client.getConfiguration().getMasterUrl();
    var agent =
        NodeAgent.builder(client, network, config)
            .probes(
                () ->
                    Probes.defaults(network, api, config.dnsProbeName(), config.probeTimeout())
                        .stream()
                        .filter(p -> !p.name().equals("dns"))
                        .toList())
            .start();
    networks.put(node, engine);
    agents.put(node, agent);
  }

  /** Stops the agent as a crash would (the lease stays until it expires); the node is untouched. */
  void stopAgent(String node) {
    agents.remove(node).close();
    networks.remove(node).close();
  }

  /**
   * Between tests: restarts what a failed test left stopped, deletes every policy (waiting for its
   * enactments to go) and puts every node back to its starting state.
   */
  void resetBetweenTests() throws IOException {
    ensureRunning();
    for (var p : client.resources(NodeNetworkConfigurationPolicy.class).list().getItems()) {
      deletePolicy(p.getMetadata().getName());
    }
    nodes().forEach(this::resetNode);
  }

  /** Closes the lab and returns which of its namespaces are still listed (none, if all is well). */
  List<String> closeAndListLeftovers() throws IOException {
    var mine = namespaces();
    close();
    return leftoverNamespaces().stream().filter(mine::contains).toList();
  }

  /** Starts whatever a failed test left stopped (the controller, agents), so the next test runs. */
  void ensureRunning() throws IOException {
    if (controller == null) {
      startController();
    }
    for (var node : nodeNs.keySet()) {
      if (!agents.containsKey(node)) {
        startAgent(node);
      }
    }
  }

  /** Sets or (value null) removes a label on a Node object. */
  void label(String node, String key, String value) {
    client
        .nodes()
        .withName(node)
        .edit(
            n -> {
              if (value == null) {
                n.getMetadata().getLabels().remove(key);
              } else {
                n.getMetadata().getLabels().put(key, value);
              }
              return n;
            });
  }

  /**
   * Puts a node back to its starting point: only lo and the three NICs, eth0 with its address and
   * default route, eth1/eth2 up without addresses, no extra rules or table 100 routes.
   */
  void resetNode(String node) {
    String ns = nodeNs.get(node);
    var switchOf = ovs.get(node) == null ? null : ovs.get(node).running();
    if (switchOf != null) {
      switchOf.reset();
    }
    var network = networks.get(node);
    if (network != null) {
      // DHCP clients a test started go too (their leases released), as the links they ran on.
      var off = new HashMap<String, io.multihome.agent.engine.AutoIp>();
      network.dhcp().settings().keySet().forEach(n -> off.put(n, null));
      network.dhcp().configure(off);
      network.dhcp().commit();
    }
    for (var link : ipJson(ns, "link", "show")) {
      String name = link.path("ifname").asText();
      if (!name.equals("lo") && !NICS.contains(name) && tryIp(ns, "link", "del", name) != 0) {
        // A veth peer disappears with its other end; anything else must go.
        if (tryIp(ns, "link", "show", "dev", name) == 0) {
          throw new IllegalStateException("cannot delete " + name + " in " + ns);
        }
      }
    }
    for (var nic : NICS) {
      ip(ns, "link", "set", nic, "nomaster");
      ip(ns, "addr", "flush", "dev", nic, "scope", "global");
      ip(ns, "link", "set", nic, "up");
    }
    for (var rule : ipJson(ns, "rule", "show")) {
      int prio = rule.path("priority").asInt();
      if (prio != 0 && prio != 32766 && prio != 32767) {
        ip(ns, "rule", "del", "pref", Integer.toString(prio));
      }
    }
    tryIp(ns, "route", "flush", "table", "100");
    ip(ns, "addr", "add", "198.18.200." + nodeIndex.get(node) + "/24", "dev", "eth0");
    ip(ns, "route", "replace", "default", "via", GATEWAY, "dev", "eth0");
  }

  // --- kernel state -------------------------------------------------------------------------

  /**
   * A node's full state as iproute2 prints it: links with details, addresses, IPv4 and IPv6 routes
   * of every table, rules. Only values that change by themselves are dropped (bridge timers, the
   * remaining lifetimes of addresses).
   */
  String fullState(String node) {
    String ns = nodeNs.get(node);
    var sb = new StringBuilder();
    for (var args :
        List.of(
            List.of("-d", "link", "show"),
            List.of("addr", "show"),
            List.of("route", "show", "table", "all"),
            List.of("-6", "route", "show", "table", "all"),
            List.of("rule", "show"),
            List.of("-6", "rule", "show"))) {
      var list = new ArrayList<String>();
      for (var e : ipJson(ns, args.toArray(String[]::new))) {
        stripVolatile(e);
        list.add(e.toString());
      }
      // Sorted: a link cycled by the kernel may list its kernel-made routes in another order.
      list.sort(Comparator.naturalOrder());
      sb.append(String.join("\n", list)).append("\n--\n");
    }
    var switchOf = ovs.get(node) == null ? null : ovs.get(node).running();
    if (switchOf != null) {
      sb.append(switchOf.configuration());
    }
    return sb.toString();
  }

  /**
   * The full state once it stopped moving: every bridge with a working port has its carrier (the
   * kernel reports it up to a second late) and two reads 300 ms apart agree.
   */
  String settledState(String node) {
    var last = new String[] {""};
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              String now = fullState(node);
              boolean same = now.equals(last[0]) && !bridgeAwaitingCarrier(node);
              last[0] = now;
              return same;
            });
    return last[0];
  }

  private boolean bridgeAwaitingCarrier(String node) {
    var links = ipJson(nodeNs.get(node), "link", "show");
    var withWorkingPort = new java.util.HashSet<String>();
    for (var l : links) {
      if (l.hasNonNull("master") && flags(l).contains("LOWER_UP")) {
        withWorkingPort.add(l.get("master").asText());
      }
    }
    for (var l : links) {
      if (withWorkingPort.contains(l.path("ifname").asText()) && flags(l).contains("NO-CARRIER")) {
        return true;
      }
    }
    return false;
  }

  private static List<String> flags(JsonNode link) {
    var out = new ArrayList<String>();
    link.path("flags").forEach(f -> out.add(f.asText()));
    return out;
  }

  /** The lines only in {@code a} (-) or only in {@code b} (+), for failure messages. */
  static String diff(String a, String b) {
    var la = List.of(a.split("\n"));
    var lb = List.of(b.split("\n"));
    var out = new StringBuilder();
    la.stream().filter(l -> !lb.contains(l)).forEach(l -> out.append("- ").append(l).append('\n'));
    lb.stream().filter(l -> !la.contains(l)).forEach(l -> out.append("+ ").append(l).append('\n'));
    return out.toString();
  }

  private static void stripVolatile(JsonNode n) {
    if (n instanceof ObjectNode o) {
      var drop = new ArrayList<String>();
      for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (k.endsWith("_timer") || k.endsWith("_life_time")) {
          drop.add(k);
        }
      }
      o.remove(drop);
      o.forEach(E2ELab::stripVolatile);
    } else if (n instanceof ArrayNode a) {
      a.forEach(E2ELab::stripVolatile);
    }
  }

  // --- API helpers -------------------------------------------------------------------------

  List<NodeNetworkConfigurationEnactment> enactmentsOf(String policy) {
    return client
        .resources(NodeNetworkConfigurationEnactment.class)
        .withLabel("nmstate.io/policy", policy)
        .list()
        .getItems();
  }

  Optional<NodeNetworkConfigurationEnactment> enactment(String node, String policy) {
    return Optional.ofNullable(
        client
            .resources(NodeNetworkConfigurationEnactment.class)
            .withName(node + "." + policy)
            .get());
  }

  NodeNetworkConfigurationPolicy policy(String name) {
    return client.resources(NodeNetworkConfigurationPolicy.class).withName(name).get();
  }

  /** One line per NNCE of the policy: name, True condition, reason, message (for failures). */
  String describeEnactments(String policy) {
    var sb = new StringBuilder("enactments of " + policy + ":");
    for (var e : enactmentsOf(policy)) {
      var c = trueCondition(e);
      sb.append("\n  ")
          .append(e.getMetadata().getName())
          .append(": ")
          .append(c.map(t -> t.getType() + " " + t.getReason() + " " + t.getMessage()).orElse("-"));
    }
    return sb.toString();
  }

  /** The condition whose status is True, if any. */
  /** Waits until the policy's True condition is {@code type} with exactly {@code message}. */
  void awaitPolicy(String name, String type, String message) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var c = trueCondition(policy(name));
              assertThat(c.map(t -> t.getType() + ": " + t.getMessage()).orElse("no status"))
                  .as(() -> describeEnactments(name))
                  .isEqualTo(type + ": " + message);
            });
  }

  static Optional<Condition> trueCondition(List<Condition> conditions) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> Condition.TRUE.equals(c.getStatus())).findFirst();
  }

  static Optional<Condition> trueCondition(NodeNetworkConfigurationEnactment e) {
    return e == null || e.getStatus() == null
        ? Optional.empty()
        : trueCondition(e.getStatus().getConditions());
  }

  static Optional<Condition> trueCondition(NodeNetworkConfigurationPolicy p) {
    return p == null || p.getStatus() == null
        ? Optional.empty()
        : trueCondition(p.getStatus().getConditions());
  }

  /** Deletes a policy and waits until it and its enactments are gone (finalizer released). */
  void deletePolicy(String name) {
    client.resources(NodeNetworkConfigurationPolicy.class).withName(name).delete();
    await().atMost(WAIT).until(() -> policy(name) == null && enactmentsOf(name).isEmpty());
  }

  // --- namespaces and commands ----------------------------------------------------------------

  private void newNamespace(String name) {
    NamedNetns.create(name);
    namespaces.add(name);
  }

  static JsonNode ipJson(String ns, String... args) {
    var cmd = new ArrayList<>(List.of("ip", "-j", "-n", ns));
    cmd.addAll(List.of(args));
    try {
      String out = run(cmd);
      return JSON.readTree(out.isBlank() ? "[]" : out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String ip(String ns, String... args) {
    var cmd = new ArrayList<>(List.of("ip", "-n", ns));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  static int tryIp(String ns, String... args) {
    var cmd = new ArrayList<>(List.of("ip", "-n", ns));
    cmd.addAll(List.of(args));
    try {
      run(cmd);
      return 0;
    } catch (IllegalStateException e) {
      return 1;
    }
  }

  static String sh(String ns, String... args) {
    var cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  private static String run(List<String> cmd) {
    try {
      var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every {@code mh-e2e-*} namespace still listed (the tests assert none is left). */
  static List<String> leftoverNamespaces() throws IOException {
    var dir = Path.of("/var/run/netns");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX)).toList();
    }
  }

  /** This lab's namespaces (for the "nothing left" assertion after close). */
  Set<String> namespaces() {
    return Set.copyOf(namespaces);
  }

  @Override
  public void close() {
    try {
      for (var node : List.copyOf(agents.keySet())) {
        try {
          stopAgent(node);
        } catch (RuntimeException e) {
          System.err.println("stopping agent " + node + ": " + e);
        }
      }
      if (controller != null) {
        controller.close();
      }
      ovs.values().forEach(LabOvsNode::close);
      if (client != null) {
        client.close();
      }
      if (server != null) {
        server.destroy();
      }
      if (dhcpServer != null) {
        dhcpServer.close();
      }
    } finally {
      for (int i = namespaces.size() - 1; i >= 0; i--) {
        String ns = namespaces.get(i);
        try {
          NamedNetns.delete(ns);
        } catch (RuntimeException e) {
          System.err.println("deleting " + ns + ": " + e);
        }
        // A static DNS example wrote the namespace's resolver file (ip netns exec's view).
        try (Stream<Path> files = Files.walk(Path.of("/etc/netns", ns))) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
          // none was written
        }
      }
      if (workDir != null) {
        try (Stream<Path> files = Files.walk(workDir)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
          System.err.println("deleting " + workDir + ": " + e);
        }
      }
    }
  }
}

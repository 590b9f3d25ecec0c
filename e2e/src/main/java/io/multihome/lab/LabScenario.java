package io.multihome.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.multihome.agent.engine.Engine;
import io.multihome.agent.engine.Target;
import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.Route;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.agent.netlink.Rtnl;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.nad.NetworkAttachmentDefinitionSpec;
import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicySpec;
import io.multihome.api.sriov.SriovNetwork;
import io.multihome.api.sriov.SriovNetworkNodePolicy;
import io.multihome.api.sriov.SriovNetworkNodeState;
import io.multihome.api.sriov.VirtualFunction;
import io.multihome.lab.kubelet.SandboxInfo;
import io.multihome.state.StateWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The lab's narrated scenario (issue 9): label the nodes and roll the docs' bridge example out
 * under maxUnavailable; attach two pods on two nodes to a NAD on that bridge through the CNI shim
 * and ping between them; a policy that cuts the nodes off their gateway is caught by the agent's
 * probe and rolled back; SR-IOV on emulated NICs with a pod on a VF; a KubeVirt-style bridge on
 * some nodes placing pods by the bridge's resource ({@link VmBridgeStep}); a Service on a
 * whereabouts macvlan network answered by servers on two nodes ({@link ServiceStep}). Prints
 * kubectl-style tables whenever the NNCP/NNCE status changes.
 */
public final class LabScenario {
  /** The docs example the bridge step applies, and the name of its NNCP. */
  public static final String BRIDGE_EXAMPLE = "docs/examples/linux-bridge.yaml";

  public static final String BRIDGE_POLICY = "br1-eth1-policy";
  public static final String BROKEN_POLICY = "lab-cut-gateway";
  public static final String BRIDGE = "br1";

  /** The label the example's node selector asks for. */
  public static final String WORKER_LABEL = "node-role.kubernetes.io/worker";

  public static final String POD_NAMESPACE = "default";
  public static final String BRIDGE_NAD = "lab-br1";
  public static final String SRIOV_POLICY = "lab-vfs";
  public static final String SRIOV_NETWORK = "lab-sriov";
  public static final String SRIOV_RESOURCE = "openshift.io/labsriov";
  public static final String NETWORKS = "k8s.v1.cni.cncf.io/networks";
  public static final String NETWORK_STATUS = "k8s.v1.cni.cncf.io/network-status";

  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

  /** What the scenario saw; the test asserts on it, the command prints a summary of it. */
  public record Outcome(
      String bridgePolicyStatus,
      String brokenPolicyStatus,
      String failingReason,
      String failingMessage,
      boolean nodesUnchangedByBrokenPolicy,
      Map<String, String> networkStatus,
      int pingExitCode,
      Map<String, String> sriovSyncStatus,
      int vfPingExitCode,
      List<String> vmBridgeNodes,
      String vmPlacedOn,
      String vmPendingMessage,
      String serviceClusterIp,
      Map<String, Integer> serviceAnswers,
      List<String> serviceBackendNodes) {

    /** Everything the scenario set out to show happened. */
    public boolean ok() {
      return "Available".equals(bridgePolicyStatus)
          && "Degraded".equals(brokenPolicyStatus)
          && nodesUnchangedByBrokenPolicy
          && pingExitCode == 0
          && vfPingExitCode == 0
          && !sriovSyncStatus.isEmpty()
          && sriovSyncStatus.values().stream().allMatch("Succeeded"::equals)
          && new VmBridgeStep.Result(vmBridgeNodes, vmPlacedOn, vmPendingMessage).ok()
          && new ServiceStep.Result(serviceClusterIp, serviceAnswers, serviceBackendNodes).ok();
    }
  }

  private final Lab lab;
  private final PrintStream out;
  private final Semaphore changed = new Semaphore(0);

  /** The NNCP and NNCE tables as last printed (ages left out), across steps. */
  private String lastPolicies;

  private String lastEnactments;

  public LabScenario(Lab lab, PrintStream out) {
    this.lab = lab;
    this.out = out;
  }

  public Outcome run() throws Exception {
    if (!lab.options().primaryNics() || !lab.options().attachments() || !lab.options().sriov()) {
      throw new IllegalStateException("the scenario needs Lab.Options.full()");
    }
    var client = lab.client();
    var handler = new Wakeup<>();
    try (var policies = client.resources(NodeNetworkConfigurationPolicy.class).inform(handler);
        var enactments =
            client.resources(NodeNetworkConfigurationEnactment.class).inform(new Wakeup<>())) {
      step("Lab up: " + lab.nodes().size() + " nodes, API at " + lab.apiUrl());
      for (var node : lab.nodes()) {
        out.printf(
            "  %-10s netns %s: eth0 %s/24 (default via %s), eth1 and ens1f0 on the fabric%n",
            node,
            lab.namespaceOf(node),
            LabFabric.nodeAddress(lab.nodes().indexOf(node) + 1),
            LabFabric.GATEWAY);
      }

      step("Labelling nodes " + Lab.LAB_LABEL + "=true, " + WORKER_LABEL + "=");
      lab.labelNodes(Map.of(Lab.LAB_LABEL, "true", WORKER_LABEL, ""));

      String bridgeStatus = bridgeStep();
      var networkStatus = new TreeMap<String, String>();
      int ping = attachmentStep(networkStatus);
      var broken = connectivityBreakStep();
      var sync = new TreeMap<String, String>();
      int vfPing = sriovStep(sync, networkStatus);
      var vm = new VmBridgeStep(lab, this, out).run();
      var services = new ServiceStep(lab, this, out).run();
      return new Outcome(
          bridgeStatus,
          broken.status,
          broken.reason,
          broken.message,
          broken.unchanged,
          networkStatus,
          ping,
          sync,
          vfPing,
          vm.bridgeNodes(),
          vm.placedOn(),
          vm.pendingMessage(),
          services.clusterIp(),
          services.answers(),
          services.backendNodes());
    }
  }

  /** Step 1: the docs example as it is: br1 on eth1 takes its address from the fabric's DHCP. */
  private String bridgeStep() throws Exception {
    var policy = bridgePolicy(lab.repoRoot());
    step("Applying " + BRIDGE_EXAMPLE + " (NNCP " + BRIDGE_POLICY + "): linux-bridge br1 on eth1");
    out.println(
        "  (node selector "
            + WORKER_LABEL
            + "; br1 asks for DHCP: each agent's client gets a lease from the fabric's dnsmasq, "
            + LabDhcpServer.LAB_SUBNET
            + ")");
    lab.client().resource(policy).create();
    String status = watchUntil(BRIDGE_POLICY, ConditionTypes.AVAILABLE);
    String first = lab.nodes().get(0);
    step("multihome show --netns " + lab.namespaceOf(first) + " " + BRIDGE);
    var showDir = Files.createDirectories(lab.workDir().resolve("show"));
    try (var engine = Engine.open(Target.of(lab.namespaceOf(first)), showDir)) {
      out.print(StateWriter.toYaml(engine.show(BRIDGE::equals)));
    }
    return status;
  }

  /** Step 2: a NAD on br1, two pods on two nodes through the shim, a ping between them. */
  private int attachmentStep(Map<String, String> networkStatus) throws Exception {
    var client = lab.client();
    step(
        "Creating NAD "
            + POD_NAMESPACE
            + "/"
            + BRIDGE_NAD
            + " (bridge br1, whereabouts 198.18.1.0/24)");
    client
        .resources(NetworkAttachmentDefinition.class)
        .inNamespace(POD_NAMESPACE)
        .resource(bridgeNad())
        .create();
    out.println(
        "  (whereabouts IPAM: each node's agent allocates from one IPPool in the API, so pods on"
            + " different nodes never get the same address)");
    String nodeA = lab.nodes().get(0);
    String nodeB = lab.nodes().get(Math.min(1, lab.nodes().size() - 1));
    step(
        "Creating pods pod-a on "
            + nodeA
            + " and pod-b on "
            + nodeB
            + " ("
            + NETWORKS
            + ": "
            + BRIDGE_NAD
            + "); the lab runtime execs the multihome-cni shim for each");
    client.pods().resource(pod("pod-a", nodeA, BRIDGE_NAD, null)).create();
    client.pods().resource(pod("pod-b", nodeB, BRIDGE_NAD, null)).create();
    var a = sandbox("pod-a");
    var b = sandbox("pod-b");
    if (a == null || b == null) {
      return -1;
    }
    for (var name : List.of("pod-a", "pod-b")) {
      String status = printNetworkStatus(name);
      networkStatus.put(name, status);
    }
    String ipB = secondaryIp(networkStatus.get("pod-b"), POD_NAMESPACE + "/" + BRIDGE_NAD);
    if (ipB == null) {
      out.println("pod-b has no address on " + BRIDGE_NAD);
      return -1;
    }
    return ping(a.netns(), ipB, "pod-a", "pod-b", "br1 on both nodes and the fabric");
  }

  private record Broken(String status, String reason, String message, boolean unchanged) {}

  /** Step 3: a route that sends the gateway's address out of br1: the gateway probe fails. */
  private Broken connectivityBreakStep() throws Exception {
    var client = lab.client();
    var before = stateByNode();
    step(
        "Applying NNCP "
            + BROKEN_POLICY
            + ": a route to "
            + LabFabric.GATEWAY
            + "/32 via br1, cutting every node off its default gateway");
    client.resource(brokenPolicy()).create();
    String brokenStatus = watchUntil(BROKEN_POLICY, ConditionTypes.DEGRADED);
    var failing =
        client.resources(NodeNetworkConfigurationEnactment.class).list().getItems().stream()
            .filter(n -> n.getMetadata().getName().endsWith("." + BROKEN_POLICY))
            .map(n -> trueCondition(n.getStatus() == null ? null : n.getStatus().getConditions()))
            .flatMap(Optional::stream)
            .filter(c -> ConditionTypes.FAILING.equals(c.getType()))
            .findFirst();
    failing.ifPresent(c -> out.printf("%nWhy it failed (%s): %s%n", c.getReason(), c.getMessage()));
    var after = stateByNode();
    boolean unchanged = before.equals(after);
    step(
        unchanged
            ? "Rolled back: every node's links, addresses and routes are as before the policy"
            : "NOT rolled back: state before " + before + ", after " + after);
    String gwPing =
        lab.nodes().isEmpty() ? "" : "ping " + LabFabric.GATEWAY + " from " + lab.nodes().get(0);
    var gw = ping(lab.namespaceOf(lab.nodes().get(0)), LabFabric.GATEWAY);
    int code = gw.code();
    out.printf("  %s:%n", gwPing);
    out.print(indent(gw.output()));
    out.printf("  exit code %d%n", code);
    return new Broken(
        brokenStatus,
        failing.map(Condition::getReason).orElse(null),
        failing.map(Condition::getMessage).orElse(null),
        unchanged && code == 0);
  }

  /** Step 4: emulated PFs, a node policy and a network, two pods on VFs. */
  private int sriovStep(Map<String, String> sync, Map<String, String> networkStatus)
      throws Exception {
    var client = lab.client();
    step(
        "SR-IOV: each node has an emulated Intel XXV710 PF ens1f0 ("
            + Lab.SRIOV_PCI
            + "; VFs become macvlans on it)");
    client.resource(yaml(SRIOV_POLICY_YAML, SriovNetworkNodePolicy.class)).create();
    out.print(indent(SRIOV_POLICY_YAML));
    var states = awaitSriovSynced(sync);
    out.println();
    out.print(sriovTable(states));
    for (var state : states) {
      var vfs =
          state.getStatus().getInterfaces().get(0).getVfs().stream()
              .map(VirtualFunction::getPciAddress)
              .sorted()
              .toList();
      lab.runtime().registerDevices(state.getMetadata().getName(), SRIOV_RESOURCE, vfs);
    }
    out.println("  (the lab's kubelet advertises each node's VFs as " + SRIOV_RESOURCE + ")");

    step("Creating SriovNetwork " + SRIOV_NETWORK + " (whereabouts 198.18.2.0/24)");
    client.resource(yaml(SRIOV_NETWORK_YAML, SriovNetwork.class)).create();
    var nad = awaitNad(SRIOV_NETWORK);
    if (nad == null) {
      out.println("  no NAD was rendered");
      return -1;
    }
    out.printf(
        "  NAD %s/%s rendered by the controller, resourceName %s%n",
        POD_NAMESPACE,
        SRIOV_NETWORK,
        nad.getMetadata().getAnnotations().get("k8s.v1.cni.cncf.io/resourceName"));

    String nodeA = lab.nodes().get(0);
    String nodeB = lab.nodes().get(Math.min(1, lab.nodes().size() - 1));
    step(
        "Creating pods vf-a on "
            + nodeA
            + " and vf-b on "
            + nodeB
            + " (requesting "
            + SRIOV_RESOURCE
            + ": 1, "
            + NETWORKS
            + ": "
            + SRIOV_NETWORK
            + ")");
    client.pods().resource(pod("vf-a", nodeA, SRIOV_NETWORK, SRIOV_RESOURCE)).create();
    client.pods().resource(pod("vf-b", nodeB, SRIOV_NETWORK, SRIOV_RESOURCE)).create();
    var a = sandbox("vf-a");
    var b = sandbox("vf-b");
    if (a == null || b == null) {
      return -1;
    }
    for (var name : List.of("vf-a", "vf-b")) {
      networkStatus.put(name, printNetworkStatus(name));
    }
    var calls = lab.vfControl(nodeA).calls();
    if (!calls.isEmpty()) {
      out.printf(
          "  VF settings sent through the PF for vf-a: %s vf %d (recorded: a macvlan has no VF"
              + " table)%n",
          calls.get(0).pfName(), calls.get(0).settings().vf());
    }
    String ipB = secondaryIp(networkStatus.get("vf-b"), POD_NAMESPACE + "/" + SRIOV_NETWORK);
    if (ipB == null) {
      out.println("vf-b has no address on " + SRIOV_NETWORK);
      return -1;
    }
    return ping(a.netns(), ipB, "vf-a", "vf-b", "VF to VF over the fabric");
  }

  private List<SriovNetworkNodeState> awaitSriovSynced(Map<String, String> sync)
      throws InterruptedException {
    var client = lab.client();
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (true) {
      var states =
          client
              .resources(SriovNetworkNodeState.class)
              .inNamespace(Lab.SRIOV_NAMESPACE)
              .list()
              .getItems();
      sync.clear();
      boolean done = states.size() == lab.nodes().size();
      for (var s : states) {
        var st = s.getStatus();
        String status =
            st == null || st.getSyncStatus() == null ? "" : st.getSyncStatus().toString();
        sync.put(s.getMetadata().getName(), status);
        boolean vfs =
            st != null
                && st.getInterfaces() != null
                && !st.getInterfaces().isEmpty()
                && st.getInterfaces().get(0).getVfs() != null
                && st.getInterfaces().get(0).getVfs().size() == SRIOV_NUM_VFS;
        boolean specSet =
            s.getSpec() != null
                && s.getSpec().getInterfaces() != null
                && !s.getSpec().getInterfaces().isEmpty();
        done &= specSet && vfs && "Succeeded".equals(status);
      }
      if (done) {
        return states.stream()
            .sorted(java.util.Comparator.comparing(s -> s.getMetadata().getName()))
            .toList();
      }
      if (System.nanoTime() > deadline) {
        out.println("Gave up waiting for the SR-IOV node states: " + sync);
        return states;
      }
      Thread.sleep(200);
    }
  }

  private static String sriovTable(List<SriovNetworkNodeState> states) {
    var rows = new ArrayList<List<String>>();
    rows.add(List.of("NAME", "SYNC STATUS", "PF", "NUMVFS", "VFS"));
    for (var s : states) {
      var pf = s.getStatus().getInterfaces().get(0);
      rows.add(
          List.of(
              s.getMetadata().getName(),
              String.valueOf(s.getStatus().getSyncStatus()),
              pf.getName(),
              String.valueOf(pf.getNumVfs()),
              pf.getVfs().stream()
                  .map(v -> v.getName() + "(" + v.getPciAddress() + ")")
                  .collect(Collectors.joining(" "))));
    }
    return StatusTables.render(rows);
  }

  private NetworkAttachmentDefinition awaitNad(String name) throws InterruptedException {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      var nad =
          lab.client()
              .resources(NetworkAttachmentDefinition.class)
              .inNamespace(POD_NAMESPACE)
              .withName(name)
              .get();
      if (nad != null) {
        return nad;
      }
      Thread.sleep(100);
    }
    return null;
  }

  /** Waits for the runtime's sandbox of a pod in {@link #POD_NAMESPACE}; prints failures. */
  SandboxInfo sandbox(String name) throws InterruptedException {
    var s = lab.runtime().awaitSandbox(POD_NAMESPACE, name, STEP_TIMEOUT);
    if (s.isEmpty()) {
      out.println("  " + name + ": no sandbox after " + STEP_TIMEOUT.toSeconds() + " s");
      return null;
    }
    var sb = s.get();
    if (!sb.ok()) {
      out.printf(
          "  %s: CNI ADD failed (exit %d): %s %s%n", name, sb.exitCode(), sb.result(), sb.stderr());
      return null;
    }
    out.printf("  %s: sandbox %s, CNI ADD exit code 0%n", name, sb.netns());
    return sb;
  }

  /** Prints and returns the pod's network-status annotation (as the agent wrote it). */
  private String printNetworkStatus(String name) {
    var pod = lab.client().pods().inNamespace(POD_NAMESPACE).withName(name).get();
    String status =
        pod == null || pod.getMetadata().getAnnotations() == null
            ? null
            : pod.getMetadata().getAnnotations().get(NETWORK_STATUS);
    out.printf("%n%s %s:%n", name, NETWORK_STATUS);
    out.print(status == null ? "  (none)\n" : indent(prettyJson(status)));
    return status;
  }

  private int ping(String fromNetns, String ip, String from, String to, String path) {
    out.printf("%n  ping %s (%s) from %s over %s:%n", ip, to, from, path);
    var result = ping(fromNetns, ip);
    out.print(indent(result.output()));
    out.printf("  exit code %d%n", result.code());
    return result.code();
  }

  /** What {@code ping -c 1 -W 2} printed and its exit code (0 = answered). */
  record PingResult(int code, String output) {}

  /** {@code ping -c 1 -W 2} inside {@code netns}; its exit code (0 = answered). */
  static int pingCode(String netns, String ip) {
    return ping(netns, ip).code();
  }

  static PingResult ping(String netns, String ip) {
    try {
      var p =
          new ProcessBuilder("ip", "netns", "exec", netns, "ping", "-c", "1", "-W", "2", ip)
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new PingResult(-1, output);
      }
      return new PingResult(p.exitValue(), output.strip());
    } catch (java.io.IOException e) {
      return new PingResult(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new PingResult(-1, "interrupted");
    }
  }

  /** The first IP of the network-status entry named {@code network}, without prefix length. */
  static String secondaryIp(String networkStatus, String network) {
    if (networkStatus == null) {
      return null;
    }
    try {
      for (var entry : JSON.readTree(networkStatus)) {
        if (network.equals(entry.path("name").asText()) && entry.path("ips").size() > 0) {
          return entry.path("ips").get(0).asText().split("/")[0];
        }
      }
    } catch (java.io.IOException e) {
      return null;
    }
    return null;
  }

  private static String prettyJson(String json) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json));
    } catch (java.io.IOException e) {
      return json;
    }
  }

  static String indent(String text) {
    return text.lines().map(l -> "  " + l).collect(Collectors.joining("\n", "", "\n"));
  }

  /** Prints the tables each time they change until {@code policy} reaches {@code wanted}. */
  String watchUntil(String policy, String wanted) throws InterruptedException {
    var client = lab.client();
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    String status = "";
    while (true) {
      var nncps = client.resources(NodeNetworkConfigurationPolicy.class).list().getItems();
      // Only this policy's enactments: the earlier policies' stay Available and add nothing.
      var nnces =
          client.resources(NodeNetworkConfigurationEnactment.class).list().getItems().stream()
              .filter(n -> n.getMetadata().getName().endsWith("." + policy))
              .toList();
      // Each table is printed when its own content changed (compared without ages, so a ticking
      // clock alone reprints nothing), and once it has rows: a header alone tells nothing.
      String policies = StatusTables.policies(nncps);
      if (!nncps.isEmpty() && !policies.equals(lastPolicies)) {
        lastPolicies = policies;
        out.println();
        out.print(policies);
      }
      String enactments = StatusTables.enactments(nnces, Instant.EPOCH);
      if (!nnces.isEmpty() && !enactments.equals(lastEnactments)) {
        lastEnactments = enactments;
        out.println();
        out.print(StatusTables.enactments(nnces, Instant.now()));
      }
      status =
          nncps.stream()
              .filter(p -> p.getMetadata().getName().equals(policy))
              .map(p -> trueCondition(p.getStatus() == null ? null : p.getStatus().getConditions()))
              .flatMap(Optional::stream)
              .map(Condition::getType)
              .findFirst()
              .orElse("");
      // A status from before an edit of the policy does not count: every enactment has to be
      // about the policy's current generation.
      if (status.equals(wanted) && current(policy, nncps, nnces)) {
        return status;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        out.printf("%nGave up waiting: NNCP %s is '%s', not %s%n", policy, status, wanted);
        return status;
      }
      // Woken by any NNCP/NNCE event; the timeout only bounds how long a missed event can hide.
      changed.tryAcquire(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
      changed.drainPermits();
    }
  }

  private static boolean current(
      String policy,
      List<NodeNetworkConfigurationPolicy> nncps,
      List<NodeNetworkConfigurationEnactment> nnces) {
    Long generation =
        nncps.stream()
            .filter(p -> p.getMetadata().getName().equals(policy))
            .map(p -> p.getMetadata().getGeneration())
            .findFirst()
            .orElse(null);
    // Settled: about the current generation, and done (not Pending or Progressing).
    return generation != null
        && nnces.stream()
            .allMatch(
                n ->
                    n.getStatus() != null
                        && generation.equals(n.getStatus().getPolicyGeneration())
                        && trueCondition(n.getStatus().getConditions())
                            .map(c -> SETTLED.contains(c.getType()))
                            .orElse(false));
  }

  private static final java.util.Set<String> SETTLED =
      java.util.Set.of(ConditionTypes.AVAILABLE, ConditionTypes.FAILING, ConditionTypes.ABORTED);

  /**
   * Per node namespace: every link ({@code name>master up|down}), address ({@code name addr/len})
   * and route outside the local table ({@code dst via gw dev name table t metric m}) — what a
   * rollback must restore.
   */
  Map<String, List<String>> stateByNode() {
    var result = new TreeMap<String, List<String>>();
    for (var node : lab.nodes()) {
      try (var nl = RtNetlink.openNamed(lab.namespaceOf(node))) {
        var links = nl.links().list();
        var names = new HashMap<Integer, String>();
        links.forEach(l -> names.put(l.index(), l.name()));
        var lines = new ArrayList<String>();
        links.forEach(
            l ->
                lines.add(
                    "link "
                        + l.name()
                        + ">"
                        + masterName(links, l)
                        + (l.isUp() ? " up" : " down")));
        nl.addresses()
            .list()
            .forEach(a -> lines.add("addr " + names.get(a.index()) + " " + a.local()));
        for (int family : List.of(Rtnl.AF_INET, Rtnl.AF_INET6)) {
          for (Route r : nl.routes().list(family)) {
            if (r.table() == LOCAL_TABLE) {
              continue; // the kernel's own, derived from addresses (IPv6 ones appear after DAD)
            }
            lines.add(
                "route "
                    + (r.isDefault() ? "default" : r.dst().toString())
                    + (r.gateway() == null ? "" : " via " + r.gateway().getHostAddress())
                    + (r.oif() == null ? "" : " dev " + names.get(r.oif()))
                    + " table "
                    + r.table()
                    + (r.metric() == null ? "" : " metric " + r.metric()));
          }
        }
        result.put(node, lines.stream().sorted().toList());
      }
    }
    return result;
  }

  private static String masterName(List<Link> links, Link l) {
    if (l.masterIndex() == null) {
      return "";
    }
    return links.stream()
        .filter(m -> m.index() == l.masterIndex())
        .map(Link::name)
        .findFirst()
        .orElse("?");
  }

  void step(String text) {
    out.println();
    out.println("==> " + text);
  }

  static Optional<Condition> trueCondition(List<Condition> conditions) {
    return StatusTables.trueCondition(conditions);
  }

  static final int SRIOV_NUM_VFS = 2;
  private static final int LOCAL_TABLE = 255;

  static final String SRIOV_POLICY_YAML =
      """
      apiVersion: sriovnetwork.openshift.io/v1
      kind: SriovNetworkNodePolicy
      metadata:
        name: lab-vfs
        namespace: sriov-network-operator
      spec:
        resourceName: labsriov
        nodeSelector:
          multihome.io/lab: "true"
        numVfs: 2
        nicSelector:
          vendor: "8086"
          pfNames: ["ens1f0"]
        deviceType: netdevice
      """;

  static final String SRIOV_NETWORK_YAML =
      """
      apiVersion: sriovnetwork.openshift.io/v1
      kind: SriovNetwork
      metadata:
        name: lab-sriov
        namespace: sriov-network-operator
      spec:
        resourceName: labsriov
        networkNamespace: default
        ipam: |
          {"type": "whereabouts", "range": "198.18.2.0/24"}
      """;

  /** {@link #BRIDGE_EXAMPLE} as written. */
  static NodeNetworkConfigurationPolicy bridgePolicy(Path repoRoot) throws java.io.IOException {
    return yaml(
        Files.readString(repoRoot.resolve(BRIDGE_EXAMPLE)), NodeNetworkConfigurationPolicy.class);
  }

  /**
   * A /32 route to the nodes' gateway through br1 (no gateway there): the probe's target is cut.
   */
  static NodeNetworkConfigurationPolicy brokenPolicy() {
    ObjectNode state = JSON.createObjectNode();
    state
        .putObject("routes")
        .putArray("config")
        .addObject()
        .put("destination", LabFabric.GATEWAY + "/32")
        .put("next-hop-interface", BRIDGE);
    var p = new NodeNetworkConfigurationPolicy();
    p.getMetadata().setName(BROKEN_POLICY);
    p.setSpec(new NodeNetworkConfigurationPolicySpec());
    p.getSpec().setDesiredState(state);
    p.getSpec().setNodeSelector(Map.of(Lab.LAB_LABEL, "true"));
    p.getSpec().setMaxUnavailable(new IntOrString(1));
    return p;
  }

  /** bridge on br1 + whereabouts: one pool for every node, in the API. */
  static NetworkAttachmentDefinition bridgeNad() {
    var nad = new NetworkAttachmentDefinition();
    nad.getMetadata().setNamespace(POD_NAMESPACE);
    nad.getMetadata().setName(BRIDGE_NAD);
    nad.setSpec(
        new NetworkAttachmentDefinitionSpec(
            """
            {"cniVersion":"1.0.0","type":"bridge","bridge":"br1",
             "ipam":{"type":"whereabouts","range":"198.18.1.0/24"}}
            """));
    return nad;
  }

  /** A pod bound to {@code node} on {@code network}, optionally requesting one {@code resource}. */
  public static Pod pod(String name, String node, String network, String resource) {
    var container = new ContainerBuilder().withName("c").withImage("registry.invalid/lab:1");
    if (resource != null) {
      container
          .withNewResources()
          .addToRequests(resource, new Quantity("1"))
          .addToLimits(resource, new Quantity("1"))
          .endResources();
    }
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(POD_NAMESPACE)
        .withName(name)
        .addToAnnotations(NETWORKS, network)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .withContainers(container.build())
        .endSpec()
        .build();
  }

  private static <T> T yaml(String text, Class<T> type) {
    return new KubernetesSerialization().unmarshal(text, type);
  }

  /** Any add/update/delete wakes {@link #watchUntil}. */
  private final class Wakeup<T> implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T obj) {
      changed.release();
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
      changed.release();
    }

    @Override
    public void onDelete(T obj, boolean unknown) {
      changed.release();
    }
  }
}

package io.multihome.lab;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.multihome.agent.cluster.AgentConfig;
import io.multihome.agent.cluster.AttachmentServices;
import io.multihome.agent.cluster.Backoff;
import io.multihome.agent.cluster.NodeAgent;
import io.multihome.agent.cni.cluster.CniCluster;
import io.multihome.agent.cni.daemon.CniDaemon;
import io.multihome.agent.cni.ipam.IpamDaemon;
import io.multihome.agent.cni.nad.NamespacePolicy;
import io.multihome.agent.cni.sriov.EmulatedVfControl;
import io.multihome.agent.sriov.EmulatedSriovNic;
import io.multihome.agent.sriov.SriovAgent;
import io.multihome.agent.sriov.SriovAgentConfig;
import io.multihome.controller.ControllerConfig;
import io.multihome.controller.PolicyController;
import io.multihome.controller.sriov.SriovControllerConfig;
import io.multihome.controller.sriov.SriovControllers;
import io.multihome.lab.api.LabApiServer;
import io.multihome.lab.kubelet.ShimLaunch;
import io.multihome.sriov.sysfs.fake.FakeNic;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded cluster in one JVM: the {@link LabFabric} namespaces, fabric8's mock API server in
 * CRUD mode with the project's CRDs, the policy controller and one agent per node (each bound to
 * its node namespace through the real engine). {@link #close} undoes all of it and is safe to call
 * twice (from the shutdown hook and from the normal path).
 */
public final class Lab implements AutoCloseable {
  /** The label the nodes get during the scenario, and the policies' node selector. */
  public static final String LAB_LABEL = "multihome.io/lab";

  static final List<String> CRDS =
      List.of(
          "nodenetworkconfigurationpolicies.nmstate.io.yaml",
          "nodenetworkconfigurationenactments.nmstate.io.yaml",
          "nodenetworkstates.nmstate.io.yaml");

  /**
   * Three attempts a second or two apart instead of the default five up to 30 s apart: a failing
   * policy in the lab reaches Degraded in seconds, which is what a demo wants to show.
   */
  static final Backoff LAB_BACKOFF = new Backoff(3, Duration.ofSeconds(1), Duration.ofSeconds(2));

  private static final Logger log = LoggerFactory.getLogger(Lab.class);

  /** The SR-IOV operator namespace (policies and node states), as upstream. */
  public static final String SRIOV_NAMESPACE = SriovControllerConfig.DEFAULT_OPERATOR_NAMESPACE;

  /**
   * What the lab builds beyond nodes, API, controller and agents.
   *
   * @param primaryNics each node gets {@code eth0} with an address and a default gateway on the
   *     fabric ({@link LabFabric#create(int, boolean, boolean)}): the agents' gateway probe has a
   *     target
   * @param attachments each node runs the agent's CNI daemon ({@code CniCluster}) on a socket under
   *     the work dir, and {@link LabRuntime} gives pods bound to lab nodes their sandbox through
   *     the CNI shim
   * @param sriov each node gets an emulated SR-IOV NIC and the SR-IOV agent; the SR-IOV controllers
   *     run
   * @param probeTimeout the agents' probe timeout (null = the agent default)
   * @param injectionWebhook with attachments: the resources injection webhook is registered, as on
   *     a cluster whose operator installs it (it refuses pods whose networks name a NAD that does
   *     not exist yet); without it pods wait for a late NAD, as on a cluster with Multus alone
   */
  public record Options(
      boolean primaryNics,
      boolean attachments,
      boolean sriov,
      Duration probeTimeout,
      boolean injectionWebhook) {
    /** With the injection webhook whenever there are attachments. */
    public Options(boolean primaryNics, boolean attachments, boolean sriov, Duration probeTimeout) {
      this(primaryNics, attachments, sriov, probeTimeout, attachments);
    }

    /** The same lab without the resources injection webhook. */
    public Options withoutInjectionWebhook() {
      return new Options(primaryNics, attachments, sriov, probeTimeout, false);
    }

    /** Nodes with {@code eth1} only, no attachments, no SR-IOV: the lab as it first was. */
    public static Options basic() {
      return new Options(false, false, false, null);
    }

    /** Everything the scenario uses. */
    public static Options full() {
      return new Options(true, true, true, Duration.ofSeconds(1));
    }
  }

  /** The emulated PF's PCI address on every node (each node has its own fake sysfs). */
  public static final String SRIOV_PCI = "0000:3b:00.0";

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean apiStopped = new AtomicBoolean();
  private final Object lifecycle = new Object();
  private final Map<String, String> nodeNamespaces = new HashMap<>();
  private final List<String> nodes = new ArrayList<>();
  private LabFabric fabric;
  private LabApiServer server;
  private KubernetesClient client;
  private final Map<String, AttachmentServices> attachments = new HashMap<>();
  private final Map<String, EmulatedSriovNic> sriovNics = new HashMap<>();
  private final Map<String, EmulatedVfControl> vfControls = new HashMap<>();
  private Options options = Options.basic();
  private Path repoRoot;
  private LabRuntime runtime;
  private Path workDir;
  private LabDhcpServer dhcpServer;

  private Lab() {}

  /**
   * Builds the whole lab. {@code repoRoot} holds {@code deploy/crds}. On failure everything started
   * so far is torn down before the exception propagates.
   */
  public static Lab start(int nodeCount, Path repoRoot) throws IOException {
    return start(nodeCount, repoRoot, Options.basic());
  }

  /** As {@link #start(int, Path)} with more of the cluster ({@link Options#full()} for all). */
  public static Lab start(int nodeCount, Path repoRoot, Options options) throws IOException {
    return start(nodeCount, repoRoot, options, lab -> {});
  }

  /**
   * As {@link #start(int, Path, Options)}, handing the lab to {@code created} before anything is
   * built, so a shutdown hook can {@link #close} a lab that is still being built ({@code close}
   * waits for the build to finish, then removes everything).
   */
  static Lab start(int nodeCount, Path repoRoot, Options options, Consumer<Lab> created)
      throws IOException {
    var lab = new Lab();
    lab.options = options;
    lab.repoRoot = repoRoot;
    created.accept(lab);
    try {
      synchronized (lab.lifecycle) {
        lab.build(nodeCount, repoRoot);
      }
      return lab;
    } catch (IOException | RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  private void build(int nodeCount, Path repoRoot) throws IOException {
    if (closed.get()) {
      throw new IOException("the lab was stopped before it was built");
    }
    workDir = Files.createTempDirectory("mh-lab-");
    fabric = LabFabric.create(nodeCount, options.primaryNics(), options.sriov());
    server = LabApiServer.start(LabApiServer.Options.defaults());
    client = server.createClient();
    boolean more = options.attachments() || options.sriov();
    for (var crd : more ? allCrds(repoRoot) : CRDS) {
      try (InputStream in = Files.newInputStream(repoRoot.resolve("deploy/crds").resolve(crd))) {
        client.apiextensions().v1().customResourceDefinitions().load(in).create();
      }
    }
    // The API admits objects only into existing namespaces, as a cluster's does: the install's
    // namespace (agent leases) exists as deploy/ creates it.
    var namespaces =
        new ArrayList<>(List.of("default", "kube-system", ControllerConfig.DEFAULT_NAMESPACE));
    if (more) {
      namespaces.add(SRIOV_NAMESPACE);
    }
    for (var ns : namespaces) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    int k = 0;
    for (var ns : fabric.nodeNamespaces()) {
      String node = "lab-node" + ++k;
      nodes.add(node);
      nodeNamespaces.put(node, ns);
      client.nodes().resource(readyNode(node)).create();
    }
    // The additionalNetworks controller needs the operator.openshift.io CRD: the full lab has it.
    toClose.add(
        PolicyController.start(client, ControllerConfig.defaults().withNetworkOperator(more)));
    if (options.attachments() && options.injectionWebhook()) {
      // The controller's resources injection webhook, registered as deploy/ registers it.
      toClose.add(LabWebhook.start(client, server, repoRoot));
    }
    if (options.sriov()) {
      var operator = SriovControllers.start(client, SriovControllerConfig.defaults());
      toClose.add(operator::stop);
    }
    // The DHCP segment (docs/lab.md): dnsmasq on the fabric bridge, 198.18.64.0/24, so the nodes'
    // DHCP (docs/examples/linux-bridge.yaml) and dhcp IPAM attachments get real leases.
    startDhcpServer();
    for (var node : nodes) {
      Path stateDir = Files.createDirectories(workDir.resolve(node));
      // Open vSwitch starts on the node when a policy first needs it (LabOvsNode, docs/lab.md).
      var ovs = new LabOvsNode(nodeNamespaces.get(node), workDir.resolve(node).resolve("ovs"));
      toClose.add(ovs);
      var network = ovs.network(stateDir);
      toClose.add(network);
      var config =
          AgentConfig.defaults(node, stateDir).withMetricsPort(-1).withBackoff(LAB_BACKOFF);
      if (options.probeTimeout() != null) {
        config = config.withProbes(true, options.probeTimeout());
      }
      toClose.add(NodeAgent.builder(client, network, config).start());
      if (options.sriov()) {
        startSriov(node);
      }
      if (options.attachments()) {
        startCni(node);
        toClose.add(() -> stopAttachments(node));
      }
    }
    if (options.attachments()) {
      runtime = LabRuntime.start(this);
      toClose.add(runtime);
      server.setPodLogs(runtime.podLogs());
    }
  }

  private static List<String> allCrds(Path repoRoot) throws IOException {
    try (Stream<Path> files = Files.list(repoRoot.resolve("deploy/crds"))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .sorted()
          .toList();
    }
  }

  /**
   * The DHCP segment (docs/lab.md): dnsmasq on the fabric bridge, for dhcp IPAM attachments. A lab
   * without dnsmasq still runs everything else, and says what is missing.
   */
  private void startDhcpServer() throws IOException {
    if (!Files.isExecutable(Path.of("/usr/sbin/dnsmasq"))) {
      log.warn("no DHCP server on the fabric: dnsmasq is not installed (package dnsmasq-base)");
      return;
    }
    // Without dnsmasq's 3 s ping check of an address before offering it: nothing else on the
    // fabric hands out its pool, and a 50-node rollout would wait for it in every batch.
    dhcpServer =
        LabDhcpServer.start(
            LabDhcpServer.Settings.lab(fabric.fabricNamespace(), LabFabric.BRIDGE)
                .withOptions("--no-ping"),
            workDir.resolve("dhcp-server"));
    toClose.add(dhcpServer);
  }

  /** The emulated PF (VFs are macvlans on {@code ens1f0}) and the SR-IOV agent of {@code node}. */
  private void startSriov(String node) throws IOException {
    var nic =
        EmulatedSriovNic.create(
            workDir.resolve(node).resolve("sys"),
            namespaceOf(node),
            FakeNic.intelXxv710(SRIOV_PCI, LabFabric.SRIOV_PF));
    toClose.add(nic);
    sriovNics.put(node, nic);
    vfControls.put(node, new EmulatedVfControl());
    toClose.add(
        SriovAgent.start(
            client,
            node,
            SriovAgentConfig.defaults()
                .withEmulatedNic(nic)
                .withPfStoreDir(workDir.resolve(node).resolve("sriov-pfs"))
                .withResyncInterval(Duration.ofSeconds(5))));
  }

  /**
   * The node's attachment services as the agent runs them ({@link AttachmentServices}: the CNI
   * daemon, the whereabouts-compatible IPAM and its reconciler, the Service proxy): a unix socket,
   * plugins run inside the node namespace, a runtime conf dir holding the node's cluster network
   * ({@code 10-cluster.conflist}, bridge {@code cni0} + host-local 198.19.k.0/24) where it writes
   * {@code 00-multihome.conflist}. The lab's CNI bin dir comes first on the plugins' path: it holds
   * the lab's {@code host-local} ({@link LabHostLocal}) and the shim wrapper as {@code
   * whereabouts}, as {@code multihome-cni-install} puts it on a node, so a main plugin such as
   * macvlan finds it by the NAD's IPAM type and the shim asks this node's IPAM socket; IPPools and
   * reservations go to the lab API.
   */
  private void startCni(String node) throws IOException {
    Path dir = workDir.resolve(node);
    Path netd = Files.createDirectories(dir.resolve("net.d"));
    int k = nodes.indexOf(node) + 1;
    Files.writeString(
        netd.resolve("10-cluster.conflist"),
        """
        {"cniVersion":"1.0.0","name":"cluster","plugins":[
          {"type":"bridge","bridge":"cni0","isGateway":true,
           "ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"198.19.%d.0/24"}]]}}]}
        """
            .formatted(workDir.resolve("ipam"), k));
    startAttachments(node);
  }

  /**
   * Starts {@code node}'s attachment services (again, after {@link #stopAttachments}): what the
   * node's agent runs for pods. Its state dir, conf dir and sockets are those of before, as an
   * agent's restart finds them on the node.
   */
  public void startAttachments(String node) throws IOException {
    synchronized (attachments) {
      if (attachments.containsKey(node)) {
        return;
      }
      Path dir = workDir.resolve(node);
      Path netd = dir.resolve("net.d");
      var settings =
          new CniDaemon.Settings(
                  cniSocket(node),
                  dir.resolve("cni-state"),
                  List.of(cniBin(), CNI_BIN),
                  dir.resolve("multus.d"),
                  NamespacePolicy.open(),
                  "kube-system",
                  Path.of("/run/netns", namespaceOf(node)),
                  8,
                  Duration.ofSeconds(30),
                  Duration.ofSeconds(2),
                  Map.of())
              .withPluginEnv(ShimLaunch.environment(workDir));
      var nic = sriovNics.get(node);
      var cniOptions =
          new CniCluster.Options(
              List.of(),
              Duration.ofMillis(500),
              kubeletCheckpoint(node),
              nic != null ? nic.kernel().root() : dir.resolve("no-sys"),
              netd,
              null,
              null,
              Duration.ofSeconds(30),
              // The node's own dhcp daemon, inside its namespace, on a socket of its own.
              dir.resolve("dhcp.sock"),
              // whereabouts' flat file where a node has it (/etc/cni/net.d/whereabouts.d/…),
              // never this machine's.
              IpamDaemon.Options.defaults()
                  .withFlatFiles(
                      List.of(netd.resolve("whereabouts.d").resolve("whereabouts.conf"))));
      attachments.put(
          node,
          AttachmentServices.start(
              client,
              node,
              settings,
              cniOptions,
              vfControls.get(node),
              AttachmentServices.Options.defaults(AgentConfig.DEFAULT_NAMESPACE)
                  .withReconcileInterval(IPAM_RECONCILE_INTERVAL)));
    }
  }

  /**
   * Stops {@code node}'s attachment services, as when its agent is down: the shim cannot reach the
   * daemon (ADD and DEL fail), no IPAM on the node, its pods' Service rules stay as they are.
   */
  public void stopAttachments(String node) {
    AttachmentServices services;
    synchronized (attachments) {
      services = attachments.remove(node);
    }
    if (services != null) {
      services.close();
    }
  }

  /**
   * The lab's CNI bin dir, searched first by the runtime and the daemons: the lab's {@code
   * host-local}, and the shim wrapper as {@code whereabouts} (the runtime adds {@code
   * multihome-cni}).
   */
  private synchronized Path cniBin() throws IOException {
    Path bin = workDir.resolve("cni-bin");
    if (!Files.exists(bin.resolve(LabHostLocal.PLUGIN))) {
      LabHostLocal.install(bin, workDir.resolve("ipam"), CNI_BIN);
    }
    Path whereabouts = bin.resolve("whereabouts");
    if (!Files.isSymbolicLink(whereabouts)) {
      Files.createSymbolicLink(whereabouts, ShimLaunch.wrapper(repoRoot));
    }
    return bin;
  }

  /**
   * How often the elected node's IPAM reconciler sweeps: seconds instead of the agent's 5 minutes,
   * so what a lab user deletes while a node is down is seen freed while they watch.
   */
  public static final Duration IPAM_RECONCILE_INTERVAL = Duration.ofSeconds(10);

  /** Where the lab's CNI plugins live (the distribution's reference plugins). */
  public static final Path CNI_BIN = Path.of("/usr/lib/cni");

  public Options options() {
    return options;
  }

  /** The checkout the lab was started from (holds {@code deploy/crds}, the shim wrapper). */
  public Path repoRoot() {
    return repoRoot;
  }

  /** The DHCP server on the fabric (dnsmasq, 198.18.64.0/24), or null without dnsmasq. */
  public LabDhcpServer dhcpServer() {
    return dhcpServer;
  }

  /** The container-runtime simulation (with {@link Options#attachments()}), else null. */
  public LabRuntime runtime() {
    return runtime;
  }

  /**
   * The CNI daemon of {@code node} (with {@link Options#attachments()}), else null (also while its
   * attachment services are stopped).
   */
  public CniCluster cni(String node) {
    var services = attachmentServices(node);
    return services == null ? null : services.cni();
  }

  /** {@code node}'s attachment services (daemon, IPAM, Service proxy), or null. */
  public AttachmentServices attachmentServices(String node) {
    synchronized (attachments) {
      return attachments.get(node);
    }
  }

  /** The unix socket the shim uses to reach {@code node}'s CNI daemon. */
  public Path cniSocket(String node) {
    return workDir.resolve(node).resolve("cni.sock");
  }

  /** {@code node}'s runtime CNI conf dir ({@code 10-cluster.conflist}, 00-multihome.conflist). */
  public Path cniConfDir(String node) {
    return workDir.resolve(node).resolve("net.d");
  }

  /** {@code node}'s device-plugin checkpoint, written by {@link LabRuntime} as a kubelet would. */
  public Path kubeletCheckpoint(String node) {
    return workDir.resolve(node).resolve("kubelet_internal_checkpoint");
  }

  /** {@code node}'s emulated SR-IOV NIC (with {@link Options#sriov()}), else null. */
  public EmulatedSriovNic sriovNic(String node) {
    return sriovNics.get(node);
  }

  /** The recorded VF attribute calls of {@code node}'s sriov attachments, else null. */
  public EmulatedVfControl vfControl(String node) {
    return vfControls.get(node);
  }

  /** A Node object that is Ready, as the controller expects of a node it may grant. */
  public static io.fabric8.kubernetes.api.model.Node readyNode(String name) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("kubernetes.io/hostname", name)
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  public KubernetesClient client() {
    return client;
  }

  /** Node names in order: {@code lab-node1}, ... */
  public List<String> nodes() {
    return List.copyOf(nodes);
  }

  /** Adds {@code labels} to every node (as {@code kubectl label nodes --all} would). */
  public void labelNodes(Map<String, String> labels) {
    for (var node : nodes) {
      client
          .nodes()
          .withName(node)
          .edit(
              n -> {
                n.getMetadata().getLabels().putAll(labels);
                return n;
              });
    }
  }

  /** The network namespace standing in for {@code node}. */
  public String namespaceOf(String node) {
    return nodeNamespaces.get(node);
  }

  public LabFabric fabric() {
    return fabric;
  }

  /** Scratch space (agents' state dirs, the kubeconfig); deleted on close. */
  public Path workDir() {
    return workDir;
  }

  /** The API server's base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String apiUrl() {
    return server.url();
  }

  /** The lab's API server (pods/log backend, webhook Service routes). */
  public LabApiServer api() {
    return server;
  }

  /**
   * Stops the API server while everything else keeps running, as an apiserver outage would look to
   * the agents and the CNI daemons; {@link #close} still tears the lab down.
   */
  public void stopApiServer() {
    synchronized (lifecycle) {
      if (server != null && apiStopped.compareAndSet(false, true)) {
        server.close();
      }
    }
  }

  /** Writes a kubeconfig pointing at the lab's API server and returns its path. */
  public Path writeKubeconfig() throws IOException {
    Path file = workDir.resolve("kubeconfig");
    Files.writeString(
        file,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: multihome-lab",
            "  cluster:",
            "    server: " + apiUrl(),
            "contexts:",
            "- name: multihome-lab",
            "  context:",
            "    cluster: multihome-lab",
            "    user: multihome-lab",
            "current-context: multihome-lab",
            "users:",
            "- name: multihome-lab",
            "  user:",
            "    token: lab",
            ""));
    return file;
  }

  @Override
  public void close() {
    synchronized (lifecycle) {
      closeNow();
    }
  }

  private void closeNow() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // Agents and the controller first (reverse start order), so nothing acts on a namespace while
    // it is being deleted; the namespaces go last, even when something before them throws.
    try {
      for (int i = toClose.size() - 1; i >= 0; i--) {
        try {
          toClose.get(i).close();
        } catch (Exception e) {
          log.warn("stopping {}: {}", toClose.get(i), e.toString());
        }
      }
      if (client != null) {
        client.close();
      }
      if (server != null && apiStopped.compareAndSet(false, true)) {
        server.close();
      }
    } finally {
      if (fabric != null) {
        fabric.close();
      }
      deleteTree(workDir);
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(Lab::deleteQuietly);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.delete(p);
    } catch (IOException e) {
      log.debug("deleting {}: {}", p, e.toString());
    }
  }
}

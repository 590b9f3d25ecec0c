package io.multihome.lab;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.multihome.agent.cluster.AgentConfig;
import io.multihome.agent.cluster.Backoff;
import io.multihome.agent.cluster.EngineNodeNetwork;
import io.multihome.agent.cluster.NodeAgent;
import io.multihome.controller.ControllerConfig;
import io.multihome.controller.PolicyController;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
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

  /**
   * The mock web server logs every request through java.util.logging; kept here (strongly
   * referenced, JUL holds loggers weakly) and turned down to warnings so the narration stays
   * readable.
   */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private static final Logger log = LoggerFactory.getLogger(Lab.class);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Map<String, String> nodeNamespaces = new HashMap<>();
  private final List<String> nodes = new ArrayList<>();
  private LabFabric fabric;
  private KubernetesMockServer server;
  private KubernetesClient client;
  private Path workDir;

  private Lab() {}

  /**
   * Builds the whole lab. {@code repoRoot} holds {@code deploy/crds}. On failure everything started
   * so far is torn down before the exception propagates.
   */
  public static Lab start(int nodeCount, Path repoRoot) throws IOException {
    var lab = new Lab();
    try {
      lab.build(nodeCount, repoRoot);
      return lab;
    } catch (IOException | RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  private void build(int nodeCount, Path repoRoot) throws IOException {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
    workDir = Files.createTempDirectory("mh-lab-");
    fabric = LabFabric.create(nodeCount);
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
    for (var crd : CRDS) {
      try (InputStream in = Files.newInputStream(repoRoot.resolve("deploy/crds").resolve(crd))) {
        client.apiextensions().v1().customResourceDefinitions().load(in).create();
      }
    }
    int k = 0;
    for (var ns : fabric.nodeNamespaces()) {
      String node = "lab-node" + ++k;
      nodes.add(node);
      nodeNamespaces.put(node, ns);
      client.nodes().resource(readyNode(node)).create();
    }
    toClose.add(PolicyController.start(client, ControllerConfig.defaults()));
    for (var node : nodes) {
      Path stateDir = Files.createDirectories(workDir.resolve(node));
      var network = new EngineNodeNetwork(nodeNamespaces.get(node), stateDir);
      toClose.add(network);
      toClose.add(
          NodeAgent.builder(
                  client,
                  network,
                  AgentConfig.defaults(node, stateDir).withMetricsPort(-1).withBackoff(LAB_BACKOFF))
              .start());
    }
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
    return "http://" + server.getHostName() + ":" + server.getPort();
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
      if (server != null) {
        server.destroy();
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

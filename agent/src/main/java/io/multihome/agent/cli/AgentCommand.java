package io.multihome.agent.cli;

import io.multihome.agent.cluster.AgentConfig;
import io.multihome.agent.cluster.AttachmentServices;
import io.multihome.agent.cluster.Backoff;
import io.multihome.agent.cluster.BridgeMarkerConfig;
import io.multihome.agent.cluster.EngineNodeNetwork;
import io.multihome.agent.cluster.NodeAgent;
import io.multihome.agent.cni.cluster.CniCluster;
import io.multihome.agent.cni.daemon.CniDaemon;
import io.multihome.agent.engine.EngineHooks;
import io.multihome.agent.engine.Target;
import io.multihome.agent.sriov.SriovAgent;
import io.multihome.agent.sriov.SriovAgentConfig;
import io.multihome.api.read.LenientClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code multihome agent --node NAME}: the per-node agent (DaemonSet). Runs until killed; SIGTERM
 * stops it without touching the node.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "Run the node agent: enact this node's granted NodeNetworkConfigurationEnactments and",
      "publish its NodeNetworkState. Uses the in-cluster config or the current kubeconfig."
    })
public final class AgentCommand implements Callable<Integer> {

  @Option(
      names = "--node",
      required = true,
      defaultValue = "${env:NODE_NAME}",
      description = "This node's name (default: $NODE_NAME)")
  String node;

  @Option(
      names = "--netns",
      description = "Named network namespace standing in for the node (tests, labs)")
  String netns;

  @Option(
      names = "--ovsdb-socket",
      description =
          "The node's Open vSwitch database socket (default: $MULTIHOME_OVSDB_SOCKET or"
              + " /var/run/openvswitch/db.sock)")
  Path ovsdbSocket;

  @Option(
      names = "--state-dir",
      defaultValue = "/var/lib/multihome",
      description = "Checkpoints and the agent lock (default: ${DEFAULT-VALUE})")
  Path stateDir;

  @Option(
      names = "--namespace",
      defaultValue = AgentConfig.DEFAULT_NAMESPACE,
      description = "Namespace of the agent lease (default: ${DEFAULT-VALUE})")
  String namespace;

  @Option(
      names = "--port",
      defaultValue = "" + AgentConfig.DEFAULT_METRICS_PORT,
      description =
          "Port of /healthz, /readyz and /metrics; -1 disables (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--probe-timeout",
      defaultValue = "3",
      description = "Seconds each probe may take (default: ${DEFAULT-VALUE})")
  int probeTimeout;

  @Option(names = "--no-probes", description = "Apply without connectivity probes")
  boolean noProbes;

  @Option(
      names = "--retries",
      defaultValue = "5",
      description = "Attempts per enactment before it fails for good (default: ${DEFAULT-VALUE})")
  int attempts;

  @Option(
      names = "--no-cni",
      description = "Do not serve the CNI shim (secondary attachments, docs/attachments.md)")
  boolean noCni;

  @Option(
      names = "--no-sriov",
      description = "Do not discover and provision SR-IOV NICs (docs/sriov.md)")
  boolean noSriov;

  @Option(
      names = "--no-bridge-marker",
      description =
          "Do not publish bridge.network.kubevirt.io/<bridge> node resources (docs/openshift.md)")
  boolean noBridgeMarker;

  @Override
  public Integer call() throws Exception {
    if (node == null || node.isBlank()) {
      throw new IllegalArgumentException("--node: a node name is required (or set NODE_NAME)");
    }
    var config =
        AgentConfig.defaults(node, stateDir)
            .withNamespace(namespace)
            .withMetricsPort(port)
            .withProbes(!noProbes, Duration.ofSeconds(probeTimeout))
            .withBackoff(new Backoff(attempts, Duration.ofSeconds(1), Duration.ofSeconds(30)));
    var stop = new CountDownLatch(1);
    // Lenient reads of Pods, Services, Nodes: no object can stop an informer (LenientClient).
    try (var client = LenientClient.builder().build();
        var network =
            new EngineNodeNetwork(
                ovsdbSocket == null
                    ? Target.of(netns)
                    : Target.of(netns).withOvsdbSocket(ovsdbSocket),
                stateDir,
                EngineHooks.NONE);
        var agent =
            NodeAgent.builder(client, network, config)
                .bridgeMarker(
                    noBridgeMarker ? BridgeMarkerConfig.disabled() : BridgeMarkerConfig.defaults())
                .start();
        // The attachment daemon, its IPAM and reconciler, and the Service proxy
        // (AttachmentServices, as the lab runs them) share the agent's client and lifetime.
        var attachments =
            noCni
                ? null
                : AttachmentServices.start(
                    client,
                    node,
                    CniDaemon.Settings.defaults(),
                    CniCluster.Options.defaults(),
                    null,
                    AttachmentServices.Options.defaults(namespace));
        var sriov =
            noSriov
                ? null
                : SriovAgent.start(client, node, SriovAgentConfig.defaults().withNetns(netns))) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "agent-shutdown"));
      stop.await();
    }
    return 0;
  }
}

package io.multihome.lab;

import io.multihome.agent.netlink.RtNetlink;
import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.api.nmstate.NodeNetworkState;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code multihome lab --nodes N --bench}: the bridge example ({@link LabScenario#BRIDGE_EXAMPLE},
 * default maxUnavailable) rolled out to every node of a plain lab (eth1 only), timed from the
 * NNCP's creation to the NNCP reaching Available, after every agent has published its NNS (so agent
 * start-up is not counted). Issue 9's target: under 5 s for 50 nodes.
 */
final class LabBench {
  static final Duration LIMIT = Duration.ofSeconds(120);
  static final Duration SETTLE = Duration.ofSeconds(3);

  private LabBench() {}

  static int run(int nodes, Path root, PrintStream out, Lab[] holder) throws Exception {
    out.println("Starting the lab with " + nodes + " nodes (benchmark)...");
    long startLab = System.nanoTime();
    try (var lab =
        Lab.start(
            nodes,
            root,
            Lab.Options.basic(),
            created -> {
              synchronized (holder) {
                holder[0] = created;
              }
            })) {
      var client = lab.client();
      lab.labelNodes(Map.of(LabScenario.WORKER_LABEL, ""));
      long deadline = System.nanoTime() + LIMIT.toNanos();
      while (client.resources(NodeNetworkState.class).list().getItems().size() < nodes) {
        if (System.nanoTime() > deadline) {
          out.println("agents did not publish their NNS within " + LIMIT.toSeconds() + " s");
          return 1;
        }
        Thread.sleep(20);
      }
      out.printf(
          "Lab up in %.1f s (%d agents published their NNS)%n",
          (System.nanoTime() - startLab) / 1e9, nodes);
      // Let the agents' start-up work (first NNS writes, informer lists) finish first.
      Thread.sleep(SETTLE.toMillis());
      String before = loadAverage();
      var policy = LabScenario.bridgePolicy(root);
      long t0 = System.nanoTime();
      client.resource(policy).create();
      long firstNnce = -1;
      String status = "";
      while (!status.equals(ConditionTypes.AVAILABLE)) {
        if (System.nanoTime() > deadline) {
          out.println("NNCP not Available within " + LIMIT.toSeconds() + " s: '" + status + "'");
          return 1;
        }
        Thread.sleep(10);
        if (firstNnce < 0
            && client.resources(NodeNetworkConfigurationEnactment.class).list().getItems().stream()
                .anyMatch(
                    n ->
                        StatusTables.trueCondition(
                                n.getStatus() == null ? null : n.getStatus().getConditions())
                            .filter(c -> ConditionTypes.AVAILABLE.equals(c.getType()))
                            .isPresent())) {
          firstNnce = System.nanoTime() - t0;
        }
        var p =
            client
                .resources(NodeNetworkConfigurationPolicy.class)
                .withName(LabScenario.BRIDGE_POLICY)
                .get();
        status =
            StatusTables.trueCondition(p.getStatus() == null ? null : p.getStatus().getConditions())
                .map(c -> c.getType())
                .orElse("");
      }
      long total = System.nanoTime() - t0;
      int bridges = 0;
      int leased = 0;
      for (var node : lab.nodes()) {
        try (var nl = RtNetlink.openNamed(lab.namespaceOf(node))) {
          var br = nl.links().find(LabScenario.BRIDGE);
          if (br.isPresent()) {
            bridges++;
            // The example asks for DHCP: the address is a lease from the fabric's dnsmasq.
            if (nl.addresses().list(br.get().index()).stream().anyMatch(a -> a.dynamic())) {
              leased++;
            }
          }
        }
      }
      out.printf(
          "Rollout of NNCP %s to %d nodes: %.2f s from create to Available"
              + " (first NNCE Available after %.2f s); br1 present on %d/%d nodes, with a DHCP"
              + " lease on %d/%d%n",
          LabScenario.BRIDGE_POLICY,
          nodes,
          total / 1e9,
          firstNnce / 1e9,
          bridges,
          nodes,
          leased,
          nodes);
      out.printf(
          "Load average before: %s, after: %s (%d cores)%n",
          before, loadAverage(), Runtime.getRuntime().availableProcessors());
      return bridges == nodes && leased == nodes ? 0 : 1;
    }
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }
}

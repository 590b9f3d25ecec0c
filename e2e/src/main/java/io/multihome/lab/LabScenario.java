package io.multihome.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.multihome.agent.engine.Engine;
import io.multihome.agent.engine.Target;
import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicySpec;
import io.multihome.state.StateWriter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The narrated first slice of the lab (issue 9): label the nodes, roll a bridge policy out under
 * {@code maxUnavailable: 1}, show the result on one node, then a policy that cannot work is rolled
 * back and reported. Prints kubectl-style tables whenever the NNCP/NNCE status changes.
 */
public final class LabScenario {
  public static final String BRIDGE_POLICY = "lab-bridge";
  public static final String BROKEN_POLICY = "lab-broken";
  public static final String BRIDGE = "br1";

  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

  /** What the scenario saw; the test asserts on it, the command prints a summary of it. */
  public record Outcome(
      String bridgePolicyStatus,
      String brokenPolicyStatus,
      String failingReason,
      String failingMessage,
      boolean nodesUnchangedByBrokenPolicy) {}

  private final Lab lab;
  private final PrintStream out;
  private final Semaphore changed = new Semaphore(0);

  public LabScenario(Lab lab, PrintStream out) {
    this.lab = lab;
    this.out = out;
  }

  public Outcome run() throws Exception {
    var client = lab.client();
    var handler = new Wakeup<>();
    try (var policies = client.resources(NodeNetworkConfigurationPolicy.class).inform(handler);
        var enactments =
            client.resources(NodeNetworkConfigurationEnactment.class).inform(new Wakeup<>())) {
      step("Lab up: " + lab.nodes().size() + " nodes, API at " + lab.apiUrl());
      for (var node : lab.nodes()) {
        out.printf(
            "  %-10s netns %s, eth1 cabled to bridge %s in %s%n",
            node, lab.namespaceOf(node), LabFabric.BRIDGE, lab.fabric().fabricNamespace());
      }

      step("Labelling nodes " + Lab.LAB_LABEL + "=true");
      for (var node : lab.nodes()) {
        client
            .nodes()
            .withName(node)
            .edit(
                n -> {
                  n.getMetadata().getLabels().put(Lab.LAB_LABEL, "true");
                  return n;
                });
      }

      step("Applying NNCP " + BRIDGE_POLICY + ": linux-bridge " + BRIDGE + " on eth1");
      client.resource(bridgePolicy()).create();
      String bridgeStatus = watchUntil(BRIDGE_POLICY, ConditionTypes.AVAILABLE);

      String first = lab.nodes().get(0);
      step("multihome show --netns " + lab.namespaceOf(first) + " " + BRIDGE);
      var showDir = Files.createDirectories(lab.workDir().resolve("show"));
      try (var engine = Engine.open(Target.of(lab.namespaceOf(first)), showDir)) {
        out.print(StateWriter.toYaml(engine.show(BRIDGE::equals)));
      }

      var before = linksByNode();
      step(
          "Applying NNCP "
              + BROKEN_POLICY
              + ": bridge br2 plus a route via 198.18.255.254, a gateway no node can reach");
      client.resource(brokenPolicy()).create();
      String brokenStatus = watchUntil(BROKEN_POLICY, ConditionTypes.DEGRADED);
      var failing =
          client.resources(NodeNetworkConfigurationEnactment.class).list().getItems().stream()
              .filter(n -> n.getMetadata().getName().endsWith("." + BROKEN_POLICY))
              .map(n -> trueCondition(n.getStatus() == null ? null : n.getStatus().getConditions()))
              .flatMap(Optional::stream)
              .filter(c -> ConditionTypes.FAILING.equals(c.getType()))
              .findFirst();
      failing.ifPresent(
          c -> out.printf("%nWhy it failed (%s): %s%n", c.getReason(), c.getMessage()));
      var after = linksByNode();
      boolean unchanged = before.equals(after);
      step(
          unchanged
              ? "Rolled back: every node's links are as before the broken policy"
              : "NOT rolled back: links before " + before + ", after " + after);
      return new Outcome(
          bridgeStatus,
          brokenStatus,
          failing.map(Condition::getReason).orElse(null),
          failing.map(Condition::getMessage).orElse(null),
          unchanged);
    }
  }

  /** Prints the tables each time they change until {@code policy} reaches {@code wanted}. */
  private String watchUntil(String policy, String wanted) throws InterruptedException {
    var client = lab.client();
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    String lastKey = null;
    String status = "";
    while (true) {
      var nncps = client.resources(NodeNetworkConfigurationPolicy.class).list().getItems();
      var nnces = client.resources(NodeNetworkConfigurationEnactment.class).list().getItems();
      // Compared without ages so a ticking clock alone does not reprint the tables.
      String key = StatusTables.policies(nncps) + StatusTables.enactments(nnces, Instant.EPOCH);
      if (!key.equals(lastKey)) {
        lastKey = key;
        out.println();
        out.print(StatusTables.policies(nncps));
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
      if (status.equals(wanted)) {
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

  /** Per node namespace: every link as {@code name>master} (what a rollback must restore). */
  Map<String, List<String>> linksByNode() {
    var result = new TreeMap<String, List<String>>();
    for (var node : lab.nodes()) {
      try (var nl = RtNetlink.openNamed(lab.namespaceOf(node))) {
        var links = nl.links().list();
        result.put(
            node,
            links.stream()
                .map(l -> l.name() + ">" + masterName(links, l) + (l.isUp() ? " up" : " down"))
                .sorted()
                .toList());
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

  private void step(String text) {
    out.println();
    out.println("==> " + text);
  }

  static Optional<Condition> trueCondition(List<Condition> conditions) {
    return StatusTables.trueCondition(conditions);
  }

  static NodeNetworkConfigurationPolicy bridgePolicy() {
    ObjectNode state = JSON.createObjectNode();
    var br = state.putArray("interfaces").addObject();
    br.put("name", BRIDGE).put("type", "linux-bridge").put("state", "up");
    // One policy serves every node, so the bridge carries no address of its own.
    br.putObject("ipv4").put("enabled", false);
    br.putObject("ipv6").put("enabled", false);
    var bridge = br.putObject("bridge");
    bridge.putObject("options").putObject("stp").put("enabled", false);
    bridge.putArray("port").addObject().put("name", LabFabric.NIC);
    return policy(BRIDGE_POLICY, state);
  }

  static NodeNetworkConfigurationPolicy brokenPolicy() {
    ObjectNode state = JSON.createObjectNode();
    var br = state.putArray("interfaces").addObject();
    br.put("name", "br2").put("type", "linux-bridge").put("state", "up");
    br.putObject("ipv4").put("enabled", false);
    br.putObject("ipv6").put("enabled", false);
    state
        .putObject("routes")
        .putArray("config")
        .addObject()
        .put("destination", "198.19.0.0/24")
        .put("next-hop-address", "198.18.255.254")
        .put("next-hop-interface", "br2");
    return policy(BROKEN_POLICY, state);
  }

  private static NodeNetworkConfigurationPolicy policy(String name, ObjectNode state) {
    var p = new NodeNetworkConfigurationPolicy();
    p.getMetadata().setName(name);
    p.setSpec(new NodeNetworkConfigurationPolicySpec());
    p.getSpec().setDesiredState(state);
    p.getSpec().setNodeSelector(Map.of(Lab.LAB_LABEL, "true"));
    p.getSpec().setMaxUnavailable(new IntOrString(1));
    return p;
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

package io.multihome.controller.nncp;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicySpec;
import io.multihome.controller.ControllerConfig;
import io.multihome.controller.PolicyController;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

/** A mock API server with the nmstate CRDs, simulated agents, an observer and the controller. */
final class ControllerFixture implements AutoCloseable {
  static final String NAMESPACE = "multihome";

  // MockWebServer logs every request through java.util.logging at INFO; at 10^4 objects that
  // logging alone costs more than the controller. Held strongly: JUL keeps loggers weakly.
  private static final List<java.util.logging.Logger> QUIET =
      List.of(
          java.util.logging.Logger.getLogger("io.fabric8.mockwebserver"),
          java.util.logging.Logger.getLogger("okhttp3.mockwebserver"));

  static {
    QUIET.forEach(l -> l.setLevel(Level.WARNING));
  }

  final KubernetesClient client;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final SimulatedAgents agents;
  final RolloutObserver observer;
  private final ControllerConfig config;
  private PolicyController controller;

  ControllerFixture(KubernetesClient client, Duration applyTime, int leaseSeconds) {
    this(client, applyTime, leaseSeconds, true);
  }

  ControllerFixture(
      KubernetesClient client, Duration applyTime, int leaseSeconds, boolean observe) {
    this(client, applyTime, leaseSeconds, observe, 4, ControllerConfig.defaults());
  }

  /**
   * @param agentThreads simulated agents working at once
   * @param config the controller configuration {@link #startController()} starts with
   */
  ControllerFixture(
      KubernetesClient client,
      Duration applyTime,
      int leaseSeconds,
      boolean observe,
      int agentThreads,
      ControllerConfig config) {
    this.client = client;
    this.config = config;
    loadCrds(client);
    agents = new SimulatedAgents(client, NAMESPACE, applyTime, leaseSeconds, agentThreads).start();
    observer = observe ? new RolloutObserver(client) : null;
  }

  /** Creates the nmstate CRDs (from deploy/crds) on the mock server. */
  static void loadCrds(KubernetesClient client) {
    for (var crd :
        List.of(
            "nodenetworkconfigurationpolicies.nmstate.io.yaml",
            "nodenetworkconfigurationenactments.nmstate.io.yaml",
            "nodenetworkstates.nmstate.io.yaml")) {
      try (var in = new FileInputStream(Path.of("..", "deploy", "crds", crd).toFile())) {
        client.apiextensions().v1().customResourceDefinitions().load(in).create();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Starts the controller as shipped (with the nmpolicy capture evaluator). */
  ControllerFixture startController() {
    return start(config);
  }

  /** Starts it with the given capture evaluator, or with none at all when empty. */
  ControllerFixture startController(Optional<DesiredStateRenderer> evaluator) {
    return start(
        evaluator
            .map(e -> config.withCaptureEvaluator(e))
            .orElseGet(() -> config.withoutCaptureEvaluator()));
  }

  private ControllerFixture start(ControllerConfig base) {
    var config = base.withNamespace(NAMESPACE).withMeterRegistry(registry);
    controller = PolicyController.start(client, config);
    return this;
  }

  void stopController() {
    controller.close();
    controller = null;
  }

  NodeNetworkConfigurationPolicy createPolicy(
      String name, Map<String, String> selector, IntOrString maxUnavailable) {
    var p = new NodeNetworkConfigurationPolicy();
    p.getMetadata().setName(name);
    var spec = new NodeNetworkConfigurationPolicySpec();
    spec.setNodeSelector(selector);
    spec.setMaxUnavailable(maxUnavailable);
    spec.setDesiredState(desiredState("br1"));
    p.setSpec(spec);
    return client.resource(p).create();
  }

  static ObjectNode desiredState(String bridge) {
    var state = JsonNodeFactory.instance.objectNode();
    var iface = state.putArray("interfaces").addObject();
    iface.put("name", bridge).put("type", "linux-bridge").put("state", "up");
    return state;
  }

  NodeNetworkConfigurationPolicy policy(String name) {
    return client.resources(NodeNetworkConfigurationPolicy.class).withName(name).get();
  }

  List<NodeNetworkConfigurationEnactment> enactments(String policy) {
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
            .withName(NodeNetworkConfigurationEnactment.nameFor(node, policy))
            .get());
  }

  /**
   * The enactment, for an await's assertion: its absence is an {@link AssertionError}, which
   * Awaitility retries (any other exception ends the wait at once).
   */
  NodeNetworkConfigurationEnactment existingEnactment(String node, String policy) {
    return enactment(node, policy)
        .orElseThrow(
            () ->
                new AssertionError(
                    "no enactment " + NodeNetworkConfigurationEnactment.nameFor(node, policy)));
  }

  /** The NNCE's condition {@code type}; an {@link AssertionError} while it has none (no status). */
  static Condition condition(NodeNetworkConfigurationEnactment n, String type) {
    var status = n.getStatus();
    return Conditions.find(status == null ? null : status.getConditions(), type)
        .orElseThrow(
            () -> new AssertionError(n.getMetadata().getName() + " has no " + type + " condition"));
  }

  /** The (type, reason, message) of the policy's True condition, as `kubectl get nncp` shows. */
  String policyStatus(String name) {
    var p = policy(name);
    if (p == null || p.getStatus() == null || p.getStatus().getConditions() == null) {
      return "none";
    }
    return p.getStatus().getConditions().stream()
        .filter(c -> "True".equals(c.getStatus()))
        .map(c -> c.getType() + "/" + c.getReason() + ": " + c.getMessage())
        .findFirst()
        .orElse("none");
  }

  /** The NNCE's True condition type ("Available", "Pending", ...) or "none". */
  static String status(NodeNetworkConfigurationEnactment n) {
    if (n == null || n.getStatus() == null) {
      return "none";
    }
    return Conditions.trueType(n.getStatus().getConditions()).orElse("none");
  }

  @Override
  public void close() {
    if (controller != null) {
      controller.close();
    }
    if (observer != null) {
      observer.close();
    }
    agents.close();
  }
}

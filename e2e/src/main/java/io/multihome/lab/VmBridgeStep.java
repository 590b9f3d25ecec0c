package io.multihome.lab;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scenario's OpenShift Virtualization step (issue 17): a bridge on only some nodes, a
 * KubeVirt-style {@code cnv-bridge} NAD whose {@code resourceName} annotation names that bridge,
 * and pods that name no node. The agents' bridge marker advertises the bridge as an extended
 * resource, the resources injection webhook adds it to the pod's requests, and the scheduler places
 * the pod on a node that has it; once the bridge is removed no node has it, and the next pod stays
 * Pending with the scheduler's reason.
 */
final class VmBridgeStep {
  static final String BRIDGE = "br-vm";
  static final String POLICY = "vm-bridge-policy";
  static final String NAD = "vm-bridge";
  static final String RESOURCE = "bridge.network.kubevirt.io/" + BRIDGE;
  static final String NODE_LABEL = "multihome.io/vm-bridge";
  static final String PLACED_POD = "vm-1";
  static final String PENDING_POD = "vm-2";

  /** What the step saw. */
  record Result(List<String> bridgeNodes, String placedOn, String pendingMessage) {
    boolean ok() {
      return placedOn != null
          && bridgeNodes.contains(placedOn)
          && pendingMessage != null
          && pendingMessage.contains("Insufficient " + RESOURCE);
    }
  }

  private final Lab lab;
  private final LabScenario scenario;
  private final PrintStream out;

  VmBridgeStep(Lab lab, LabScenario scenario, PrintStream out) {
    this.lab = lab;
    this.scenario = scenario;
    this.out = out;
  }

  Result run() throws Exception {
    var client = lab.client();
    // Every node but the last: with three nodes, two have the bridge.
    var bridgeNodes = lab.nodes().subList(0, Math.max(1, lab.nodes().size() - 1));
    scenario.step(
        "OpenShift Virtualization: a bridge "
            + BRIDGE
            + " on "
            + String.join(" and ", bridgeNodes)
            + " only (labelled "
            + NODE_LABEL
            + "=true), VMs on it placed by the bridge's resource");
    for (var node : bridgeNodes) {
      client
          .nodes()
          .withName(node)
          .edit(
              n -> {
                n.getMetadata().getLabels().put(NODE_LABEL, "true");
                return n;
              });
    }
    client.resource(yaml(policyYaml("up"), NodeNetworkConfigurationPolicy.class)).create();
    scenario.watchUntil(POLICY, ConditionTypes.AVAILABLE);
    out.println();
    out.println("  The agents' bridge marker advertises every Linux bridge of its node:");
    awaitResource(bridgeNodes.size());
    out.print(LabScenario.indent(resourceTable()));

    scenario.step(
        "Creating NAD "
            + LabScenario.POD_NAMESPACE
            + "/"
            + NAD
            + " (cnv-bridge on "
            + BRIDGE
            + ", annotated k8s.v1.cni.cncf.io/resourceName: "
            + RESOURCE
            + ")");
    out.print(LabScenario.indent(NAD_YAML.strip()));
    client.resource(yaml(NAD_YAML, NetworkAttachmentDefinition.class)).create();

    scenario.step(
        "Creating pod "
            + PLACED_POD
            + " on network "
            + NAD
            + " without spec.nodeName: the resources injection webhook adds "
            + RESOURCE
            + " to its requests, the scheduler picks a node that has it");
    var created = client.pods().resource(pod(PLACED_POD)).create();
    var resources = created.getSpec().getContainers().get(0).getResources();
    out.printf(
        "  container c as stored: requests %s, limits %s%n",
        quantities(resources.getRequests()), quantities(resources.getLimits()));
    var sandbox = scenario.sandbox(PLACED_POD);
    String placedOn = sandbox == null ? null : sandbox.node();
    events(PLACED_POD, "Scheduled").forEach(e -> out.printf("  Scheduled: %s%n", e.getMessage()));

    scenario.step(
        "Removing "
            + BRIDGE
            + " (NNCP "
            + POLICY
            + " with state: absent), then creating pod "
            + PENDING_POD
            + " on the same network");
    var absent = yaml(policyYaml("absent"), NodeNetworkConfigurationPolicy.class);
    client
        .resources(NodeNetworkConfigurationPolicy.class)
        .withName(POLICY)
        .edit(
            p -> {
              p.getSpec().setDesiredState(absent.getSpec().getDesiredState());
              return p;
            });
    scenario.watchUntil(POLICY, ConditionTypes.AVAILABLE);
    awaitResource(0);
    out.println();
    out.print(LabScenario.indent(resourceTable()));
    client.pods().resource(pod(PENDING_POD)).create();
    String message = awaitUnschedulable();
    if (message != null) {
      out.printf(
          "%n  %s is Pending; PodScheduled=False (Unschedulable); event FailedScheduling:%n  %s%n",
          PENDING_POD, message);
    }
    return new Result(List.copyOf(bridgeNodes), placedOn, message);
  }

  /** Until {@code count} nodes advertise the bridge (the marker acts within seconds). */
  private void awaitResource(int count) throws InterruptedException {
    long deadline = System.nanoTime() + LabScenario.STEP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && advertising().size() != count) {
      Thread.sleep(100);
    }
  }

  private List<String> advertising() {
    var out = new ArrayList<String>();
    for (var n : lab.client().nodes().list().getItems()) {
      var alloc = n.getStatus() == null ? null : n.getStatus().getAllocatable();
      if (alloc != null && alloc.containsKey(RESOURCE)) {
        out.add(n.getMetadata().getName());
      }
    }
    return out;
  }

  /** NODE and the bridge resource's allocatable count, as kubectl's custom columns print it. */
  private String resourceTable() {
    var rows = new ArrayList<List<String>>();
    rows.add(List.of("NODE", RESOURCE.toUpperCase(java.util.Locale.ROOT)));
    lab.client().nodes().list().getItems().stream()
        .sorted(Comparator.comparing(n -> n.getMetadata().getName()))
        .forEach(
            n -> {
              var alloc = n.getStatus() == null ? null : n.getStatus().getAllocatable();
              Quantity q = alloc == null ? null : alloc.get(RESOURCE);
              rows.add(List.of(n.getMetadata().getName(), q == null ? "<none>" : q.toString()));
            });
    return StatusTables.render(rows);
  }

  private String awaitUnschedulable() throws InterruptedException {
    long deadline = System.nanoTime() + LabScenario.STEP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      var pod =
          lab.client().pods().inNamespace(LabScenario.POD_NAMESPACE).withName(PENDING_POD).get();
      Optional<PodCondition> scheduled =
          pod == null || pod.getStatus() == null || pod.getStatus().getConditions() == null
              ? Optional.empty()
              : pod.getStatus().getConditions().stream()
                  .filter(c -> "PodScheduled".equals(c.getType()))
                  .findFirst();
      if (scheduled.isPresent()
          && "False".equals(scheduled.get().getStatus())
          && !events(PENDING_POD, "FailedScheduling").isEmpty()) {
        return events(PENDING_POD, "FailedScheduling").get(0).getMessage();
      }
      Thread.sleep(100);
    }
    out.printf(
        "  %s: no FailedScheduling within %d s%n",
        PENDING_POD, LabScenario.STEP_TIMEOUT.toSeconds());
    return null;
  }

  private List<Event> events(String pod, String reason) {
    KubernetesClient client = lab.client();
    return client.v1().events().inNamespace(LabScenario.POD_NAMESPACE).list().getItems().stream()
        .filter(e -> pod.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  private static String quantities(Map<String, Quantity> q) {
    if (q == null || q.isEmpty()) {
      return "{}";
    }
    var parts = new ArrayList<String>();
    new java.util.TreeMap<>(q).forEach((k, v) -> parts.add(k + ": " + v));
    return "{" + String.join(", ", parts) + "}";
  }

  private static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(LabScenario.POD_NAMESPACE)
        .withName(name)
        .addToAnnotations(LabScenario.NETWORKS, NAD)
        .endMetadata()
        .withNewSpec()
        .withContainers(
            new ContainerBuilder()
                .withName("c")
                .withImage("registry.invalid/virt-launcher:1")
                .build())
        .endSpec()
        .build();
  }

  private static String policyYaml(String state) {
    return """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata:
          name: %s
        spec:
          nodeSelector:
            %s: "true"
          desiredState:
            interfaces:
            - name: %s
              type: linux-bridge
              state: %s
              bridge:
                options:
                  stp:
                    enabled: false
                port: []
        """
        .formatted(POLICY, NODE_LABEL, BRIDGE, state);
  }

  static final String NAD_YAML =
      """
      apiVersion: k8s.cni.cncf.io/v1
      kind: NetworkAttachmentDefinition
      metadata:
        name: vm-bridge
        namespace: default
        annotations:
          k8s.v1.cni.cncf.io/resourceName: bridge.network.kubevirt.io/br-vm
      spec:
        config: '{"cniVersion": "0.3.1", "name": "vm-bridge", "type": "cnv-bridge",
          "bridge": "br-vm", "macspoofchk": true}'
      """;

  private static <T> T yaml(String text, Class<T> type) {
    return new KubernetesSerialization().unmarshal(text, type);
  }
}

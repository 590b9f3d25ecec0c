package io.multihome.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import io.multihome.lab.Lab;
import io.multihome.lab.LabFabric;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The lab's scheduler and controllers on a 2-node lab: pods without a node are placed by
 * nodeSelector, required node affinity, taints and extended resources (a node's allocatable minus
 * what bound pods request), or stay Pending with the scheduler's {@code FailedScheduling} message
 * until a change makes room; a Deployment gets a ReplicaSet and pods named and labelled as
 * Kubernetes names them, is scaled, rolled to a new template, reported ready to {@code kubectl
 * rollout status}, and its ReplicaSets and pods go with it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkloadsE2ETest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String NS = "wl";

  /**
   * An extended resource advertised by hand, as the Kubernetes docs do ({@code
   * example.com/dongle}): not a bridge resource, which the agents' bridge marker owns and would
   * take back from a node that has no such bridge.
   */
  private static final String DONGLE = "example.com/dongle";

  private static final String NETWORKS = "k8s.v1.cni.cncf.io/networks";
  private static final String NETWORK_STATUS = "k8s.v1.cni.cncf.io/network-status";

  private Lab lab;
  private LabPods pods;
  private String node1;
  private String node2;

  @BeforeAll
  void startLab() throws Exception {
    lab = SuiteLab.start(2, SuiteLab.withoutSriov());
    node1 = lab.nodes().get(0);
    node2 = lab.nodes().get(1);
    pods = new LabPods(lab, NS);
    SuiteLab.createNamespace(lab, NS);
  }

  @AfterAll
  void closeLab() throws IOException {
    SuiteLab.close(lab);
  }

  @Test
  void nodeSelectorAndNodeAffinityPlacePods() {
    lab.client()
        .nodes()
        .withName(node2)
        .edit(
            n -> {
              n.getMetadata().getLabels().put("kb-zone", "b");
              return n;
            });
    pods.create(
        pods.pod("sel", null, LabPods.container("c"))
            .editSpec()
            .withNodeSelector(Map.of("kb-zone", "b"))
            .endSpec()
            .build());
    pods.create(
        pods.pod("aff", null, LabPods.container("c"))
            .editSpec()
            .withNewAffinity()
            .withNewNodeAffinity()
            .withNewRequiredDuringSchedulingIgnoredDuringExecution()
            .addNewNodeSelectorTerm()
            .withMatchExpressions(
                new NodeSelectorRequirementBuilder()
                    .withKey("kubernetes.io/hostname")
                    .withOperator("In")
                    .withValues(node1)
                    .build())
            .endNodeSelectorTerm()
            .endRequiredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .endAffinity()
            .endSpec()
            .build());
    await()
        .atMost(WAIT)
        .until(() -> LabPods.ready(pods.get("sel")) && LabPods.ready(pods.get("aff")));
    assertThat(pods.get("sel").getSpec().getNodeName()).isEqualTo(node2);
    assertThat(pods.get("sel").getStatus().getHostIP()).isEqualTo(LabFabric.nodeAddress(2));
    assertThat(pods.get("aff").getSpec().getNodeName()).isEqualTo(node1);
    var scheduled = pods.events("sel", "Scheduled");
    assertThat(scheduled).hasSize(1);
    assertThat(scheduled.get(0).getMessage()).isEqualTo("Successfully assigned wl/sel to " + node2);
    assertThat(scheduled.get(0).getSource().getComponent()).isEqualTo("default-scheduler");
    pods.delete("sel");
    pods.delete("aff");
  }

  @Test
  void extendedResourcesAreCountedAndAWaitingPodIsPlacedWhenRoomAppears() throws Exception {
    // One node has one dongle to give.
    var allocatable = Map.of(DONGLE, "1");
    lab.client()
        .nodes()
        .withName(node1)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            lab.client()
                .getKubernetesSerialization()
                .asJson(
                    Map.of("status", Map.of("capacity", allocatable, "allocatable", allocatable))));
    pods.create(donglePod("dongle-a"));
    await().atMost(WAIT).until(() -> LabPods.ready(pods.get("dongle-a")));
    assertThat(pods.get("dongle-a").getSpec().getNodeName()).isEqualTo(node1);

    pods.create(donglePod("dongle-b"));
    String expected = "0/2 nodes are available: 2 Insufficient " + DONGLE + ".";
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var b = pods.get("dongle-b");
              var scheduled = LabPods.existingCondition(b, "PodScheduled");
              assertThat(scheduled.getStatus()).isEqualTo("False");
              assertThat(scheduled.getReason()).isEqualTo("Unschedulable");
              assertThat(scheduled.getMessage()).isEqualTo(expected);
              assertThat(b.getStatus().getPhase()).isEqualTo("Pending");
            });
    var failed = pods.events("dongle-b", "FailedScheduling");
    assertThat(failed).isNotEmpty();
    assertThat(failed.get(0).getType()).isEqualTo("Warning");
    assertThat(failed.get(0).getMessage()).isEqualTo(expected);
    assertThat(pods.get("dongle-b").getSpec().getNodeName()).isNull();

    pods.delete("dongle-a");
    await().atMost(WAIT).until(() -> LabPods.ready(pods.get("dongle-b")));
    assertThat(pods.get("dongle-b").getSpec().getNodeName()).isEqualTo(node1);
    pods.delete("dongle-b");
  }

  /**
   * The resources injection webhook as deploy/ registers it: a pod on a cnv-bridge network whose
   * NAD names {@code bridge.network.kubevirt.io/kbbr1} gets that resource as request and limit, and
   * lands on the one node whose agent published it (the node with the bridge, made by an NNCP); a
   * network whose bridge no node has leaves its pod Pending with the scheduler's reason.
   */
  @Test
  void bridgeNetworkPodGetsTheBridgeResourceInjectedAndLandsWhereTheBridgeIs() throws Exception {
    String resource = "bridge.network.kubevirt.io/kbbr1";
    var yaml = new KubernetesSerialization();
    var nncp =
        yaml.unmarshal(
            """
            apiVersion: nmstate.io/v1
            kind: NodeNetworkConfigurationPolicy
            metadata:
              name: kbbr1-policy
            spec:
              nodeSelector:
                kubernetes.io/hostname: %s
              desiredState:
                interfaces:
                - name: kbbr1
                  type: linux-bridge
                  state: up
                  bridge:
                    options:
                      stp:
                        enabled: false
                    port: []
            """
                .formatted(node2),
            NodeNetworkConfigurationPolicy.class);
    lab.client().resource(nncp).create();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(allocatable(node2)).containsEntry(resource, "1000");
              assertThat(allocatable(node1)).doesNotContainKey(resource);
            });
    for (var bridge : List.of("kbbr1", "kbbr2")) {
      var nad =
          yaml.unmarshal(
              """
              apiVersion: k8s.cni.cncf.io/v1
              kind: NetworkAttachmentDefinition
              metadata:
                name: %1$s-net
                namespace: %2$s
                annotations:
                  k8s.v1.cni.cncf.io/resourceName: bridge.network.kubevirt.io/%1$s
              spec:
                config: '{"cniVersion": "0.3.1", "name": "%1$s-net", "type": "cnv-bridge",
                  "bridge": "%1$s"}'
              """
                  .formatted(bridge, NS),
              NetworkAttachmentDefinition.class);
      lab.client().resource(nad).create();
    }
    var onBridge = pods.pod("on-bridge", null, LabPods.container("c")).build();
    onBridge.getMetadata().setAnnotations(Map.of(NETWORKS, "kbbr1-net"));
    var created = pods.create(onBridge);
    var resources = created.getSpec().getContainers().get(0).getResources();
    assertThat(resources.getRequests()).containsEntry(resource, new Quantity("1"));
    assertThat(resources.getLimits()).containsEntry(resource, new Quantity("1"));
    await().atMost(WAIT).until(() -> LabPods.ready(pods.get("on-bridge")));
    var running = pods.get("on-bridge");
    assertThat(running.getSpec().getNodeName()).isEqualTo(node2);
    assertThat(running.getMetadata().getAnnotations().get(NETWORK_STATUS))
        .contains("\"name\":\"" + NS + "/kbbr1-net\",\"interface\":\"net1\"");

    var nowhere = pods.pod("no-bridge", null, LabPods.container("c")).build();
    nowhere.getMetadata().setAnnotations(Map.of(NETWORKS, "kbbr2-net"));
    pods.create(nowhere);
    String expected = "0/2 nodes are available: 2 Insufficient bridge.network.kubevirt.io/kbbr2.";
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(LabPods.condition(pods.get("no-bridge"), "PodScheduled"))
                    .hasValueSatisfying(
                        c -> {
                          assertThat(c.getReason()).isEqualTo("Unschedulable");
                          assertThat(c.getMessage()).isEqualTo(expected);
                        }));
    assertThat(pods.events("no-bridge", "FailedScheduling"))
        .first()
        .satisfies(e -> assertThat(e.getMessage()).isEqualTo(expected));
    pods.delete("on-bridge");
    pods.delete("no-bridge");
    lab.client().resources(NodeNetworkConfigurationPolicy.class).withName("kbbr1-policy").delete();
  }

  private Map<String, String> allocatable(String node) {
    var status = lab.client().nodes().withName(node).get().getStatus();
    var out = new java.util.TreeMap<String, String>();
    if (status != null && status.getAllocatable() != null) {
      status.getAllocatable().forEach((k, q) -> out.put(k, q.toString()));
    }
    return out;
  }

  @Test
  void untoleratedTaintKeepsAPodOffUntilTheTaintGoes() {
    lab.client()
        .nodes()
        .withName(node1)
        .edit(
            n -> {
              if (n.getSpec() == null) {
                n.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
              }
              n.getSpec()
                  .setTaints(
                      List.of(
                          new TaintBuilder()
                              .withKey("kb-dedicated")
                              .withValue("x")
                              .withEffect("NoSchedule")
                              .build()));
              return n;
            });
    try {
      var onNode1 = Map.of("kubernetes.io/hostname", node1);
      pods.create(
          pods.pod("t1", null, LabPods.container("c"))
              .editSpec()
              .withNodeSelector(onNode1)
              .endSpec()
              .build());
      pods.create(
          pods.pod("t2", null, LabPods.container("c"))
              .editSpec()
              .withNodeSelector(onNode1)
              .withTolerations(
                  new TolerationBuilder()
                      .withKey("kb-dedicated")
                      .withOperator("Equal")
                      .withValue("x")
                      .withEffect("NoSchedule")
                      .build())
              .endSpec()
              .build());
      await().atMost(WAIT).until(() -> LabPods.ready(pods.get("t2")));
      assertThat(pods.get("t2").getSpec().getNodeName()).isEqualTo(node1);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(LabPods.existingCondition(pods.get("t1"), "PodScheduled").getMessage())
                      .isEqualTo(
                          "0/2 nodes are available: 1 node(s) didn't match Pod's node"
                              + " affinity/selector, 1 node(s) had untolerated taint"
                              + " {kb-dedicated: x}."));
    } finally {
      lab.client()
          .nodes()
          .withName(node1)
          .edit(
              n -> {
                n.getSpec().setTaints(List.of());
                return n;
              });
    }
    await().atMost(WAIT).until(() -> LabPods.ready(pods.get("t1")));
    assertThat(pods.get("t1").getSpec().getNodeName()).isEqualTo(node1);
    pods.delete("t1");
    pods.delete("t2");
  }

  @Test
  void deploymentScalesRollsToANewTemplateAndGoesWithItsPods() throws Exception {
    var deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .withReplicas(3)
            .withNewSelector()
            .addToMatchLabels("app", "kb-web")
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", "kb-web")
            .endMetadata()
            .withNewSpec()
            .withContainers(LabPods.container("web", "sleep", "1000"))
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    var created = lab.client().apps().deployments().inNamespace(NS).resource(deployment).create();
    awaitRolledOut(3);
    assertThat(pods.kubectlOk("rollout", "status", "-n", NS, "deployment/web", "--timeout=60s"))
        .contains("deployment \"web\" successfully rolled out");

    var rs = replicaSets();
    assertThat(rs).hasSize(1);
    String hash = rs.get(0).getMetadata().getLabels().get("pod-template-hash");
    assertThat(rs.get(0).getMetadata().getName()).isEqualTo("web-" + hash);
    assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]+");
    var rsOwner = rs.get(0).getMetadata().getOwnerReferences().get(0);
    assertThat(rsOwner.getKind()).isEqualTo("Deployment");
    assertThat(rsOwner.getUid()).isEqualTo(created.getMetadata().getUid());
    assertThat(rsOwner.getController()).isTrue();
    assertThat(rs.get(0).getSpec().getSelector().getMatchLabels())
        .containsEntry("pod-template-hash", hash);
    var web = webPods();
    assertThat(web).hasSize(3);
    for (var p : web) {
      assertThat(p.getMetadata().getName())
          .matches("web-" + hash + "-[bcdfghjklmnpqrstvwxz2456789]{5}");
      assertThat(p.getMetadata().getLabels()).containsEntry("pod-template-hash", hash);
      assertThat(p.getMetadata().getOwnerReferences().get(0).getUid())
          .isEqualTo(rs.get(0).getMetadata().getUid());
      assertThat(LabPods.ready(p)).isTrue();
    }
    assertThat(web.stream().map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet()))
        .as("spread over both nodes")
        .isEqualTo(Set.of(node1, node2));
    var status =
        lab.client().apps().deployments().inNamespace(NS).withName("web").get().getStatus();
    assertThat(status.getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Available");
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("MinimumReplicasAvailable");
            })
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Progressing");
              assertThat(c.getReason()).isEqualTo("NewReplicaSetAvailable");
              assertThat(c.getMessage())
                  .isEqualTo("ReplicaSet \"web-" + hash + "\" has successfully progressed.");
            });

    pods.kubectlOk("scale", "-n", NS, "deployment/web", "--replicas=1");
    awaitRolledOut(1);
    assertThat(webPods()).hasSize(1);

    // A new template: a second ReplicaSet takes over, the first is scaled to zero.
    lab.client()
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName("web")
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setArgs(List.of("1001"));
              return d;
            });
    awaitRolledOut(1);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var sets = replicaSets();
              assertThat(sets).hasSize(2);
              var current = webPods();
              assertThat(current).hasSize(1);
              String newHash = current.get(0).getMetadata().getLabels().get("pod-template-hash");
              assertThat(newHash).isNotEqualTo(hash);
              assertThat(sets)
                  .anySatisfy(
                      s -> {
                        assertThat(s.getMetadata().getName()).isEqualTo("web-" + hash);
                        assertThat(s.getSpec().getReplicas()).isZero();
                      });
              assertThat(current.get(0).getSpec().getContainers().get(0).getArgs())
                  .containsExactly("1001");
            });
    assertThat(
            lab.client()
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName("web")
                .get()
                .getMetadata()
                .getAnnotations())
        .containsEntry("deployment.kubernetes.io/revision", "2");

    var left = webPods().get(0).getMetadata().getName();
    lab.client().apps().deployments().inNamespace(NS).withName("web").delete();
    await().atMost(WAIT).until(() -> replicaSets().isEmpty() && webPods().isEmpty());
    assertThat(lab.runtime().awaitRemoved(NS, left, WAIT)).isTrue();
  }

  private void awaitRolledOut(int replicas) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Deployment d =
                  lab.client().apps().deployments().inNamespace(NS).withName("web").get();
              var s = d.getStatus();
              assertThat(s).isNotNull();
              assertThat(s.getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
              assertThat(s.getUpdatedReplicas()).isEqualTo(replicas);
              assertThat(s.getReplicas()).isEqualTo(replicas);
              assertThat(s.getReadyReplicas()).isEqualTo(replicas);
              assertThat(s.getAvailableReplicas()).isEqualTo(replicas);
            });
  }

  private List<ReplicaSet> replicaSets() {
    return lab.client().apps().replicaSets().inNamespace(NS).list().getItems();
  }

  private List<Pod> webPods() {
    return lab.client().pods().inNamespace(NS).withLabel("app", "kb-web").list().getItems();
  }

  private Pod donglePod(String name) {
    var c = LabPods.container("c");
    c.setResources(
        new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
            .addToRequests(DONGLE, new Quantity("1"))
            .addToLimits(DONGLE, new Quantity("1"))
            .build());
    return pods.pod(name, null, c).build();
  }
}

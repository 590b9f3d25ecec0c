package io.multihome.lab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactmentStatus;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real kubectl against the lab's API server: what it prints (tables compared with the text a
 * cluster running kubernetes-nmstate / sriov-network-operator prints), describe with events,
 * namespaces, label/annotate removal, create/apply without --validate=false, schema refusals, wait
 * and get -w without error lines, logs, protobuf negotiation.
 */
class KubectlMockApiTest {
  private static LabApiFixture lab;
  private static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    lab = new LabApiFixture();
    kubectl = lab.kubectl();
    lab.readyNodes("lab-node1", "lab-node2");
  }

  @AfterAll
  static void stop() throws Exception {
    lab.close();
  }

  /** Column cells split at 2+ spaces and ages (5s, 3m2s, …) replaced, so widths do not matter. */
  static String normalized(String table) {
    return table
        .lines()
        .map(
            l ->
                Arrays.stream(l.trim().split("\\s{2,}"))
                    .map(c -> c.matches("\\d+[smhdy](\\d+[smh])?") ? "<age>" : c)
                    .collect(Collectors.joining(" | ")))
        .collect(Collectors.joining("\n"));
  }

  private static NodeNetworkConfigurationEnactment enactment(String name) {
    var nnce = new NodeNetworkConfigurationEnactment();
    nnce.getMetadata().setName(name);
    nnce.getMetadata().setLabels(Map.of("nmstate.io/policy", "p-table"));
    return nnce;
  }

  @Test
  void nmstateTablesHaveTheCrdColumns() throws Exception {
    var policy =
        """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata:
          name: p-table
        spec:
          desiredState:
            interfaces: []
        """;
    assertThat(kubectl.runWithInput(policy, "create", "-f", "-").clean())
        .isEqualTo("nodenetworkconfigurationpolicy.nmstate.io/p-table created\n");
    // No status yet: empty cells, as a cluster prints a policy nobody reconciled.
    assertThat(normalized(kubectl.run("get", "nncp", "p-table").clean()))
        .isEqualTo("NAME | STATUS | REASON\np-table");
    var client = lab.client;
    var p = client.resources(NodeNetworkConfigurationPolicy.class).withName("p-table").get();
    p.setStatus(new io.multihome.api.nmstate.NodeNetworkConfigurationPolicyStatus());
    p.getStatus()
        .setConditions(
            List.of(
                condition("Available", "True", "SuccessfullyConfigured"),
                condition("Degraded", "False", "SuccessfullyConfigured")));
    client.resource(p).updateStatus();
    assertThat(normalized(kubectl.run("get", "nncp", "p-table").clean()))
        .isEqualTo("NAME | STATUS | REASON\np-table | Available | SuccessfullyConfigured");

    var nnce = enactment("lab-node1.p-table");
    client.resource(nnce).create();
    var stored =
        client
            .resources(NodeNetworkConfigurationEnactment.class)
            .withName("lab-node1.p-table")
            .get();
    stored.setStatus(new NodeNetworkConfigurationEnactmentStatus());
    var c = condition("Failing", "True", "FailedToConfigure");
    c.setLastTransitionTime(Instant.now().minusSeconds(200).toString());
    stored
        .getStatus()
        .setConditions(List.of(c, condition("Available", "False", "FailedToConfigure")));
    client.resource(stored).updateStatus();
    // STATUS AGE is a date column: the server prints the condition's age (200 s → 3m20s).
    assertThat(kubectl.run("get", "nnce").clean())
        .matches(
            "NAME +STATUS +STATUS AGE +REASON\n"
                + "lab-node1\\.p-table +Failing +3m2\\ds +FailedToConfigure\n");
    var nns = kubectl.run("get", "nns");
    assertThat(nns.out()).isEmpty();
    assertThat(nns.err()).isEqualTo("No resources found\n");
  }

  private static Condition condition(String type, String status, String reason) {
    var c = new Condition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setLastTransitionTime(Instant.now().toString());
    return c;
  }

  @Test
  void sriovNodeStatesListAcrossNamespacesWithUpstreamColumns() throws Exception {
    var state =
        """
        apiVersion: sriovnetwork.openshift.io/v1
        kind: SriovNetworkNodeState
        metadata:
          name: lab-node1
          namespace: sriov-network-operator
          annotations:
            sriovnetwork.openshift.io/desired-state: Idle
            sriovnetwork.openshift.io/current-state: Idle
        spec: {}
        """;
    kubectl.runWithInput(state, "create", "-f", "-").clean();
    String table = kubectl.run("get", "sriovnetworknodestates", "-A").clean();
    String header = table.lines().findFirst().orElseThrow();
    assertThat(header.split("\\s{2,}"))
        .containsExactly(
            "NAMESPACE", "NAME", "SYNC STATUS", "DESIRED SYNC STATE", "CURRENT SYNC STATE", "AGE");
    assertThat(normalized(table).lines().skip(1).toList())
        .containsExactly("sriov-network-operator | lab-node1 | Idle | Idle | <age>");
  }

  @Test
  void describeFindsEventsByInvolvedObjectAndFieldSelectorsFilter() throws Exception {
    var policy =
        """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata:
          name: p-described
        spec:
          desiredState: {interfaces: []}
        """;
    kubectl.runWithInput(policy, "apply", "-f", "-").clean();
    var p =
        lab.client.resources(NodeNetworkConfigurationPolicy.class).withName("p-described").get();
    for (var target : List.of("p-described", "someone-else")) {
      lab.client
          .v1()
          .events()
          .inNamespace("default")
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(target + ".1")
                  .withNamespace("default")
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion("nmstate.io/v1")
                          .withKind("NodeNetworkConfigurationPolicy")
                          .withName(target)
                          .withUid(target.equals("p-described") ? p.getMetadata().getUid() : "x")
                          .build())
                  .withType("Normal")
                  .withReason("ConfigurationProgressing")
                  .withMessage("Policy " + target + " is progressing")
                  .withLastTimestamp(Instant.now().toString())
                  .withCount(1)
                  .build())
          .create();
    }
    String described = kubectl.run("describe", "nncp", "p-described").clean();
    assertThat(described).contains("Name:         p-described");
    assertThat(described)
        .containsPattern(
            "Normal +ConfigurationProgressing +\\S+ +Policy p-described is progressing");
    assertThat(described).doesNotContain("someone-else");
    String events =
        kubectl.run("get", "events", "--field-selector", "involvedObject.name=p-described").clean();
    assertThat(normalized(events))
        .isEqualTo(
            "LAST SEEN | TYPE | REASON | OBJECT | MESSAGE\n"
                + "<age> | Normal | ConfigurationProgressing | nodenetworkconfigurationpolicy/p-described | Policy p-described is progressing");
  }

  @Test
  void podsAndNodesPrintKubectlColumnsAndDescribeWorks() throws Exception {
    var pod =
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: pod-wide
        spec:
          nodeName: lab-node2
          containers:
          - name: c
            image: registry.invalid/lab:1
        """;
    assertThat(kubectl.runWithInput(pod, "apply", "-f", "-").clean())
        .isEqualTo("pod/pod-wide created\n");
    assertThat(kubectl.runWithInput(pod, "apply", "-f", "-").clean())
        .isEqualTo("pod/pod-wide unchanged\n");
    assertThat(normalized(kubectl.run("get", "pod", "pod-wide", "-o", "wide").clean()))
        .isEqualTo(
            "NAME | READY | STATUS | RESTARTS | AGE | IP | NODE | NOMINATED NODE | READINESS GATES\n"
                + "pod-wide | 0/1 | Pending | 0 | <age> | <none> | lab-node2 | <none> | <none>");
    assertThat(normalized(kubectl.run("get", "nodes").clean()))
        .isEqualTo(
            "NAME | STATUS | ROLES | AGE | VERSION\n"
                + "lab-node1 | Ready | <none> | <age>\n"
                + "lab-node2 | Ready | <none> | <age>");
    // describe pod asks for protobuf first; the lab answers JSON.
    String described = kubectl.run("describe", "pod", "pod-wide").clean();
    assertThat(described).containsPattern("Node: +lab-node2/").containsPattern("Status: +Pending");
    assertThat(kubectl.run("describe", "node", "lab-node1").clean())
        .contains("Name:               lab-node1");
  }

  @Test
  void labelAndAnnotateRemoveKeys() throws Exception {
    kubectl.run("label", "node", "lab-node1", "lab.example/role=edge").clean();
    kubectl.run("annotate", "node", "lab-node1", "lab.example/note=hi").clean();
    assertThat(lab.client.nodes().withName("lab-node1").get().getMetadata().getLabels())
        .containsEntry("lab.example/role", "edge");
    kubectl.run("label", "node", "lab-node1", "lab.example/role-").clean();
    kubectl.run("annotate", "node", "lab-node1", "lab.example/note-").clean();
    var node = lab.server.createClient().nodes().withName("lab-node1").get();
    // Removed, not left as key: null (RFC 7386 / strategic merge semantics).
    assertThat(node.getMetadata().getLabels()).doesNotContainKey("lab.example/role");
    assertThat(
            node.getMetadata().getAnnotations() == null
                ? Map.of()
                : node.getMetadata().getAnnotations())
        .doesNotContainKey("lab.example/note");
    String raw = get("/api/v1/nodes/lab-node1", "application/json").body();
    assertThat(raw).doesNotContain("lab.example/role").doesNotContain("lab.example/note");
  }

  @Test
  void namespacesAreCreatedAndDeletedWithWhatIsInThem() throws Exception {
    assertThat(kubectl.run("create", "namespace", "mh-doomed").clean())
        .isEqualTo("namespace/mh-doomed created\n");
    kubectl.run("create", "configmap", "cm1", "-n", "mh-doomed", "--from-literal=a=b").clean();
    var nad =
        """
        apiVersion: k8s.cni.cncf.io/v1
        kind: NetworkAttachmentDefinition
        metadata:
          name: nad1
          namespace: mh-doomed
        spec:
          config: '{"cniVersion":"1.0.0","type":"bridge"}'
        """;
    kubectl.runWithInput(nad, "create", "-f", "-").clean();
    assertThat(kubectl.run("delete", "namespace", "mh-doomed").clean())
        .isEqualTo("namespace \"mh-doomed\" deleted\n");
    assertThat(kubectl.run("get", "namespace", "mh-doomed").err())
        .contains("namespaces \"mh-doomed\" not found");
    assertThat(lab.client.configMaps().inNamespace("mh-doomed").list().getItems()).isEmpty();
    var refused = kubectl.runWithInput(nad, "create", "-f", "-");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("namespaces \"mh-doomed\" not found");
  }

  @Test
  void invalidCustomResourcesAreRefusedNamingTheField() throws Exception {
    var policy =
        """
        apiVersion: sriovnetwork.openshift.io/v1
        kind: SriovNetworkNodePolicy
        metadata:
          name: bad-policy
          namespace: sriov-network-operator
        spec:
          resourceName: r
          nodeSelector: {a: b}
          numVfs: -1
          priority: 120
          deviceType: vfio
          nicSelector: {pfNames: [ens1f0]}
        """;
    var r = kubectl.runWithInput(policy, "create", "-f", "-");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err())
        .contains("The SriovNetworkNodePolicy \"bad-policy\" is invalid")
        .contains(
            "spec.numVfs: Invalid value: -1: spec.numVfs in body should be greater than or equal to 0")
        .contains(
            "spec.priority: Invalid value: 120: spec.priority in body should be less than or equal to 99")
        .contains(
            "spec.deviceType: Unsupported value: \"vfio\": supported values: \"netdevice\", \"vfio-pci\"");
    var network =
        """
        apiVersion: sriovnetwork.openshift.io/v1
        kind: SriovNetwork
        metadata:
          name: upstream-net
          namespace: sriov-network-operator
        spec:
          resourceName: r
          spoofChk: "ON"
        """;
    r = kubectl.runWithInput(network, "create", "-f", "-");
    assertThat(r.err())
        .contains("spec.spoofChk: Unsupported value: \"ON\": supported values: \"off\", \"on\"");
    var wrongType =
        """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata:
          name: p-wrong
        spec:
          nodeSelector: {a: 1}
          desiredState: {interfaces: []}
          maxUnavailable: true
        """;
    r = kubectl.runWithInput(wrongType, "create", "--validate=false", "-f", "-");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err())
        .contains("spec.maxUnavailable")
        .contains(
            "spec.nodeSelector.a: Invalid value: \"integer\": spec.nodeSelector.a in body must be of type string: \"integer\"");
    assertThat(lab.client.resources(NodeNetworkConfigurationPolicy.class).withName("p-wrong").get())
        .isNull();
  }

  @Test
  void unknownFieldsAreRefusedByStrictKubectlAndPrunedOtherwise() throws Exception {
    var network =
        """
        apiVersion: sriovnetwork.openshift.io/v1
        kind: SriovNetwork
        metadata:
          name: meta-plugins
          namespace: sriov-network-operator
        spec:
          resourceName: r
          metaPluginsConfig: '{"type": "tuning"}'
        """;
    var strict = kubectl.runWithInput(network, "create", "-f", "-");
    assertThat(strict.exit()).isNotZero();
    assertThat(strict.err())
        .contains("strict decoding error: unknown field \"spec.metaPluginsConfig\"");
    var warn = kubectl.runWithInput(network, "create", "--validate=warn", "-f", "-");
    assertThat(warn.exit()).isZero();
    assertThat(warn.err()).contains("Warning: unknown field \"spec.metaPluginsConfig\"");
    String stored =
        get(
                "/apis/sriovnetwork.openshift.io/v1/namespaces/sriov-network-operator/sriovnetworks/meta-plugins",
                "application/json")
            .body();
    assertThat(stored).contains("\"resourceName\":\"r\"").doesNotContain("metaPluginsConfig");
  }

  @Test
  void waitAndWatchPrintNoErrorLines() throws Exception {
    var policy =
        """
        apiVersion: nmstate.io/v1
        kind: NodeNetworkConfigurationPolicy
        metadata:
          name: p-wait
        spec:
          desiredState: {interfaces: []}
        """;
    kubectl.runWithInput(policy, "create", "-f", "-").clean();
    var watch = kubectl.start("get", "nncp", "p-wait", "-w");
    var watched = new java.io.ByteArrayOutputStream();
    var watchedErr = new java.io.ByteArrayOutputStream();
    var readers =
        List.of(
            new Thread(() -> copy(watch.getInputStream(), watched)),
            new Thread(() -> copy(watch.getErrorStream(), watchedErr)));
    readers.forEach(Thread::start);
    var waiter = kubectl.start("wait", "nncp/p-wait", "--for=condition=Available", "--timeout=30s");
    Thread.sleep(1500); // both are watching before the change they wait for
    var p = lab.client.resources(NodeNetworkConfigurationPolicy.class).withName("p-wait").get();
    p.setStatus(new io.multihome.api.nmstate.NodeNetworkConfigurationPolicyStatus());
    p.getStatus().setConditions(List.of(condition("Available", "True", "SuccessfullyConfigured")));
    lab.client.resource(p).updateStatus();
    assertThat(waiter.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(new String(waiter.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("nodenetworkconfigurationpolicy.nmstate.io/p-wait condition met\n");
    assertThat(new String(waiter.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEmpty();
    assertThat(waiter.exitValue()).isZero();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(normalized(watched.toString(StandardCharsets.UTF_8)))
                    .isEqualTo(
                        "NAME | STATUS | REASON\np-wait\np-wait | Available | SuccessfullyConfigured"));
    watch.destroy();
    watch.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    for (var t : readers) {
      t.join();
    }
    assertThat(watchedErr.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void logsComeFromThePodLogsBackend() throws Exception {
    lab.server.setPodLogs(
        (ns, pod, options) ->
            pod.equals("logger")
                ? new ByteArrayInputStream(
                    ("line one\nline two\nfrom " + options.container() + "\n")
                        .getBytes(StandardCharsets.UTF_8))
                : null);
    var pod =
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: logger
        spec:
          nodeName: lab-node1
          containers:
          - name: server
            image: registry.invalid/lab:1
            command: ["python3", "-m", "http.server"]
        """;
    kubectl.runWithInput(pod, "create", "-f", "-").clean();
    assertThat(kubectl.run("logs", "logger").clean())
        .isEqualTo("line one\nline two\nfrom server\n");
    var missing = kubectl.run("logs", "logger", "-c", "nope");
    assertThat(missing.err()).contains("container nope is not valid for pod logger");
  }

  @Test
  void servicesGetClusterIpsFromTheLabRangeHeadlessStaysNone() throws Exception {
    var services =
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector: {app: web}
          ports: [{port: 80}]
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web-headless
        spec:
          clusterIP: None
          selector: {app: web}
          ports: [{port: 80}]
        """;
    kubectl.runWithInput(services, "create", "-f", "-").clean();
    var web = lab.client.services().withName("web").get();
    assertThat(web.getSpec().getClusterIP()).startsWith("198.18.24");
    assertThat(normalized(kubectl.run("get", "svc", "web", "web-headless").clean()))
        .isEqualTo(
            "NAME | TYPE | CLUSTER-IP | EXTERNAL-IP | PORT(S) | AGE\n"
                + "web | ClusterIP | "
                + web.getSpec().getClusterIP()
                + " | <none> | 80/TCP | <age>\n"
                + "web-headless | ClusterIP | None | <none> | 80/TCP | <age>");
  }

  @Test
  void protobufOnlyClientsAreToldNotAcceptable() throws Exception {
    var r = get("/api/v1/nodes/lab-node1", "application/vnd.kubernetes.protobuf");
    assertThat(r.statusCode()).isEqualTo(406);
    var json =
        get("/api/v1/nodes/lab-node1", "application/vnd.kubernetes.protobuf, application/json");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.headers().firstValue("Content-Type")).contains("application/json");
  }

  private static void copy(java.io.InputStream in, java.io.OutputStream out) {
    try (in) {
      byte[] buf = new byte[4096];
      int n;
      while ((n = in.read(buf)) >= 0) {
        synchronized (out) {
          out.write(buf, 0, n);
        }
      }
    } catch (java.io.IOException e) {
      // the process went away
    }
  }

  private static HttpResponse<String> get(String path, String accept) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(lab.server.url() + path))
                .header("Accept", accept)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}

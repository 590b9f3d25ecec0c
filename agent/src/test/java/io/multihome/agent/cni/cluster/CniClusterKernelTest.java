package io.multihome.agent.cni.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.multihome.agent.cni.KernelFixture;
import io.multihome.agent.cni.NetworkStatusBuilder;
import io.multihome.agent.cni.daemon.CniDaemon;
import io.multihome.agent.cni.daemon.CniRequest;
import io.multihome.agent.cni.nad.NamespacePolicy;
import io.multihome.agent.cni.nodeconfig.NodeCniConfigWriter;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.nad.NetworkAttachmentDefinitionSpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole wiring on the mock API server with the real bridge/host-local plugins in throwaway
 * {@code mh-cni2-w-*} namespaces: the conf-dir watch writes 00-multihome.conflist, its plugin
 * config drives an ADD that reads pod and NAD from the caches only, writes network-status with one
 * patch and records AddedInterface events.
 */
@EnableKubernetesMockClient(crud = true)
class CniClusterKernelTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  KubernetesClient client;
  KubernetesMockServer server;
  @TempDir Path tmp;
  private KernelFixture k;
  private CniCluster cluster;

  @BeforeEach
  void setUp() throws Exception {
    k = new KernelFixture("mh-cni2-w");
  }

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
    if (k != null) {
      k.close();
    }
  }

  private List<String> drain() throws InterruptedException {
    var out = new ArrayList<String>();
    for (var r = server.takeRequest(200, TimeUnit.MILLISECONDS);
        r != null;
        r = server.takeRequest(200, TimeUnit.MILLISECONDS)) {
      out.add(r.getMethod() + " " + URLDecoder.decode(r.getPath(), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void addReadsOnlyCachesWritesStatusOnceAndRecordsEvents() throws Exception {
    Path netd = tmp.resolve("net.d");
    Files.createDirectories(netd);
    Files.writeString(
        netd.resolve("10-cluster.conflist"),
        """
        {"cniVersion":"1.0.0","name":"cluster","plugins":[
          {"type":"bridge","bridge":"mhc0","isGateway":true,
           "ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"198.18.0.0/24"}]]}}]}
        """
            .formatted(tmp.resolve("ipam")));
    var nad = new NetworkAttachmentDefinition();
    nad.getMetadata().setNamespace("apps");
    nad.getMetadata().setName("blue");
    nad.setSpec(
        new NetworkAttachmentDefinitionSpec(
            """
            {"cniVersion":"1.0.0","type":"bridge","bridge":"mhblue",
             "ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"198.18.10.0/24"}]]}}
            """
                .formatted(tmp.resolve("ipam"))));
    client.resources(NetworkAttachmentDefinition.class).inNamespace("apps").resource(nad).create();
    var pod =
        client
            .pods()
            .inNamespace("apps")
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withNamespace("apps")
                    .withName("a")
                    .addToAnnotations("k8s.v1.cni.cncf.io/networks", "blue")
                    .endMetadata()
                    .withNewSpec()
                    .withNodeName("node-1")
                    .endSpec()
                    .build())
            .create();
    var settings =
        new CniDaemon.Settings(
            tmp.resolve("cni.sock"),
            tmp.resolve("state"),
            List.of(KernelFixture.CNI_BIN),
            tmp.resolve("multus.d"),
            NamespacePolicy.open(),
            "kube-system",
            KernelFixture.path(k.node),
            4,
            Duration.ofSeconds(30),
            Duration.ofSeconds(2),
            Map.of());
    var options =
        new CniCluster.Options(
            List.of(),
            Duration.ofSeconds(2),
            tmp.resolve("checkpoint"),
            tmp.resolve("sys"),
            netd,
            null,
            null,
            Duration.ofMinutes(5),
            null,
            null);
    // The mock server cannot evaluate spec.nodeName selectors: same informer, without it.
    cluster =
        CniCluster.start(
            client,
            "node-1",
            settings,
            options,
            c ->
                InformerPodSource.start(
                    c, "node-1", options.podWait(), c.pods().inAnyNamespace().runnableInformer(0)));
    await().atMost(Duration.ofSeconds(10)).until(cluster::hasSynced);
    Path written = netd.resolve(NodeCniConfigWriter.FILE_NAME);
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(written));

    // The runtime's view: the first plugin of 00-multihome.conflist, cniVersion and name injected.
    var list = (ObjectNode) JSON.readTree(written.toFile());
    var plugin = (ObjectNode) list.get("plugins").get(0).deepCopy();
    plugin.set("cniVersion", list.get("cniVersion"));
    plugin.set("name", list.get("name"));
    String netns = k.newNamespace("pod");
    var env = new HashMap<String, String>();
    env.putAll(
        Map.of(
            "CNI_COMMAND",
            "ADD",
            "CNI_CONTAINERID",
            "cid-a",
            "CNI_NETNS",
            KernelFixture.path(netns).toString(),
            "CNI_IFNAME",
            "eth0",
            "CNI_PATH",
            KernelFixture.CNI_BIN.toString(),
            "CNI_ARGS",
            "IgnoreUnknown=1;K8S_POD_NAMESPACE=apps;K8S_POD_NAME=a;K8S_POD_UID="
                + pod.getMetadata().getUid()));
    drain();
    var response =
        cluster.daemon().service().handle(new CniRequest(env, JSON.writeValueAsBytes(plugin)));
    assertThat(response.exitCode())
        .as(new String(response.body(), StandardCharsets.UTF_8))
        .isZero();
    assertThat(k.links(netns)).contains("eth0", "net1");

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace("apps").list().getItems()).hasSize(2));
    var requests = drain();
    assertThat(requests)
        .as("the ADD path reads nothing from the API")
        .noneMatch(r -> r.startsWith("GET /api/v1/namespaces/apps/pods/a"))
        .noneMatch(r -> r.contains("network-attachment-definitions/blue"));
    assertThat(requests)
        .filteredOn(r -> r.startsWith("PATCH"))
        .containsExactly("PATCH /api/v1/namespaces/apps/pods/a");

    var status =
        JSON.readTree(
            client
                .pods()
                .inNamespace("apps")
                .withName("a")
                .get()
                .getMetadata()
                .getAnnotations()
                .get(NetworkStatusBuilder.ANNOTATION));
    assertThat(status.get(0).path("name").asText()).isEqualTo("cluster");
    assertThat(status.get(1).path("name").asText()).isEqualTo("apps/blue");
    assertThat(status.get(1).path("interface").asText()).isEqualTo("net1");
    String ip = status.get(1).path("ips").get(0).asText();
    assertThat(ip).startsWith("198.18.10.");

    var messages =
        client.v1().events().inNamespace("apps").list().getItems().stream()
            .filter(e -> e.getReason().equals("AddedInterface"))
            .map(Event::getMessage)
            .toList();
    assertThat(messages)
        .anyMatch(m -> m.matches("Add eth0 \\[198\\.18\\.0\\.\\d+/24\\] from cluster"))
        .contains("Add net1 [" + ip + "/24] from apps/blue");

    env.put("CNI_COMMAND", "DEL");
    var del =
        cluster.daemon().service().handle(new CniRequest(env, JSON.writeValueAsBytes(plugin)));
    assertThat(del.exitCode()).isZero();
    assertThat(k.links(netns)).containsExactly("lo");
  }
}

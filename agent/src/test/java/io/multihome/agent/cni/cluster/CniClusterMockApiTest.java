package io.multihome.agent.cni.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.multihome.agent.cni.NetworkStatusBuilder;
import io.multihome.agent.cni.PodRef;
import io.multihome.agent.cni.daemon.CniRequest;
import io.multihome.agent.kube.TransformingItemStore;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.nad.NetworkAttachmentDefinitionSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class CniClusterMockApiTest {

  KubernetesClient client;
  KubernetesMockServer server;
  @TempDir Path tmp;
  private CniCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private CniCluster start(List<String> nadNamespaces, Duration podWait) throws Exception {
    var options = MockApiCni.options(tmp, nadNamespaces, podWait, null);
    cluster = CniCluster.start(client, "node-1", MockApiCni.settings(tmp), options);
    await().atMost(Duration.ofSeconds(10)).until(cluster::hasSynced);
    return cluster;
  }

  /** "METHOD path" of every request the mock server received since the last drain. */
  private List<String> drain() throws InterruptedException {
    var out = new java.util.ArrayList<String>();
    while (true) {
      var r = server.takeRequest(200, java.util.concurrent.TimeUnit.MILLISECONDS);
      if (r == null) {
        return out;
      }
      out.add(
          r.getMethod() + " " + java.net.URLDecoder.decode(r.getPath(), StandardCharsets.UTF_8));
    }
  }

  /** Single-object reads (not list/watch) among the requests. */
  private static List<String> objectGets(List<String> requests) {
    return requests.stream().filter(r -> r.startsWith("GET ") && !r.contains("?")).toList();
  }

  private void nad(String ns, String name, String config) {
    var nad = new NetworkAttachmentDefinition();
    nad.getMetadata().setNamespace(ns);
    nad.getMetadata().setName(name);
    nad.getMetadata().setAnnotations(Map.of("k8s.v1.cni.cncf.io/resourceName", "intel.com/vf"));
    nad.getMetadata()
        .setManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("kubectl").build()));
    nad.setSpec(new NetworkAttachmentDefinitionSpec(config));
    client.resources(NetworkAttachmentDefinition.class).inNamespace(ns).resource(nad).create();
  }

  private Pod pod(String ns, String name, String node, String networks) {
    var pod =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(ns)
            .withName(name)
            .withUid("uid-" + name)
            .addToAnnotations("k8s.v1.cni.cncf.io/networks", networks)
            .addNewManagedField()
            .withManager("kubelet")
            .endManagedField()
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .addNewContainer()
            .withName("c")
            .withImage("busybox")
            .endContainer()
            .endSpec()
            .build();
    return client.pods().inNamespace(ns).resource(pod).create();
  }

  @Test
  void nadsComeFromTheCacheWithoutManagedFieldsAndFollowChanges() throws Exception {
    nad("apps", "blue", "{\"cniVersion\":\"1.0.0\",\"type\":\"bridge\"}");
    start(List.of(), Duration.ofMillis(200));
    drain();
    var found = cluster.nads().find("apps", "blue");
    assertThat(found).isPresent();
    assertThat(found.get().config()).contains("bridge");
    assertThat(found.get().annotations())
        .containsEntry("k8s.v1.cni.cncf.io/resourceName", "intel.com/vf");
    assertThat(cluster.nads().find("apps", "red")).isEmpty();
    assertThat(objectGets(drain())).as("no API reads on lookups").isEmpty();

    nad("other", "green", "{\"cniVersion\":\"1.0.0\",\"type\":\"macvlan\"}");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> cluster.nads().find("other", "green").isPresent());
    client
        .resources(NetworkAttachmentDefinition.class)
        .inNamespace("apps")
        .withName("blue")
        .delete();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> cluster.nads().find("apps", "blue").isEmpty());
  }

  @Test
  void configuredNamespacesLimitTheNadsServed() throws Exception {
    nad("apps", "blue", "{\"type\":\"bridge\"}");
    nad("other", "green", "{\"type\":\"bridge\"}");
    start(List.of("apps"), Duration.ofMillis(200));
    assertThat(cluster.nads().find("apps", "blue")).isPresent();
    assertThat(cluster.nads().find("other", "green")).isEmpty();
  }

  @Test
  void podInformerAsksTheApiForThisNodesPodsOnly() throws Exception {
    start(List.of(), Duration.ofMillis(200));
    assertThat(drain())
        .filteredOn(p -> p.startsWith("GET /api/v1/pods"))
        .isNotEmpty()
        .allMatch(p -> p.contains("fieldSelector=spec.nodeName=node-1"));
  }

  // The mock server cannot evaluate a spec.nodeName field selector (it matches nothing), so the
  // cache behaviour is tested with an informer over all pods; the selector is checked above.
  @Test
  void cachedPodsAreSlimmedAndLookupsMakeNoApiReads() throws Exception {
    String uid = pod("apps", "mine", "node-1", "blue").getMetadata().getUid();
    pod("apps", "theirs", "node-2", "blue");
    var informer = client.pods().inAnyNamespace().runnableInformer(0);
    informer.itemStore(new TransformingItemStore<>(InformerPodSource::slim));
    try (var source = new InformerPodSource(client, "node-1", informer, Duration.ofMillis(300))) {
      informer.start();
      await().atMost(Duration.ofSeconds(5)).until(source::hasSynced);
      var cached = informer.getStore().getByKey("apps/mine");
      assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
      assertThat(cached.getSpec().getContainers()).isEmpty();
      drain();
      var mine = source.find("apps", "mine");
      assertThat(objectGets(drain())).as("cache hit: no API read").isEmpty();
      assertThat(mine).isPresent();
      assertThat(mine.get().uid()).isEqualTo(uid);
      assertThat(mine.get().annotations()).containsEntry("k8s.v1.cni.cncf.io/networks", "blue");
      // Not in the cache: waited for, then one GET.
      assertThat(source.find("apps", "absent")).isEmpty();
      assertThat(objectGets(drain())).containsExactly("GET /api/v1/namespaces/apps/pods/absent");
      // A pod created now arrives through the watch while the lookup waits: no GET.
      new Thread(() -> pod("apps", "late", "node-1", "red")).start();
      assertThat(source.find("apps", "late")).isPresent();
      assertThat(objectGets(drain())).isEmpty();
    }
  }

  @Test
  void directGetIgnoresPodsOfOtherNodes() {
    pod("apps", "theirs", "node-2", "blue");
    var informer = client.pods().inAnyNamespace().runnableInformer(0);
    var source = new InformerPodSource(client, "node-1", informer, Duration.ofMillis(50));
    assertThat(source.find("apps", "theirs")).isEmpty();
  }

  @Test
  void unsyncedPodCacheFallsBackToOneDirectGet() throws Exception {
    String uid = pod("apps", "mine", "node-1", "blue").getMetadata().getUid();
    var informer =
        client.pods().inAnyNamespace().withField("spec.nodeName", "node-1").runnableInformer(0);
    var source = new InformerPodSource(client, "node-1", informer, Duration.ofMillis(100));
    drain();
    var found = source.find("apps", "mine"); // informer never started: cache cannot answer
    assertThat(found).isPresent();
    assertThat(found.get().uid()).isEqualTo(uid);
    assertThat(objectGets(drain())).containsExactly("GET /api/v1/namespaces/apps/pods/mine");
    assertThat(InformerPodSource.slim(client.pods().inNamespace("apps").withName("mine").get()))
        .satisfies(p -> assertThat(p.getMetadata().getManagedFields()).isNullOrEmpty());
  }

  @Test
  void statusSinkMergePatchesTheAnnotationAndToleratesAGonePod() throws Exception {
    pod("apps", "mine", "node-1", "blue");
    var sink = new PodStatusWriter(client);
    String status = "[{\"name\":\"cluster\",\"default\":true}]";
    drain();
    sink.publish(new PodRef("apps", "mine", "uid-mine"), status);
    assertThat(drain())
        .as("one write, no read")
        .containsExactly("PATCH /api/v1/namespaces/apps/pods/mine");
    var pod = client.pods().inNamespace("apps").withName("mine").get();
    assertThat(pod.getMetadata().getAnnotations())
        .containsEntry(NetworkStatusBuilder.ANNOTATION, status)
        .containsEntry("k8s.v1.cni.cncf.io/networks", "blue");
    sink.publish(new PodRef("apps", "gone", null), status); // no exception
  }

  @Test
  void deprecatedNetworksStatusIsWrittenWithTheSameContentInTheSamePatch() throws Exception {
    // Issue 17 item 8: the OpenShift docs read k8s.v1.cni.cncf.io/networks-status, which Multus
    // (NAD client v1.1 .. v1.3, Multus 3.4.1 .. 3.9) wrote next to network-status, same value.
    pod("apps", "mine", "node-1", "blue");
    var sink = new PodStatusWriter(client);
    String status = "[{\"name\":\"cluster\",\"interface\":\"eth0\",\"default\":true}]";
    drain();
    sink.publish(new PodRef("apps", "mine", "uid-mine"), status);
    assertThat(drain()).containsExactly("PATCH /api/v1/namespaces/apps/pods/mine");
    var annotations =
        client.pods().inNamespace("apps").withName("mine").get().getMetadata().getAnnotations();
    assertThat(annotations)
        .containsEntry("k8s.v1.cni.cncf.io/network-status", status)
        .containsEntry("k8s.v1.cni.cncf.io/networks-status", status);
    // A later ADD (new sandbox) replaces both.
    String next = "[{\"name\":\"cluster\",\"interface\":\"eth0\",\"default\":true},{}]";
    sink.publish(new PodRef("apps", "mine", "uid-mine"), next);
    annotations =
        client.pods().inNamespace("apps").withName("mine").get().getMetadata().getAnnotations();
    assertThat(annotations)
        .containsEntry("k8s.v1.cni.cncf.io/network-status", next)
        .containsEntry("k8s.v1.cni.cncf.io/networks-status", next);
  }

  @Test
  void eventsUseMultusReasonsAndWording() throws Exception {
    try (var events = new KubernetesPodEvents(client, "node-1")) {
      var pod = new PodRef("apps", "mine", "uid-mine");
      events.addedInterface(pod, "net1", List.of("198.18.1.5/24"), "apps/blue");
      events.noNetworkFound(
          pod, "cannot find a network-attachment-definition (x) in namespace (apps)");
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(client.v1().events().inNamespace("apps").list().getItems())
                      .hasSize(2));
    }
    var byReason = new java.util.HashMap<String, io.fabric8.kubernetes.api.model.Event>();
    client
        .v1()
        .events()
        .inNamespace("apps")
        .list()
        .getItems()
        .forEach(e -> byReason.put(e.getReason(), e));
    var added = byReason.get("AddedInterface");
    assertThat(added.getType()).isEqualTo("Normal");
    assertThat(added.getMessage()).isEqualTo("Add net1 [198.18.1.5/24] from apps/blue");
    assertThat(added.getInvolvedObject().getUid()).isEqualTo("uid-mine");
    assertThat(added.getInvolvedObject().getKind()).isEqualTo("Pod");
    assertThat(added.getSource().getHost()).isEqualTo("node-1");
    assertThat(byReason.get("NoNetworkFound").getType()).isEqualTo("Warning");
  }

  @Test
  void addWithAMissingNadFailsAndRecordsNoNetworkFound() throws Exception {
    String uid = pod("apps", "mine", "node-1", "missing").getMetadata().getUid();
    start(List.of(), Duration.ofMillis(200));
    Path clusterConf = tmp.resolve("10-cluster.conflist");
    Files.writeString(
        clusterConf,
        "{\"cniVersion\":\"1.0.0\",\"name\":\"cluster\",\"plugins\":[{\"type\":\"bridge\"}]}");
    String config =
        "{\"cniVersion\":\"1.0.0\",\"name\":\"multihome\",\"type\":\"multihome-cni\",\"clusterNetwork\":\""
            + clusterConf
            + "\"}";
    var env =
        Map.of(
            "CNI_COMMAND", "ADD",
            "CNI_CONTAINERID", "cid-1",
            "CNI_NETNS", "/run/netns/none",
            "CNI_IFNAME", "eth0",
            "CNI_PATH", tmp.resolve("bin").toString(),
            "CNI_ARGS", "K8S_POD_NAMESPACE=apps;K8S_POD_NAME=mine");
    var response =
        cluster
            .daemon()
            .service()
            .handle(new CniRequest(env, config.getBytes(StandardCharsets.UTF_8)));
    assertThat(response.exitCode()).isNotZero();
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .contains("cannot find a network-attachment-definition (missing) in namespace (apps)");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace("apps").list().getItems())
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("NoNetworkFound");
                          assertThat(e.getInvolvedObject().getUid()).isEqualTo(uid);
                        }));
  }
}

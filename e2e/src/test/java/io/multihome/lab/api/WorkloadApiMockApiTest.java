package io.multihome.lab.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the lab's API server does for workloads, as kube-apiserver does it: the scale subresource of
 * Deployments and ReplicaSets ({@code kubectl scale}, {@code get --subresource=scale}), pods bound
 * only through {@code pods/binding} (spec.nodeName fixed after create, 422 otherwise), and {@code
 * kubectl create deployment} / {@code kubectl run}, whose protobuf bodies the lab decodes.
 */
class WorkloadApiMockApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
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

  @Test
  void kubectlCreateDeploymentScaleAndGetScaleWork() throws Exception {
    // kubectl sends this one in protobuf.
    assertThat(
            kubectl
                .run(
                    "create",
                    "deployment",
                    "web",
                    "--image=registry.invalid/web:1",
                    "--replicas=2",
                    "--port=8080",
                    "--",
                    "python3",
                    "-m",
                    "http.server",
                    "8080")
                .clean())
        .isEqualTo("deployment.apps/web created\n");
    var web = lab.client.apps().deployments().withName("web").get();
    assertThat(web.getMetadata().getLabels()).containsExactlyEntriesOf(Map.of("app", "web"));
    assertThat(web.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of("app", "web"));
    var container = web.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getName()).isEqualTo("web");
    assertThat(container.getImage()).isEqualTo("registry.invalid/web:1");
    assertThat(container.getCommand()).containsExactly("python3", "-m", "http.server", "8080");
    assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(8080);
    var scale =
        JSON.readTree(
            kubectl.run("get", "deploy", "web", "--subresource=scale", "-o", "json").clean());
    assertThat(scale.path("kind").asText()).isEqualTo("Scale");
    assertThat(scale.path("apiVersion").asText()).isEqualTo("autoscaling/v1");
    assertThat(scale.path("spec").path("replicas").asInt()).isEqualTo(2);
    assertThat(scale.path("status").path("selector").asText()).isEqualTo("app=web");

    assertThat(kubectl.run("scale", "deployment/web", "--replicas=5").clean())
        .isEqualTo("deployment.apps/web scaled\n");
    assertThat(lab.client.apps().deployments().withName("web").get().getSpec().getReplicas())
        .isEqualTo(5);
    // --current-replicas is a precondition: a wrong one changes nothing.
    var refused = kubectl.run("scale", "deployment/web", "--current-replicas=2", "--replicas=1");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("Expected replicas to be 2, was 5");
    assertThat(lab.client.apps().deployments().withName("web").get().getSpec().getReplicas())
        .isEqualTo(5);
  }

  @Test
  void aDeploymentWithoutReplicasGetsTheApiDefaults() throws Exception {
    var manifest = deployment("defaults", 1).replace("  replicas: 1\n", "");
    assertThat(manifest).doesNotContain("replicas");
    kubectl.runWithInput(manifest, "create", "-f", "-").clean();
    var spec = lab.client.apps().deployments().withName("defaults").get().getSpec();
    // kubectl rollout status waits for spec.replicas pods only when it is set.
    assertThat(spec.getReplicas()).isEqualTo(1);
    assertThat(spec.getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(spec.getStrategy().getRollingUpdate().getMaxUnavailable().getStrVal())
        .isEqualTo("25%");
    assertThat(spec.getStrategy().getRollingUpdate().getMaxSurge().getStrVal()).isEqualTo("25%");
    assertThat(spec.getRevisionHistoryLimit()).isEqualTo(10);
    assertThat(spec.getProgressDeadlineSeconds()).isEqualTo(600);
  }

  @Test
  void aScaleWrittenWithAStaleResourceVersionConflictsAndANegativeOneIsInvalid() throws Exception {
    kubectl.runWithInput(deployment("stale", 1), "create", "-f", "-").clean();
    var path = "/apis/apps/v1/namespaces/default/deployments/stale/scale";
    var current = JSON.readTree(send("GET", path, null, null).body());
    String rv = current.path("metadata").path("resourceVersion").asText();
    // Someone else changes the Deployment after our read.
    kubectl.run("label", "deploy", "stale", "changed=yes").clean();
    var stale =
        "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":{\"name\":\"stale\","
            + "\"namespace\":\"default\",\"resourceVersion\":\""
            + rv
            + "\"},\"spec\":{\"replicas\":4}}";
    var conflict = send("PUT", path, "application/json", stale);
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(conflict.body()).contains("the object has been modified");
    assertThat(lab.client.apps().deployments().withName("stale").get().getSpec().getReplicas())
        .isEqualTo(1);

    var negative =
        send("PATCH", path, "application/merge-patch+json", "{\"spec\":{\"replicas\":-1}}");
    assertThat(negative.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(negative.body()).path("message").asText())
        .isEqualTo(
            "Scale.autoscaling \"stale\" is invalid: spec.replicas: Invalid value: -1: must be"
                + " greater than or equal to 0");
    var ok = send("PUT", path, "application/json", stale.replace(rv, ""));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ok.body()).path("spec").path("replicas").asInt()).isEqualTo(4);
  }

  @Test
  void aPodsNodeIsSetOnCreateOrByABindingNeverByAnUpdate() throws Exception {
    var pod =
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: unbound
        spec:
          containers:
          - name: c
            image: registry.invalid/lab:1
        """;
    kubectl.runWithInput(pod, "create", "-f", "-").clean();
    // kubectl run sends its Pod in protobuf.
    assertThat(
            kubectl
                .run("run", "runner", "--image=registry.invalid/lab:1", "--", "sleep", "1000")
                .clean())
        .isEqualTo("pod/runner created\n");
    var runner = lab.client.pods().withName("runner").get();
    assertThat(runner.getMetadata().getLabels()).isEqualTo(Map.of("run", "runner"));
    assertThat(runner.getSpec().getContainers().get(0).getArgs()).containsExactly("sleep", "1000");
    assertThat(runner.getSpec().getRestartPolicy()).isEqualTo("Always");
    var patched =
        kubectl.run("patch", "pod", "unbound", "-p", "{\"spec\":{\"nodeName\":\"lab-node1\"}}");
    assertThat(patched.exit()).isNotZero();
    assertThat(patched.err())
        .contains("Pod \"unbound\" is invalid: spec: Forbidden: pod updates may not change fields")
        .contains("spec.nodeName");
    assertThat(lab.client.pods().withName("unbound").get().getSpec().getNodeName()).isNull();
    // Metadata stays writable.
    kubectl.run("label", "pod", "unbound", "tier=web").clean();

    String uid = lab.client.pods().withName("unbound").get().getMetadata().getUid();
    var wrongUid =
        send(
            "POST",
            "/api/v1/namespaces/default/pods/unbound/binding",
            "application/json",
            binding("unbound", "not-" + uid, "lab-node2"));
    assertThat(wrongUid.statusCode()).isEqualTo(409);
    assertThat(wrongUid.body()).contains("Precondition failed: UID in precondition");

    var bound =
        send(
            "POST",
            "/api/v1/namespaces/default/pods/unbound/binding",
            "application/json",
            binding("unbound", uid, "lab-node2"));
    assertThat(bound.statusCode()).isEqualTo(201);
    var stored = lab.client.pods().withName("unbound").get();
    assertThat(stored.getSpec().getNodeName()).isEqualTo("lab-node2");
    assertThat(stored.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("PodScheduled");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    var again =
        send(
            "POST",
            "/api/v1/namespaces/default/bindings",
            "application/json",
            binding("unbound", uid, "lab-node1"));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(again.body()).path("message").asText())
        .isEqualTo(
            "Operation cannot be fulfilled on pods/binding \"unbound\": pod unbound is already"
                + " assigned to node \"lab-node2\"");
  }

  private static String deployment(String name, int replicas) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %1$s
        spec:
          replicas: %2$d
          selector:
            matchLabels: {app: %1$s}
          template:
            metadata:
              labels: {app: %1$s}
            spec:
              containers:
              - name: web
                image: registry.invalid/web:1
        """
        .formatted(name, replicas);
  }

  private static String binding(String pod, String uid, String node) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\""
        + pod
        + "\",\"uid\":\""
        + uid
        + "\"},\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\""
        + node
        + "\"}}";
  }

  private static HttpResponse<String> send(
      String method, String path, String contentType, String body) throws Exception {
    var b =
        HttpRequest.newBuilder(URI.create(lab.server.url() + path))
            .header("Accept", "application/json")
            .timeout(Duration.ofSeconds(10));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}

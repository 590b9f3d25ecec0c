package io.multihome.lab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lab API calls a registered MutatingWebhookConfiguration as an API server would: a small HTTPS
 * webhook (certificate for {@code hook.default.svc}, made with openssl) adds a label by JSONPatch
 * and refuses pods labelled {@code deny}; failurePolicy decides what a dead webhook means; objects
 * the rules do not name are not sent.
 */
class MutatingWebhooksMockApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LabApiFixture lab;
  private static HttpsServer hook;
  private static String caBundle;
  private static final AtomicInteger calls = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    lab = new LabApiFixture();
    Path dir = lab.dir;
    run(
        dir,
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "key.pem",
        "-out",
        "cert.pem",
        "-days",
        "1",
        "-subj",
        "/CN=hook.default.svc",
        "-addext",
        "subjectAltName=DNS:hook.default.svc");
    run(
        dir,
        "openssl",
        "pkcs12",
        "-export",
        "-in",
        "cert.pem",
        "-inkey",
        "key.pem",
        "-out",
        "hook.p12",
        "-passout",
        "pass:lab");
    caBundle = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("cert.pem")));
    var ks = KeyStore.getInstance("PKCS12");
    try (var in = new FileInputStream(dir.resolve("hook.p12").toFile())) {
      ks.load(in, "lab".toCharArray());
    }
    var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "lab".toCharArray());
    var ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    hook = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hook.setHttpsConfigurator(new HttpsConfigurator(ssl));
    hook.createContext(
        "/mutate",
        exchange -> {
          calls.incrementAndGet();
          var review = JSON.readTree(exchange.getRequestBody());
          var request = review.path("request");
          var answer =
              JSON.createObjectNode()
                  .put("apiVersion", "admission.k8s.io/v1")
                  .put("kind", "AdmissionReview");
          var response = answer.putObject("response").put("uid", request.path("uid").asText());
          if (request.path("object").path("metadata").path("labels").has("deny")) {
            response.put("allowed", false);
            response
                .putObject("status")
                .put("code", 403)
                .put("message", "pods labelled deny are refused");
          } else {
            response.put("allowed", true).put("patchType", "JSONPatch");
            String patch =
                "[{\"op\":\"add\",\"path\":\"/metadata/labels/mutated\",\"value\":\""
                    + request.path("operation").asText()
                    + "\"}]";
            response.put(
                "patch",
                Base64.getEncoder().encodeToString(patch.getBytes(StandardCharsets.UTF_8)));
          }
          byte[] body = answer.toString().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    hook.start();
    lab.server.webhooks().routeService("default", "hook", 443, hook.getAddress());
  }

  @AfterAll
  static void stop() throws Exception {
    if (hook != null) {
      hook.stop(0);
    }
    lab.close();
  }

  private static void run(Path dir, String... cmd) throws Exception {
    var p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  private static void register(String name, String service, String failurePolicy) {
    String config =
        """
        {"apiVersion":"admissionregistration.k8s.io/v1","kind":"MutatingWebhookConfiguration",
         "metadata":{"name":"%s"},
         "webhooks":[{"name":"%s.lab.example","admissionReviewVersions":["v1"],"sideEffects":"None",
           "failurePolicy":"%s",
           "clientConfig":{"service":{"namespace":"default","name":"%s","path":"/mutate"},"caBundle":"%s"},
           "rules":[{"operations":["CREATE"],"apiGroups":[""],"apiVersions":["v1"],"resources":["pods"]}]}]}
        """
            .formatted(name, name, failurePolicy, service, caBundle);
    lab.client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .load(new java.io.ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)))
        .create();
  }

  private static Pod pod(String name, String label) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels(label, "x")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("registry.invalid/lab:1")
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void webhookPatchesDeniesAndIsSkippedForOtherKinds() {
    register("inject", "hook", "Fail");
    try {
      var created = lab.client.pods().resource(pod("patched", "app")).create();
      assertThat(created.getMetadata().getLabels()).containsEntry("mutated", "CREATE");
      assertThat(lab.client.pods().withName("patched").get().getMetadata().getLabels())
          .containsEntry("mutated", "CREATE");

      assertThatThrownBy(() -> lab.client.pods().resource(pod("refused", "deny")).create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining(
              "admission webhook \"inject.lab.example\" denied the request: pods labelled deny are refused")
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
      assertThat(lab.client.pods().withName("refused").get()).isNull();

      int before = calls.get();
      lab.client
          .configMaps()
          .resource(
              new ConfigMapBuilder().withNewMetadata().withName("not-sent").endMetadata().build())
          .create();
      assertThat(calls.get()).isEqualTo(before);
    } finally {
      lab.client
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .withName("inject")
          .delete();
    }
  }

  @Test
  void failurePolicyDecidesWhatAnUnreachableWebhookMeans() throws Exception {
    int closedPort;
    try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    lab.server
        .webhooks()
        .routeService(
            "default",
            "gone",
            443,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort));
    register("dead-fail", "gone", "Fail");
    try {
      assertThatThrownBy(() -> lab.client.pods().resource(pod("blocked", "app")).create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("failed calling webhook \"dead-fail.lab.example\"")
          .hasMessageContaining("https://gone.default.svc:443/mutate");
    } finally {
      lab.client
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .withName("dead-fail")
          .delete();
    }
    register("dead-ignore", "gone", "Ignore");
    try {
      assertThat(
              lab.client.pods().resource(pod("admitted", "app")).create().getMetadata().getLabels())
          .doesNotContainKey("mutated");
    } finally {
      lab.client
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .withName("dead-ignore")
          .delete();
    }
  }
}

package io.multihome.controller.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.zjsonpatch.JsonPatch;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.nad.NetworkAttachmentDefinitionSpec;
import io.multihome.testkit.RawObjects;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook as the API server sees it: AdmissionReview v1 in over real HTTPS (trusting only the
 * CA the webhook publishes), a JSON patch out, NADs from the mock API server. Also the webhook
 * admission benchmark of docs/benchmarks.md (target: p50 under 5 ms), written to {@code
 * target/webhook-benchmark.txt}.
 */
@EnableKubernetesMockClient(crud = true)
class ResourceInjectionWebhookMockApiTest {
  private static final Logger log =
      LoggerFactory.getLogger(ResourceInjectionWebhookMockApiTest.class);
  static final ObjectMapper JSON = new ObjectMapper();
  static final String POD =
      "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"vm-a\","
          + " \"annotations\": {\"k8s.v1.cni.cncf.io/networks\": \"bridge-dev, bridge-dev@net2\"}},"
          + " \"spec\": {\"containers\": [{\"name\": \"compute\", \"image\": \"virt-launcher\","
          + " \"resources\": {}}]}}";

  KubernetesClient client;
  @TempDir Path tmp;
  final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void nads() {
    client.namespaces().resource(ns("multus-test")).create();
    var nad = new NetworkAttachmentDefinition();
    nad.getMetadata().setName("bridge-dev");
    nad.getMetadata().setNamespace("multus-test");
    nad.getMetadata()
        .setAnnotations(
            Map.of("k8s.v1.cni.cncf.io/resourceName", "bridge.network.kubevirt.io/bridge-dev"));
    var spec = new NetworkAttachmentDefinitionSpec();
    spec.setConfig("{\"cniVersion\": \"0.3.1\", \"type\": \"bridge\", \"bridge\": \"dev-bridge\"}");
    nad.setSpec(spec);
    client.resource(nad).create();
  }

  static io.fabric8.kubernetes.api.model.Namespace ns(String name) {
    return new io.fabric8.kubernetes.api.model.NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .build();
  }

  @AfterEach
  void close() throws Exception {
    Collections.reverse(closeables);
    for (var c : closeables) {
      c.close();
    }
  }

  ResourceInjectionWebhook start(WebhookConfig config) {
    var webhook = ResourceInjectionWebhook.start(client, config);
    closeables.add(webhook);
    await().atMost(Duration.ofSeconds(5)).until(webhook::ready);
    return webhook;
  }

  static JsonNode response(String body) throws Exception {
    var review = JSON.readTree(body);
    assertThat(review.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(review.path("kind").asText()).isEqualTo("AdmissionReview");
    return review.path("response");
  }

  @Test
  void aReviewInOverHttpsGivesTheJsonPatchOut() throws Exception {
    var webhook = start(WebhookConfig.loopback());
    assertThat(webhook.url()).startsWith("https://127.0.0.1:").endsWith("/mutate");
    var api = new WebhookClient(webhook.url(), webhook.caBundlePem());

    var reply = api.post(WebhookClient.review("uid-1", "multus-test", POD));
    assertThat(reply.statusCode()).isEqualTo(200);
    var response = response(reply.body());
    assertThat(response.path("uid").asText()).isEqualTo("uid-1");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
    var patch = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
    var pod = JsonPatch.apply(patch, JSON.readTree(POD));
    var resources = pod.at("/spec/containers/0/resources");
    assertThat(resources.at("/requests/bridge.network.kubevirt.io~1bridge-dev").asText())
        .isEqualTo("2");
    assertThat(resources.at("/limits/bridge.network.kubevirt.io~1bridge-dev").asText())
        .isEqualTo("2");
    assertThat(pod.at("/spec/volumes/0/name").asText()).isEqualTo("podnetinfo");

    // A NAD created just now is found too (cache miss → GET, as upstream).
    var nad =
        client
            .resources(NetworkAttachmentDefinition.class)
            .inNamespace("multus-test")
            .withName("bridge-dev")
            .get();
    nad.getMetadata().setName("fresh");
    nad.getMetadata().setResourceVersion(null);
    nad.getMetadata().setUid(null);
    client.resource(nad).create();
    var fresh =
        response(
            api.post(
                    WebhookClient.review(
                        "uid-2",
                        "multus-test",
                        POD.replace("bridge-dev, bridge-dev@net2", "fresh")))
                .body());
    assertThat(fresh.path("allowed").asBoolean()).isTrue();
    assertThat(fresh.has("patch")).isTrue();
  }

  @Test
  void badAnnotationsAndMissingNetworksAreDeniedWithTheReason() throws Exception {
    var webhook = start(WebhookConfig.loopback());
    var api = new WebhookClient(webhook.url(), webhook.caBundlePem());
    var bad =
        response(
            api.post(
                    WebhookClient.review(
                        "u", "multus-test", POD.replace("bridge-dev, bridge-dev@net2", "a/b/c")))
                .body());
    assertThat(bad.path("allowed").asBoolean()).isFalse();
    assertThat(bad.at("/status/code").asInt()).isEqualTo(400);
    assertThat(bad.at("/status/message").asText())
        .isEqualTo(
            "invalid network selection: k8s.v1.cni.cncf.io/networks[0]: \"a/b/c\" has more than"
                + " one '/'");
    var missing =
        response(
            api.post(
                    WebhookClient.review(
                        "u", "multus-test", POD.replace("bridge-dev, bridge-dev@net2", "nope")))
                .body());
    assertThat(missing.at("/status/message").asText())
        .isEqualTo("could not find network attachment definition 'multus-test/nope'");
    assertThat(missing.has("patch")).isFalse();
  }

  /**
   * Issue 14: NADs are read leniently (a custom resource of ours), so one written with the wrong
   * type (raw JSON, what a store without the CRD's schema keeps) stops neither the lookup's
   * informer nor the injection; the webhook reads only its annotations, as upstream.
   */
  @Test
  void aNadWithAFieldOfTheWrongTypeStopsNothing() throws Exception {
    RawObjects.write(
        client,
        NetworkAttachmentDefinition.class,
        "{'apiVersion': 'k8s.cni.cncf.io/v1', 'kind': 'NetworkAttachmentDefinition', 'metadata':"
            + " {'name': 'odd', 'namespace': 'multus-test', 'annotations':"
            + " {'k8s.v1.cni.cncf.io/resourceName': 'bridge.network.kubevirt.io/odd'}}, 'spec':"
            + " {'config': {'type': 'bridge'}, 'someday': 1}}");
    var webhook = start(WebhookConfig.loopback());
    var api = new WebhookClient(webhook.url(), webhook.caBundlePem());
    var good = response(api.post(WebhookClient.review("u1", "multus-test", POD)).body());
    assertThat(good.path("allowed").asBoolean()).isTrue();
    assertThat(good.has("patch")).isTrue();
    var onOdd =
        response(
            api.post(
                    WebhookClient.review(
                        "u2", "multus-test", POD.replace("bridge-dev, bridge-dev@net2", "odd")))
                .body());
    assertThat(onOdd.path("allowed").asBoolean()).isTrue();
    var patch = JSON.readTree(Base64.getDecoder().decode(onOdd.path("patch").asText()));
    assertThat(
            JsonPatch.apply(patch, JSON.readTree(POD))
                .at("/spec/containers/0/resources/requests/bridge.network.kubevirt.io~1odd")
                .asText())
        .isEqualTo("1");
  }

  @Test
  void requestsThatAreNotReviewsGetHttpErrors() throws Exception {
    var webhook = start(WebhookConfig.loopback());
    var api = new WebhookClient(webhook.url(), webhook.caBundlePem());
    assertThat(api.post("{}", "text/plain").statusCode()).isEqualTo(415);
    assertThat(api.post("").statusCode()).isEqualTo(400);
    var notReview = api.post("{\"kind\": \"Pod\"}");
    assertThat(notReview.statusCode()).isEqualTo(400);
    assertThat(notReview.body()).isEqualTo("received object is not an AdmissionReview");
    // Not a pod creation: allowed untouched.
    var update =
        response(
            api.post(WebhookClient.review("u", "multus-test", POD).replace("CREATE", "UPDATE"))
                .body());
    assertThat(update.path("allowed").asBoolean()).isTrue();
    assertThat(update.has("patch")).isFalse();
  }

  @Test
  void certificateFilesAreServedAndReloadedWhenTheyChange() throws Exception {
    var first = TlsMaterial.selfSigned(List.of("127.0.0.1"), Duration.ofDays(1));
    Path cert = tmp.resolve("tls.crt");
    Path key = tmp.resolve("tls.key");
    Files.writeString(cert, first.chainPem());
    Files.writeString(key, first.keyPem());
    var webhook =
        start(
            WebhookConfig.loopback()
                .withCertificateFiles(cert, key)
                .withRecheck(Duration.ofMillis(200)));
    assertThat(webhook.caBundlePem()).isEmpty();
    var oldCa = new WebhookClient(webhook.url(), first.caPem());
    assertThat(oldCa.post(WebhookClient.review("u", "multus-test", POD)).statusCode())
        .isEqualTo(200);

    // Renewed: an RSA key in PKCS#1 (cert-manager's default encoding), self-signed by openssl.
    assumeTrue(Openssl.available(), "needs /usr/bin/openssl for the renewed certificate");
    Openssl.run(tmp, "genrsa", "-traditional", "-out", "new.key", "2048");
    Openssl.selfSign(tmp, "new.key", "new.crt");
    Files.write(key, Files.readAllBytes(tmp.resolve("new.key")));
    Files.write(cert, Files.readAllBytes(tmp.resolve("new.crt")));
    String secondCa = Files.readString(tmp.resolve("new.crt"));
    await()
        .atMost(Duration.ofSeconds(5))
        // Until the server has reloaded (it rechecks every 200 ms) it still presents the old
        // certificate, which a client trusting only the new one refuses: keep polling.
        .ignoreExceptionsInstanceOf(SSLHandshakeException.class)
        .untilAsserted(
            () ->
                assertThat(
                        new WebhookClient(webhook.url(), secondCa)
                            .post(WebhookClient.review("u", "multus-test", POD))
                            .statusCode())
                    .isEqualTo(200));
    // A fresh client trusting only the old CA no longer gets in.
    var stale = new WebhookClient(webhook.url(), first.caPem());
    assertThatThrownBy(() -> stale.post(WebhookClient.review("u", "multus-test", POD)))
        .isInstanceOf(SSLHandshakeException.class);

    // A broken file keeps the current certificate.
    Files.writeString(cert, "garbage");
    Thread.sleep(600);
    assertThat(
            new WebhookClient(webhook.url(), secondCa)
                .post(WebhookClient.review("u", "multus-test", POD))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void aSelfSignedWebhookPublishesItsCaInTheConfiguration() throws Exception {
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .resource(
            new MutatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName("test-injector")
                .endMetadata()
                .addNewWebhook()
                .withName("network-resources-injector.multihome.io")
                .withNewClientConfig()
                .withNewService()
                .withName("multihome-webhook")
                .withNamespace("multihome")
                .withPath("/mutate")
                .endService()
                .endClientConfig()
                .withAdmissionReviewVersions("v1")
                .withSideEffects("None")
                .endWebhook()
                .build())
        .create();
    var config = WebhookConfig.loopback();
    config =
        new WebhookConfig(
            config.bind(),
            0,
            null,
            null,
            config.hosts(),
            "test-injector",
            config.injector(),
            Duration.ofMillis(200),
            2);
    var webhook = start(config);
    String expected =
        Base64.getEncoder()
            .encodeToString(webhook.caBundlePem().getBytes(StandardCharsets.US_ASCII));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .admissionRegistration()
                            .v1()
                            .mutatingWebhookConfigurations()
                            .withName("test-injector")
                            .get()
                            .getWebhooks()
                            .get(0)
                            .getClientConfig()
                            .getCaBundle())
                    .isEqualTo(expected));
  }

  /** The benchmark: admission latency over a kept-alive HTTPS connection, as the API server. */
  @Test
  void admissionLatencyBenchmark() throws Exception {
    var webhook = start(WebhookConfig.loopback());
    var api = new WebhookClient(webhook.url(), webhook.caBundlePem());
    String body = WebhookClient.review("bench", "multus-test", POD);
    long t0 = System.nanoTime();
    assertThat(api.post(body).statusCode()).isEqualTo(200);
    double firstMs = (System.nanoTime() - t0) / 1e6;
    for (int i = 0; i < 500; i++) {
      api.post(body);
    }
    int rounds = 2000;
    var micros = new ArrayList<Long>(rounds);
    for (int i = 0; i < rounds; i++) {
      long s = System.nanoTime();
      var r = api.post(body);
      micros.add((System.nanoTime() - s) / 1000);
      assertThat(r.statusCode()).isEqualTo(200);
    }
    Collections.sort(micros);
    double p50 = micros.get(rounds / 2) / 1000.0;
    double p90 = micros.get(rounds * 9 / 10) / 1000.0;
    double p99 = micros.get(rounds * 99 / 100) / 1000.0;
    String text =
        String.format(
            Locale.ROOT,
            "webhook admission over HTTPS (TLS 1.3, kept-alive connection), %d reviews after 500"
                + " warm-up, ms%n  p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  first (handshake + cold"
                + " JIT) %.1f%n",
            rounds,
            p50,
            p90,
            p99,
            micros.get(rounds - 1) / 1000.0,
            firstMs);
    log.info("BENCH {}", text);
    Files.writeString(Path.of("target", "webhook-benchmark.txt"), text);
    assertThat(p50).as("p50 admission ms").isLessThan(5.0);
  }
}

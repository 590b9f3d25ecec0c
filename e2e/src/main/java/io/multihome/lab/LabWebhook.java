package io.multihome.lab;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.multihome.controller.ControllerConfig;
import io.multihome.controller.webhook.InjectorSettings;
import io.multihome.controller.webhook.ResourceInjectionWebhook;
import io.multihome.controller.webhook.WebhookConfig;
import io.multihome.lab.api.LabApiServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network resources injection webhook in the lab, installed as deploy/ installs it: the Service
 * {@code multihome-webhook} and the MutatingWebhookConfiguration {@code
 * multihome-network-resources-injector} from {@code deploy/webhook/webhook.yaml} unchanged, the
 * controller's webhook with the in-cluster settings (a self-signed certificate for the Service's
 * DNS names, whose CA the webhook writes into the configuration's {@code caBundle} itself), and the
 * lab API told where that Service's server really listens (a loopback port: the lab has no Service
 * network). Pods created in the lab then get their networks' resources injected and are scheduled
 * by them.
 */
final class LabWebhook implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LabWebhook.class);
  private static final Path MANIFEST = Path.of("deploy/webhook/webhook.yaml");
  private static final int SERVICE_PORT = 443;
  private static final Duration READY = Duration.ofSeconds(30);

  private final ResourceInjectionWebhook webhook;

  private LabWebhook(ResourceInjectionWebhook webhook) {
    this.webhook = webhook;
  }

  /** Installs the manifest, starts the webhook and waits until the API server can call it. */
  static LabWebhook start(KubernetesClient client, LabApiServer api, Path repoRoot)
      throws IOException {
    String namespace = ControllerConfig.DEFAULT_NAMESPACE;
    try (InputStream in = Files.newInputStream(repoRoot.resolve(MANIFEST))) {
      List<HasMetadata> objects = client.load(in).items();
      for (var o : objects) {
        client.resource(o).create();
      }
    }
    var inCluster = WebhookConfig.inCluster(namespace);
    // As the controller serves it, but on a free loopback port instead of :8443 on every address.
    var config =
        new WebhookConfig(
            "127.0.0.1",
            0,
            null,
            null,
            inCluster.hosts(),
            inCluster.configuration(),
            InjectorSettings.defaults(),
            inCluster.recheck(),
            inCluster.threads());
    var webhook = ResourceInjectionWebhook.start(client, config);
    var lab = new LabWebhook(webhook);
    try {
      api.webhooks()
          .routeService(
              namespace,
              WebhookConfig.SERVICE,
              SERVICE_PORT,
              new InetSocketAddress("127.0.0.1", webhook.port()));
      lab.awaitReady(client);
      log.info(
          "resources injection webhook: Service {}/{} -> 127.0.0.1:{}",
          namespace,
          WebhookConfig.SERVICE,
          webhook.port());
      return lab;
    } catch (IOException | RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  /** Until the caBundle carries the webhook's CA and its NAD cache has synced. */
  private void awaitReady(KubernetesClient client) throws IOException {
    long deadline = System.nanoTime() + READY.toNanos();
    while (System.nanoTime() < deadline) {
      MutatingWebhookConfiguration c =
          client
              .admissionRegistration()
              .v1()
              .mutatingWebhookConfigurations()
              .withName(WebhookConfig.CONFIGURATION)
              .get();
      boolean bundled =
          c != null
              && c.getWebhooks().stream()
                  .allMatch(
                      w ->
                          w.getClientConfig().getCaBundle() != null
                              && !w.getClientConfig().getCaBundle().isEmpty());
      if (bundled && webhook.ready()) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the webhook", e);
      }
    }
    throw new IOException(
        "the resources injection webhook was not ready within "
            + READY.toSeconds()
            + " s (caBundle of "
            + WebhookConfig.CONFIGURATION
            + " not set, or its NAD cache not synced)");
  }

  @Override
  public void close() {
    webhook.close();
  }
}

package io.multihome.controller.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network resources injection webhook as the controller runs it: the NAD cache, the HTTPS
 * server, and the certificate upkeep (files re-read on change, or a self-signed certificate whose
 * CA goes into the MutatingWebhookConfiguration). The client is borrowed.
 *
 * <p>For a caller that registers the webhook itself (the lab's API server): {@link #url()} is the
 * endpoint ({@code https://HOST:PORT/mutate}) and {@link #caBundlePem()} the CA to trust.
 */
public final class ResourceInjectionWebhook implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResourceInjectionWebhook.class);
  private static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(365);

  private final WebhookConfig config;
  private final InformerNadLookup nads;
  private final ServerKeyManager keys;
  private final WebhookServer server;
  private final ScheduledExecutorService upkeep =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            var t = new Thread(r, "webhook-certificates");
            t.setDaemon(true);
            return t;
          });

  private ResourceInjectionWebhook(KubernetesClient client, WebhookConfig config)
      throws IOException, GeneralSecurityException {
    this.config = config;
    CertificateFiles files =
        config.certFile() == null
            ? null
            : new CertificateFiles(config.certFile(), config.keyFile());
    TlsMaterial material =
        files == null ? TlsMaterial.selfSigned(config.hosts(), SELF_SIGNED_VALIDITY) : files.load();
    this.keys = new ServerKeyManager(material);
    this.nads = new InformerNadLookup(client);
    try {
      this.server =
          new WebhookServer(
              new InetSocketAddress(config.bind(), config.port()),
              keys,
              new ResourceInjector(nads, config.injector()),
              nads::synced,
              config.threads());
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      nads.close();
      throw e;
    }
    long every = config.recheck().toMillis();
    if (files != null) {
      upkeep.scheduleWithFixedDelay(
          () -> files.changed().ifPresent(keys::use), every, every, TimeUnit.MILLISECONDS);
    } else if (config.configuration() != null) {
      var injector = new CaBundleInjector(client, config.configuration(), material.caPem());
      upkeep.scheduleWithFixedDelay(injector::sync, 0, every, TimeUnit.MILLISECONDS);
    }
    log.info(
        "network resources injection webhook on {} ({})",
        url(),
        files == null ? "self-signed certificate" : "certificate " + files);
  }

  /** Starts serving; fails when the certificate cannot be loaded or the port is taken. */
  public static ResourceInjectionWebhook start(KubernetesClient client, WebhookConfig config) {
    try {
      return new ResourceInjectionWebhook(client, config);
    } catch (IOException e) {
      throw new IllegalStateException(
          "webhook: cannot listen on " + config.bind() + ":" + config.port() + ": " + e, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("webhook: TLS setup failed: " + e, e);
    }
  }

  public int port() {
    return server.port();
  }

  /** The endpoint, with the certificate's first host name. */
  public String url() {
    String host = config.hosts().isEmpty() ? config.bind() : config.hosts().get(0);
    return "https://" + host + ":" + port() + WebhookServer.PATH;
  }

  /** PEM of the CA that signed the serving certificate; empty with certificate files. */
  public String caBundlePem() {
    return keys.current().caPem();
  }

  /** The certificate chain being served, PEM. */
  public String servingChainPem() {
    return keys.current().chainPem();
  }

  /** True once the NAD cache has synced (the server answers from the start, with GETs). */
  public boolean ready() {
    return nads.synced();
  }

  @Override
  public void close() {
    upkeep.shutdownNow();
    server.close();
    nads.close();
  }
}

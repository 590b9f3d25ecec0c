package io.multihome.controller.webhook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the resources-injection webhook serves.
 *
 * @param bind address to listen on
 * @param port HTTPS port (0: any free port, for tests and the lab)
 * @param certFile PEM certificate chain ({@code tls.crt}); null with {@code keyFile} null: a
 *     self-signed certificate for {@code hosts} is made at start
 * @param keyFile PEM private key ({@code tls.key})
 * @param hosts DNS names / IPs of the self-signed certificate (the Service's names)
 * @param configuration the MutatingWebhookConfiguration whose {@code caBundle} a self-signed server
 *     keeps up to date (null: leave it alone)
 * @param injector what is injected
 * @param recheck how often certificate files and the {@code caBundle} are checked
 * @param threads request threads
 */
public record WebhookConfig(
    String bind,
    int port,
    Path certFile,
    Path keyFile,
    List<String> hosts,
    String configuration,
    InjectorSettings injector,
    Duration recheck,
    int threads) {
  public static final String SERVICE = "multihome-webhook";
  public static final String CONFIGURATION = "multihome-network-resources-injector";
  public static final int DEFAULT_PORT = 8443;

  public WebhookConfig {
    Objects.requireNonNull(bind, "bind");
    hosts = List.copyOf(hosts);
    Objects.requireNonNull(injector, "injector");
    Objects.requireNonNull(recheck, "recheck");
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException(
          "webhook certificate: give both the certificate and the key file, or neither");
    }
    if (certFile == null && hosts.isEmpty()) {
      throw new IllegalArgumentException("hosts: a self-signed certificate needs a host name");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " is not a TCP port");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads: must be at least 1");
    }
  }

  /** Deployed: port 8443, self-signed for the Service in {@code namespace}, caBundle kept. */
  public static WebhookConfig inCluster(String namespace) {
    String svc = SERVICE + "." + namespace;
    return new WebhookConfig(
        "0.0.0.0",
        DEFAULT_PORT,
        null,
        null,
        List.of(svc + ".svc", SERVICE, svc, svc + ".svc.cluster.local"),
        CONFIGURATION,
        InjectorSettings.defaults(),
        Duration.ofSeconds(30),
        4);
  }

  /** Loopback on a free port, self-signed for 127.0.0.1/localhost, no caBundle writes. */
  public static WebhookConfig loopback() {
    return new WebhookConfig(
        "127.0.0.1",
        0,
        null,
        null,
        List.of("127.0.0.1", "localhost"),
        null,
        InjectorSettings.defaults(),
        Duration.ofSeconds(30),
        4);
  }

  public WebhookConfig withCertificateFiles(Path cert, Path key) {
    return new WebhookConfig(bind, port, cert, key, hosts, null, injector, recheck, threads);
  }

  public WebhookConfig withPort(int value) {
    return new WebhookConfig(
        bind, value, certFile, keyFile, hosts, configuration, injector, recheck, threads);
  }

  public WebhookConfig withInjector(InjectorSettings value) {
    return new WebhookConfig(
        bind, port, certFile, keyFile, hosts, configuration, value, recheck, threads);
  }

  public WebhookConfig withRecheck(Duration value) {
    return new WebhookConfig(
        bind, port, certFile, keyFile, hosts, configuration, injector, value, threads);
  }
}

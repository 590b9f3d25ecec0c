package io.multihome.controller.webhook;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With a self-signed certificate only this process knows the CA: it writes it into the {@code
 * caBundle} of every webhook of the named MutatingWebhookConfiguration (the one deploy/ installs),
 * and again whenever a check finds it different (the configuration re-applied, the controller
 * restarted with a new CA). With certificate files this is not used: cert-manager's CA injector or
 * the administrator sets the bundle.
 */
final class CaBundleInjector {
  private static final Logger log = LoggerFactory.getLogger(CaBundleInjector.class);

  private final KubernetesClient client;
  private final String configuration;
  private final String bundle;

  CaBundleInjector(KubernetesClient client, String configuration, String caPem) {
    this.client = client;
    this.configuration = configuration;
    this.bundle = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
  }

  /** One check; true when the configuration exists and now carries our CA. */
  boolean sync() {
    var resource =
        client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(configuration);
    try {
      MutatingWebhookConfiguration current = resource.get();
      if (current == null) {
        log.debug("MutatingWebhookConfiguration {} not found; caBundle not set", configuration);
        return false;
      }
      if (current.getWebhooks().stream()
          .allMatch(w -> Objects.equals(w.getClientConfig().getCaBundle(), bundle))) {
        return true;
      }
      resource.edit(
          m -> {
            m.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(bundle));
            return m;
          });
      log.info(
          "MutatingWebhookConfiguration {}: caBundle set to this controller's CA", configuration);
      return true;
    } catch (KubernetesClientException e) {
      log.warn(
          "MutatingWebhookConfiguration {}: caBundle not set: {}", configuration, e.getMessage());
      return false;
    }
  }
}

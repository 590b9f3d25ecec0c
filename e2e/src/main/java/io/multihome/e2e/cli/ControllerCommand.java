package io.multihome.e2e.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.multihome.agent.cli.CliCommand;
import io.multihome.api.read.LenientClient;
import io.multihome.controller.ControllerConfig;
import io.multihome.controller.PolicyController;
import io.multihome.controller.sriov.SriovControllerConfig;
import io.multihome.controller.sriov.SriovControllers;
import io.multihome.controller.webhook.InjectorSettings;
import io.multihome.controller.webhook.ResourceInjectionWebhook;
import io.multihome.controller.webhook.WebhookConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code multihome controller}: the cluster-wide controllers (NNCP rollout, SR-IOV policies and
 * networks, the Cluster Network Operator's additionalNetworks) and the network resources injection
 * webhook, against the in-cluster config or the current kubeconfig. Contributed from {@code e2e},
 * the one module that sees both the CLI and the controllers.
 */
@Command(
    name = "controller",
    mixinStandardHelpOptions = true,
    description = {
      "Run the policy controller (NodeNetworkConfigurationPolicy rollout), the SR-IOV",
      "controllers, the additionalNetworks controller and the resources injection webhook.",
      "Uses the in-cluster config or the current kubeconfig; runs until killed."
    })
public final class ControllerCommand implements Callable<Integer>, CliCommand {

  @Option(
      names = "--no-network-operator",
      description =
          "Do not render operator.openshift.io Network additionalNetworks into NADs (turn off on"
              + " OpenShift, where the Cluster Network Operator does it)")
  boolean noNetworkOperator;

  @Option(names = "--no-webhook", description = "Do not serve the resources injection webhook")
  boolean noWebhook;

  @Option(
      names = "--webhook-port",
      defaultValue = "" + WebhookConfig.DEFAULT_PORT,
      description = "HTTPS port of the webhook (default: ${DEFAULT-VALUE})")
  int webhookPort;

  @Option(
      names = "--webhook-cert",
      description =
          "PEM certificate chain (tls.crt), re-read when it changes; without it a self-signed"
              + " certificate is made and its CA written into the webhook configuration")
  Path webhookCert;

  @Option(names = "--webhook-key", description = "PEM private key (tls.key) of --webhook-cert")
  Path webhookKey;

  @Option(
      names = "--namespace",
      defaultValue = "${env:POD_NAMESPACE:-" + ControllerConfig.DEFAULT_NAMESPACE + "}",
      description = "The controller's namespace: the webhook Service's (default: ${DEFAULT-VALUE})")
  String namespace;

  @Option(
      names = "--webhook-honor-resources",
      description =
          "Add network resources to what the first container requests, instead of leaving a"
              + " resource the user named alone (network-resources-injector's --honor-resources)")
  boolean honorResources;

  @Option(
      names = "--webhook-resource-name-keys",
      defaultValue = "k8s.v1.cni.cncf.io/resourceName",
      description =
          "NAD annotations naming a resource, comma separated (default: ${DEFAULT-VALUE})")
  String resourceNameKeys;

  /** What runs besides the NNCP and SR-IOV controllers. */
  record Extras(boolean networkOperator, WebhookConfig webhook) {
    static Extras none() {
      return new Extras(false, null);
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    var stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "controller-shutdown"));
    WebhookConfig webhook = null;
    if (!noWebhook) {
      var injector =
          new InjectorSettings(
              Arrays.stream(resourceNameKeys.split(",")).map(String::strip).toList(),
              honorResources,
              true);
      webhook = WebhookConfig.inCluster(namespace).withPort(webhookPort).withInjector(injector);
      if (webhookCert != null || webhookKey != null) {
        webhook = webhook.withCertificateFiles(webhookCert, webhookKey);
      }
    }
    // Lenient reads of Pods, Services, Nodes: no object can stop an informer (LenientClient).
    try (KubernetesClient client = LenientClient.builder().build()) {
      run(client, stop, new Extras(!noNetworkOperator, webhook));
    }
    return 0;
  }

  /** Starts the NNCP and SR-IOV controllers on {@code client} until {@code stop} opens. */
  static void run(KubernetesClient client, CountDownLatch stop) throws InterruptedException {
    run(client, stop, Extras.none());
  }

  /** As {@link #run(KubernetesClient, CountDownLatch)}, with {@code extras}. */
  static void run(KubernetesClient client, CountDownLatch stop, Extras extras)
      throws InterruptedException {
    var policies =
        PolicyController.start(
            client, ControllerConfig.defaults().withNetworkOperator(extras.networkOperator()));
    try {
      var sriov = SriovControllers.start(client, SriovControllerConfig.defaults());
      try (var webhook =
          extras.webhook() == null
              ? null
              : ResourceInjectionWebhook.start(client, extras.webhook())) {
        stop.await();
      } finally {
        sriov.stop();
      }
    } finally {
      policies.close();
    }
  }
}

package io.multihome.e2e.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.multihome.agent.cli.CliCommand;
import io.multihome.controller.ControllerConfig;
import io.multihome.controller.PolicyController;
import io.multihome.controller.sriov.SriovControllerConfig;
import io.multihome.controller.sriov.SriovControllers;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/**
 * {@code multihome controller}: the cluster-wide controllers (NNCP rollout, SR-IOV policies and
 * networks) against the in-cluster config or the current kubeconfig. Contributed from {@code e2e},
 * the one module that sees both the CLI and the controllers.
 */
@Command(
    name = "controller",
    mixinStandardHelpOptions = true,
    description = {
      "Run the policy controller (NodeNetworkConfigurationPolicy rollout) and the SR-IOV",
      "controllers. Uses the in-cluster config or the current kubeconfig; runs until killed."
    })
public final class ControllerCommand implements Callable<Integer>, CliCommand {

  @Override
  public Integer call() throws InterruptedException {
    var stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "controller-shutdown"));
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      run(client, stop);
    }
    return 0;
  }

  /** Starts both controllers on {@code client} and stops them when {@code stop} opens. */
  static void run(KubernetesClient client, CountDownLatch stop) throws InterruptedException {
    var policies = PolicyController.start(client, ControllerConfig.defaults());
    try {
      var sriov = SriovControllers.start(client, SriovControllerConfig.defaults());
      try {
        stop.await();
      } finally {
        sriov.stop();
      }
    } finally {
      policies.close();
    }
  }
}

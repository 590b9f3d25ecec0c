package io.multihome.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.agent.cli.Main;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ControllerCommandMockApiTest {
  KubernetesClient client;

  @Test
  void controllerAndAgentSubcommandsAreListed() {
    var out = new StringWriter();
    int rc = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "help");
    assertThat(rc).isZero();
    assertThat(out.toString()).contains("controller").contains("agent").contains("validate");
  }

  @Test
  void startsThePolicyControllerWhichAddsItsFinalizer() throws Exception {
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build())
        .create();
    var policy = new NodeNetworkConfigurationPolicy();
    policy.getMetadata().setName("p1");
    policy.setSpec(new io.multihome.api.nmstate.NodeNetworkConfigurationPolicySpec());
    policy
        .getSpec()
        .setDesiredState(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode());
    client.resource(policy).create();

    var stop = new CountDownLatch(1);
    var runner =
        new Thread(
            () -> {
              try {
                ControllerCommand.run(client, stop);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    runner.start();
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(
                          client
                              .resources(NodeNetworkConfigurationPolicy.class)
                              .withName("p1")
                              .get()
                              .getMetadata()
                              .getFinalizers())
                      .contains("multihome.io/policy-controller"));
    } finally {
      stop.countDown();
      runner.join(20_000);
    }
    assertThat(runner.isAlive()).isFalse();
  }

  @Test
  void withItsSwitchesOnItRendersAdditionalNetworksAndServesTheWebhook() throws Exception {
    for (var ns : java.util.List.of("default", "example")) {
      client
          .namespaces()
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName(ns)
                  .endMetadata()
                  .build())
          .create();
    }
    var network = new io.multihome.api.openshift.Network();
    network.getMetadata().setName("cluster");
    network.setSpec(new io.multihome.api.openshift.NetworkSpec());
    var entry = new io.multihome.api.openshift.AdditionalNetworkDefinition();
    entry.setType("Raw");
    entry.setName("example");
    entry.setNamespace("example");
    entry.setRawCniConfig("{\"cniVersion\": \"0.3.1\", \"type\": \"host-device\"}");
    network.getSpec().getAdditionalNetworks().add(entry);
    client.resource(network).create();

    var stop = new CountDownLatch(1);
    var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
    var runner =
        new Thread(
            () -> {
              try {
                ControllerCommand.run(
                    client,
                    stop,
                    new ControllerCommand.Extras(
                        true, io.multihome.controller.webhook.WebhookConfig.loopback()));
              } catch (Throwable e) {
                failure.set(e);
              }
            });
    runner.start();
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(
                          client
                              .resources(io.multihome.api.nad.NetworkAttachmentDefinition.class)
                              .inNamespace("example")
                              .withName("example")
                              .get())
                      .isNotNull());
    } finally {
      stop.countDown();
      runner.join(20_000);
    }
    assertThat(runner.isAlive()).isFalse();
    assertThat(failure.get()).isNull();
  }
}

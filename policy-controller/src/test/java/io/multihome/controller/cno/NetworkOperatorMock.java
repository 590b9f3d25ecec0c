package io.multihome.controller.cno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.multihome.api.openshift.Network;
import io.multihome.api.openshift.OperatorCondition;
import io.multihome.controller.ControllerConfig;
import io.multihome.controller.PolicyController;
import java.time.Duration;

/** The policy controller with the network operator's part on, against the mock API. */
final class NetworkOperatorMock {
  private NetworkOperatorMock() {}

  /** Creates {@code namespaces}, then starts the controller (the caller closes it). */
  static PolicyController start(KubernetesClient client, String... namespaces) {
    for (var ns : namespaces) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    return PolicyController.start(client, ControllerConfig.defaults().withNetworkOperator(true));
  }

  /**
   * Waits until namespace default has a Warning event about the Network containing {@code text}.
   */
  static void awaitWarning(KubernetesClient client, Duration wait, String text) {
    await()
        .atMost(wait)
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace("default").list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getInvolvedObject().getKind()).isEqualTo("Network");
                          assertThat(e.getMessage()).contains(text);
                        }));
  }

  /**
   * The Network {@code cluster}'s Degraded condition; an assertion failure (awaits retry it) while
   * there is none.
   */
  static OperatorCondition degraded(KubernetesClient client) {
    var n = client.resources(Network.class).withName(Network.CLUSTER).get();
    assertThat(n).as("Network cluster").isNotNull();
    var degraded = NetworkConditions.current(n);
    assertThat(degraded).as("Network cluster's Degraded condition").isNotNull();
    return degraded;
  }
}

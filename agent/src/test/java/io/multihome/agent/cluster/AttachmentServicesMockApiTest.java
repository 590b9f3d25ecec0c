package io.multihome.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.multihome.agent.cni.cluster.MockApiCni;
import io.multihome.agent.cni.ipam.IpamDaemon;
import io.multihome.api.whereabouts.IPAllocation;
import io.multihome.api.whereabouts.IPPool;
import io.multihome.api.whereabouts.IPPoolSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code multihome agent} and every lab node start for pods' secondary networks, in one call:
 * the CNI daemon and its IPAM socket, the IPAM reconciler (elected through the Lease, sweeping) and
 * the Service proxy; all of it gone after close.
 */
@EnableKubernetesMockClient(crud = true)
class AttachmentServicesMockApiTest {

  KubernetesClient client;
  @TempDir Path tmp;

  @Test
  void startsTheDaemonItsIpamTheElectedReconcilerAndTheProxyAndStopsThemAll() throws Exception {
    var settings = MockApiCni.settings(tmp);
    var cniOptions =
        MockApiCni.options(
            tmp,
            List.of(),
            Duration.ofMillis(200),
            IpamDaemon.Options.defaults().withFlatFiles(List.of()));
    // An address whose pod does not exist: the reconciler's to free.
    var pool = new IPPool();
    pool.getMetadata().setName("198.18.90.0-24");
    pool.getMetadata().setNamespace("kube-system");
    pool.setSpec(
        new IPPoolSpec(
            "198.18.90.0/24", Map.of("5", new IPAllocation("ctr-gone", "apps/gone", "net1"))));
    client.resources(IPPool.class).inNamespace("kube-system").resource(pool).create();

    var services =
        AttachmentServices.start(
            client,
            "node-1",
            settings,
            cniOptions,
            null,
            AttachmentServices.Options.defaults("multihome")
                .withReconcileInterval(Duration.ofMillis(500)));
    try {
      assertThat(settings.socket()).exists();
      assertThat(settings.ipamSocket()).exists();
      assertThat(services.cni().ipam().socket()).isEqualTo(settings.ipamSocket());
      await().atMost(Duration.ofSeconds(10)).until(() -> services.proxy().hasSynced());
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(
                          client
                              .leases()
                              .inNamespace("multihome")
                              .withName(IpamDaemon.LEASE)
                              .get()
                              .getSpec()
                              .getHolderIdentity())
                      .isEqualTo("node-1"));
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(
                          client
                              .resources(IPPool.class)
                              .inNamespace("kube-system")
                              .withName("198.18.90.0-24")
                              .get()
                              .getSpec()
                              .getAllocations())
                      .as("freed by the reconciler")
                      .isEmpty());
    } finally {
      services.close();
    }
    assertThat(Files.exists(settings.socket())).isFalse();
    assertThat(Files.exists(settings.ipamSocket())).isFalse();
  }
}

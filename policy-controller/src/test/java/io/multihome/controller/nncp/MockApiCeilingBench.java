package io.multihome.controller.nncp;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.multihome.api.nmstate.EnactmentConditions;
import io.multihome.api.nmstate.NmstateLabels;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactmentStatus;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mock server's own ceiling for {@link PolicyControllerBench} (not part of `mvn verify`): the
 * same store (nodes, leases, CRDs), two NNCE watches (the controller's and the agents') and, per
 * enactment, the requests the controller and an agent make in that scenario — create (with the
 * grant), status, then twice GET + status (agent: Progressing, Available) — issued by {@code
 * bench.threads} client threads with no controller. What the controller benchmark cannot beat.
 */
class MockApiCeilingBench extends MockBenchBase {
  private static final Logger LOG = LoggerFactory.getLogger(MockApiCeilingBench.class);
  private static final int THREADS = Integer.getInteger("bench.threads", 32);

  @Test
  void requestMixOfTheControllerBenchmark() throws Exception {
    ControllerFixture.loadCrds(client);
    for (int i = 0; i < NODES; i++) {
      var node = "node-%04d".formatted(i);
      client
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(node)
                  .withLabels(Map.of("role", "worker"))
                  .endMetadata()
                  .build())
          .create();
      client
          .resource(
              new LeaseBuilder()
                  .withNewMetadata()
                  .withName(AgentLeases.leaseName(node))
                  .withNamespace(ControllerFixture.NAMESPACE)
                  .endMetadata()
                  .withNewSpec()
                  .withHolderIdentity(node)
                  .withLeaseDurationSeconds(600)
                  .withRenewTime(ZonedDateTime.now())
                  .endSpec()
                  .build())
          .create();
    }
    var seen = new AtomicLong();
    var handler =
        new ResourceEventHandler<NodeNetworkConfigurationEnactment>() {
          @Override
          public void onAdd(NodeNetworkConfigurationEnactment obj) {
            seen.incrementAndGet();
          }

          @Override
          public void onUpdate(
              NodeNetworkConfigurationEnactment o, NodeNetworkConfigurationEnactment n) {
            seen.incrementAndGet();
          }

          @Override
          public void onDelete(NodeNetworkConfigurationEnactment obj, boolean unknown) {}
        };
    var watches =
        List.of(
            client.resources(NodeNetworkConfigurationEnactment.class).inform(handler),
            client.resources(NodeNetworkConfigurationEnactment.class).inform(handler));

    var pool = Executors.newFixedThreadPool(THREADS);
    var requests = new AtomicLong();
    long start = System.nanoTime();
    var futures = new ArrayList<Future<?>>();
    for (int p = 0; p < POLICIES; p++) {
      for (int i = 0; i < NODES; i++) {
        var policy = "p%02d".formatted(p);
        var node = "node-%04d".formatted(i);
        futures.add(pool.submit(() -> oneEnactment(policy, node, requests)));
      }
    }
    for (var f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        throw new AssertionError(e.getCause());
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    pool.shutdown();
    watches.forEach(w -> w.close());
    var all = client.resources(NodeNetworkConfigurationEnactment.class).list().getItems();
    assertThat(all)
        .hasSize(NODES * POLICIES)
        .allSatisfy(n -> assertThat(ControllerFixture.status(n)).isEqualTo("Available"));
    LOG.info(
        "BENCH mock ceiling nodes={} policies={} threads={} requests={} ms={} requestsPerSec={}"
            + " watchEvents={} {}",
        NODES,
        POLICIES,
        THREADS,
        requests.get(),
        millis,
        requests.get() * 1000 / Math.max(1, millis),
        seen.get(),
        mock.describe());
  }

  private void oneEnactment(String policy, String node, AtomicLong requests) {
    var nnces = client.resources(NodeNetworkConfigurationEnactment.class);
    var nnce = new NodeNetworkConfigurationEnactment();
    nnce.getMetadata().setName(NodeNetworkConfigurationEnactment.nameFor(node, policy));
    nnce.getMetadata().setLabels(Map.of(NmstateLabels.NODE, node, NmstateLabels.POLICY, policy));
    nnce.getMetadata().setAnnotations(Map.of(EnactmentPhase.GRANT_ANNOTATION, "1"));
    var created = nnces.resource(nnce).create();
    var status = new NodeNetworkConfigurationEnactmentStatus();
    status.setPolicyGeneration(1L);
    status.setDesiredState(ControllerFixture.desiredState("br1"));
    status.setConditions(Conditions.merge(null, EnactmentConditions.unknown(), Instant.now()));
    created.setStatus(status);
    nnces.resource(created).updateStatus();
    requests.addAndGet(2);
    for (var rows : List.of(EnactmentConditions.progressing(), EnactmentConditions.success())) {
      var current = nnces.withName(created.getMetadata().getName()).get();
      current
          .getStatus()
          .setConditions(
              Conditions.merge(current.getStatus().getConditions(), rows, Instant.now()));
      nnces.resource(current).updateStatus();
      requests.addAndGet(2);
    }
  }
}

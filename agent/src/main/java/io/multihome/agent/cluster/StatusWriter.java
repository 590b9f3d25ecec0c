package io.multihome.agent.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the agent's conditions on an NNCE: a status update carrying the resourceVersion just read;
 * on 409 it re-reads and re-checks that the grant still covers the generation (a new policy
 * generation may have reset the NNCE). After a change that may have broken connectivity the write
 * goes through a newly built client, retried until the API answers (upstream loses these: knm#785).
 */
final class StatusWriter {
  private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);
  private static final int MAX_CONFLICTS = 20;

  private final KubernetesClient client;
  private final Supplier<KubernetesClient> freshClients;
  private final Duration deadline;

  StatusWriter(
      KubernetesClient client, Supplier<KubernetesClient> freshClients, Duration deadline) {
    this.client = client;
    this.freshClients = freshClients;
    this.deadline = deadline;
  }

  /**
   * Writes {@code rows} (and {@code retryCount} for the key's generation, when not null) on the
   * NNCE {@code key} names and returns the resourceVersion written. Returns null when that NNCE is
   * gone (an NNCE of the same name may exist: re-created, it is other work) or no longer granted
   * for the generation: nothing to report.
   */
  String write(Enactor.WorkKey key, List<Condition> rows, Integer retryCount, boolean fresh) {
    if (!fresh) {
      return attempt(client, key, rows, retryCount);
    }
    long end = System.nanoTime() + deadline.toNanos();
    long pauseMs = 200;
    while (true) {
      try (var c = freshClients.get()) {
        return attempt(c, key, rows, retryCount);
      } catch (KubernetesClientException e) {
        if (System.nanoTime() > end) {
          throw e;
        }
        log.info(
            "status write for {} failed ({}); retrying in {} ms", key, e.getMessage(), pauseMs);
        sleep(pauseMs);
        pauseMs = Math.min(pauseMs * 2, 5_000);
      }
    }
  }

  private static String attempt(
      KubernetesClient c, Enactor.WorkKey key, List<Condition> rows, Integer retryCount) {
    var nnces = c.resources(NodeNetworkConfigurationEnactment.class);
    long generation = key.generation();
    for (int i = 0; i < MAX_CONFLICTS; i++) {
      var current = nnces.withName(key.name()).get();
      if (current == null
          || !Objects.equals(key.uid(), current.getMetadata().getUid())
          || !Grants.grantedFor(current, generation)) {
        return null;
      }
      var status = current.getStatus();
      status.setConditions(EnactmentRows.merge(status.getConditions(), rows, Instant.now()));
      if (retryCount != null) {
        var counts =
            status.getRetryCount() == null
                ? new HashMap<String, Integer>()
                : new HashMap<>(status.getRetryCount());
        counts.put(Long.toString(generation), retryCount);
        status.setRetryCount(counts);
      }
      try {
        return nnces.resource(current).updateStatus().getMetadata().getResourceVersion();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
    throw new KubernetesClientException("status of " + key + " kept conflicting");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted while writing status");
    }
  }
}

package io.multihome.agent.cluster;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.cache.Store;
import io.multihome.agent.kube.ReadProblemEvents;
import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.ConditionTypes;
import io.multihome.api.nmstate.EnactmentConditions;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.read.ReadReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enacts the node's granted NNCEs one at a time, in policy-name order, on a single worker thread:
 * Progressing, probe selection, apply (checkpoint, verify, probes, commit or rollback), then
 * Available, Retrying (with exponential backoff) or FailedToConfigure.
 */
final class Enactor {
  private static final Logger log = LoggerFactory.getLogger(Enactor.class);
  private static final Duration STATUS_RETRY = Duration.ofSeconds(2);

  private final Store<NodeNetworkConfigurationEnactment> store;
  private final NodeNetwork network;
  private final StatusWriter writer;
  private final Supplier<List<NodeProbe>> probeCandidates;
  private final Backoff backoff;
  private final AgentMetrics metrics;
  private final ScheduledExecutorService worker;
  private final ReadProblemEvents unreadable;
  private final AtomicBoolean queued = new AtomicBoolean();

  /*
   * Work is keyed by what an enactment is, not by its name: {@link WorkKey} is the NNCE's UID and
   * the policy generation it carries. A node leaving a policy's selector and coming back, a policy
   * deleted and created again, an NNCE deleted by hand: each gives an NNCE of the same name and
   * generation but a new UID, i.e. new work. A desired state edited back to an earlier value is a
   * new generation, so it is applied again too (a hash of the state would call it done).
   *
   * Nothing here is persisted: the NNCE's own conditions (written by this agent) are the durable
   * record a restarted agent reads. These maps only bridge the informer's lag behind our own
   * writes, and keys of NNCEs that left the informer's store are dropped on every pass.
   */

  /** Earliest next attempt per key, after a failed one. */
  private final Map<WorkKey, Long> notBefore = new ConcurrentHashMap<>();

  /**
   * Keys finished by this process, with the resourceVersion of our final write (null until it is
   * known). The informer may still hold a copy from before that write; without this a pass right
   * after it would enact the NNCE again. A copy newer than our write was written by someone else
   * since (the controller reset an NNCE it could not read): its conditions decide, not this map.
   */
  private final Map<WorkKey, Optional<String>> done = new ConcurrentHashMap<>();

  /** Failed attempts per key seen by this process (the informer copy may lag behind). */
  private final Map<WorkKey, Integer> failures = new ConcurrentHashMap<>();

  /** One piece of work: an NNCE (by UID) at one policy generation. */
  record WorkKey(String uid, long generation, String name) {
    static WorkKey of(NodeNetworkConfigurationEnactment nnce) {
      return new WorkKey(
          nnce.getMetadata().getUid(),
          nnce.getStatus().getPolicyGeneration(),
          nnce.getMetadata().getName());
    }

    @Override
    public String toString() {
      return name + "@" + generation + " (uid " + uid + ")";
    }
  }

  Enactor(
      Store<NodeNetworkConfigurationEnactment> store,
      NodeNetwork network,
      StatusWriter writer,
      Supplier<List<NodeProbe>> probeCandidates,
      Backoff backoff,
      AgentMetrics metrics,
      ScheduledExecutorService worker,
      ReadProblemEvents unreadable) {
    this.store = store;
    this.unreadable = unreadable;
    this.network = network;
    this.writer = writer;
    this.probeCandidates = probeCandidates;
    this.backoff = backoff;
    this.metrics = metrics;
    this.worker = worker;
  }

  /** Asks for a pass soon; passes coalesce. */
  void trigger() {
    if (queued.compareAndSet(false, true) && !worker.isShutdown()) {
      worker.execute(this::pass);
    }
  }

  private void triggerIn(long millis) {
    if (!worker.isShutdown()) {
      worker.schedule(this::trigger, millis, TimeUnit.MILLISECONDS);
    }
  }

  private void pass() {
    queued.set(false);
    var all = store.list();
    forgetGone(all);
    var next =
        all.stream()
            .filter(this::readable)
            .filter(n -> Grants.grantedGeneration(n) != null && !Grants.finished(n))
            .filter(n -> !isDone(n))
            .sorted(Grants.BY_POLICY)
            .findFirst();
    if (next.isEmpty()) {
      return;
    }
    var nnce = next.get();
    long gen = Grants.grantedGeneration(nnce);
    var key = WorkKey.of(nnce);
    long wait = notBefore.getOrDefault(key, 0L) - System.currentTimeMillis();
    if (wait > 0) {
      triggerIn(wait);
      return;
    }
    try {
      enact(nnce, gen, key);
    } catch (Error e) {
      // The node is in an unknown state mid-apply: stop enacting; liveness fails, the kubelet
      // restarts the agent, and the restart rolls the checkpoint back before anything else.
      log.error("fatal error while enacting {}; enactor stopped", key, e);
      worker.shutdownNow();
      throw e;
    } catch (KubernetesClientException e) {
      log.warn("status of {} not written ({}); trying again", key, e.getMessage());
      triggerIn(STATUS_RETRY.toMillis());
      return;
    }
    trigger();
  }

  /**
   * An NNCE with fields that cannot be read (edited by hand) is skipped and reported; the policy
   * controller writes its status afresh, and the new version is enacted.
   */
  private boolean readable(NodeNetworkConfigurationEnactment nnce) {
    var problems = ReadReport.of(nnce).problems();
    unreadable.report(nnce, problems, "not enacted until the policy controller rewrites it");
    return problems.isEmpty();
  }

  /** Drops the book-keeping of NNCEs that are no longer in the store (deleted, or not ours). */
  private void forgetGone(List<NodeNetworkConfigurationEnactment> present) {
    var uids = present.stream().map(n -> n.getMetadata().getUid()).collect(Collectors.toSet());
    done.keySet().removeIf(k -> !uids.contains(k.uid()));
    failures.keySet().removeIf(k -> !uids.contains(k.uid()));
    notBefore.keySet().removeIf(k -> !uids.contains(k.uid()));
    unreadable.retainOnly(uids);
  }

  private void enact(NodeNetworkConfigurationEnactment nnce, long gen, WorkKey key) {
    int failed = Math.max(Grants.failedAttempts(nnce), failures.getOrDefault(key, 0));
    int attempt = failed + 1;
    boolean retrying =
        failed > 0
            || EnactmentRows.isTrue(nnce.getStatus().getConditions(), ConditionTypes.FAILING);
    if (!retrying && writer.write(key, EnactmentConditions.progressing(), null, false) == null) {
      // Gone or re-generated meanwhile: the informer brings the new copy (a new key).
      done.put(key, Optional.empty());
      return;
    }
    log.info("enacting {} (attempt {}/{})", key, attempt, backoff.attempts());
    var probes =
        ProbeSelection.select(probeCandidates.get(), metrics).stream()
            .map(p -> ProbeSelection.counted(p, metrics))
            .toList();
    long start = System.nanoTime();
    ApplyOutcome outcome;
    try {
      outcome = network.apply(nnce.getStatus().getDesiredState(), probes);
    } catch (RuntimeException e) {
      outcome = new ApplyOutcome.RolledBack(e.toString(), List.of());
    }
    metrics.applied(outcomeName(outcome), Duration.ofNanos(System.nanoTime() - start));
    record(key, attempt, outcome);
  }

  private void record(WorkKey key, int attempt, ApplyOutcome outcome) {
    if (outcome instanceof ApplyOutcome.Applied a) {
      log.info("{} applied: {} change(s)", key, a.changes().size());
      notBefore.remove(key);
      finish(key, EnactmentConditions.success(), null);
    } else if (outcome instanceof ApplyOutcome.Rejected r) {
      // Bad input does not get better by retrying: final at once.
      log.warn("{} rejected: {}", key, r.reason());
      var msg = FailureMessage.of(attempt, attempt, r.reason(), List.of());
      finish(key, EnactmentConditions.failed(msg), attempt);
    } else if (outcome instanceof ApplyOutcome.RolledBack rb) {
      failedAttempt(key, attempt, rb.reason(), rb.changes());
    } else if (outcome instanceof ApplyOutcome.RollbackFailed rf) {
      failedAttempt(
          key,
          attempt,
          rf.reason() + "; rollback incomplete: " + String.join("; ", rf.leftovers()),
          rf.changes());
    }
  }

  private void failedAttempt(WorkKey key, int attempt, String reason, List<String> changes) {
    var msg = FailureMessage.of(attempt, backoff.attempts(), reason, changes);
    if (attempt >= backoff.attempts()) {
      log.warn("{} failed for good: {}", key, msg);
      notBefore.remove(key);
      finish(key, EnactmentConditions.failed(msg), attempt);
      return;
    }
    failures.put(key, attempt);
    var delay = backoff.delayAfter(attempt);
    log.warn("{} failed, retrying in {} ms: {}", key, delay.toMillis(), msg);
    notBefore.put(key, System.currentTimeMillis() + delay.toMillis());
    writer.write(key, EnactmentConditions.retrying(msg), attempt, true);
  }

  /** The final write for {@code key}; done from before it, so no pass can start it again. */
  private void finish(WorkKey key, List<Condition> rows, Integer retryCount) {
    done.put(key, Optional.empty());
    var version = writer.write(key, rows, retryCount, true);
    if (version != null) {
      done.put(key, Optional.of(version));
    }
  }

  private boolean isDone(NodeNetworkConfigurationEnactment nnce) {
    var d = done.get(WorkKey.of(nnce));
    return d != null && !(d.isPresent() && newer(nnce.getMetadata().getResourceVersion(), d.get()));
  }

  /** Whether version {@code a} is newer than {@code b}; unknown orders count as not newer. */
  private static boolean newer(String a, String b) {
    try {
      return Long.parseLong(a) > Long.parseLong(b);
    } catch (NumberFormatException | NullPointerException e) {
      return false;
    }
  }

  private static String outcomeName(ApplyOutcome o) {
    if (o instanceof ApplyOutcome.Applied) {
      return "applied";
    }
    if (o instanceof ApplyOutcome.RolledBack) {
      return "rolled-back";
    }
    return o instanceof ApplyOutcome.Rejected ? "rejected" : "rollback-failed";
  }
}

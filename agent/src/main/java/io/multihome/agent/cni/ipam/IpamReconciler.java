package io.multihome.agent.cni.ipam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.multihome.agent.kube.ReadProblemEvents;
import io.multihome.api.read.ReadReport;
import io.multihome.api.whereabouts.IPAllocation;
import io.multihome.api.whereabouts.IPPool;
import io.multihome.api.whereabouts.IPPoolSpec;
import io.multihome.api.whereabouts.OverlappingRangeIPReservation;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees what CNI DEL never freed (a node that died, a force-deleted pod), with whereabouts'
 * ip-reconciler rules: an allocation or reservation whose pod ({@code podref}) does not exist is
 * freed; an allocation of a pod that is past Pending and whose network-status does not list the
 * address is freed too, but only when the previous sweep saw it in the same state (a hot-plugged
 * interface is allocated before the status lists it). Pools are read before pods, so an allocation
 * made after the pod list is never mistaken for an orphan; each pod found missing is read once more
 * before its addresses go.
 */
public final class IpamReconciler {

  /** What one sweep freed: {@code pool/address podref} and reservation names. */
  public record Sweep(List<String> allocations, List<String> reservations) {}

  private static final Logger LOG = LoggerFactory.getLogger(IpamReconciler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NETWORK_STATUS = "k8s.v1.cni.cncf.io/network-status";
  static final String COMPONENT = "multihome-ipam-reconciler";

  private final KubernetesClient client;
  private final PoolStore store;
  private final Backoff backoff;
  private final ReadProblemEvents events;
  private Set<String> suspectsBefore = Set.of();

  public IpamReconciler(KubernetesClient client, PoolStore store, Backoff backoff) {
    this(client, store, backoff, new ReadProblemEvents(client, COMPONENT, null));
  }

  /** {@code events}: where pools and reservations that cannot be read are reported. */
  public IpamReconciler(
      KubernetesClient client, PoolStore store, Backoff backoff, ReadProblemEvents events) {
    this.client = client;
    this.store = store;
    this.backoff = backoff;
    this.events = events;
  }

  /**
   * One pass over every pool and reservation that can be read; one that cannot (a wrong type) is
   * skipped with a Warning event: what it holds cannot be told, so nothing in it is freed.
   */
  public synchronized Sweep sweep() throws PoolStore.StoreException, InterruptedException {
    List<IPPool> allPools = store.listPools();
    List<OverlappingRangeIPReservation> allReservations = store.listReservations();
    var live = new HashSet<String>();
    allPools.forEach(p -> live.add(p.getMetadata().getUid()));
    allReservations.forEach(r -> live.add(r.getMetadata().getUid()));
    events.retainOnly(live);
    List<IPPool> pools = readable(allPools);
    List<OverlappingRangeIPReservation> reservations = readable(allReservations);
    Map<String, Pod> pods = new HashMap<>();
    for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
      pods.put(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), p);
    }
    Map<String, Boolean> gone = new HashMap<>();
    Set<String> suspects = new HashSet<>();
    List<String> freed = new ArrayList<>();
    for (IPPool pool : pools) {
      Map<String, IPAllocation> orphans = new LinkedHashMap<>();
      Ip base = base(pool);
      if (base == null) {
        continue;
      }
      for (var e : pool.getSpec().getAllocations().entrySet()) {
        IPAllocation a = e.getValue();
        Ip ip = at(base, e.getKey());
        if (a == null || a.getPodRef() == null || a.getPodRef().isEmpty() || ip == null) {
          continue; // whereabouts skips these too: nothing to match them against
        }
        Pod pod = pods.get(a.getPodRef());
        if (pod == null) {
          if (gone.computeIfAbsent(a.getPodRef(), this::stillGone)) {
            orphans.put(e.getKey(), a);
          }
        } else if (!listsAddress(pod, ip)) {
          String key = pool.getMetadata().getName() + "/" + e.getKey() + "/" + a.getContainerId();
          suspects.add(key);
          if (suspectsBefore.contains(key)) {
            orphans.put(e.getKey(), a);
          }
        }
      }
      if (!orphans.isEmpty()) {
        for (String offset : free(pool, orphans)) {
          freed.add(
              pool.getMetadata().getName()
                  + "/"
                  + at(base, offset)
                  + " "
                  + orphans.get(offset).getPodRef());
        }
      }
    }
    suspectsBefore = suspects;
    List<String> released = new ArrayList<>();
    for (OverlappingRangeIPReservation r : reservations) {
      String podRef = r.getSpec() == null ? null : r.getSpec().getPodRef();
      if (podRef == null || podRef.isEmpty() || pods.containsKey(podRef)) {
        continue;
      }
      if (gone.computeIfAbsent(podRef, this::stillGone)) {
        store.deleteReservation(r.getMetadata().getName());
        released.add(r.getMetadata().getName());
      }
    }
    if (!freed.isEmpty() || !released.isEmpty()) {
      LOG.info("IPAM reconciler freed {} and reservations {}", freed, released);
    }
    return new Sweep(freed, released);
  }

  /** Removes the orphaned entries (only while they still hold the same container). */
  private List<String> free(IPPool pool, Map<String, IPAllocation> orphans)
      throws PoolStore.StoreException, InterruptedException {
    String name = pool.getMetadata().getName();
    IPPool current = pool;
    for (int attempt = 0; ; attempt++) {
      var allocations = new LinkedHashMap<>(current.getSpec().getAllocations());
      List<String> removed = new ArrayList<>();
      for (var o : orphans.entrySet()) {
        IPAllocation now = allocations.get(o.getKey());
        if (now != null && now.equals(o.getValue())) {
          allocations.remove(o.getKey());
          removed.add(o.getKey());
        }
      }
      if (removed.isEmpty()) {
        return removed;
      }
      var copy = new IPPool();
      copy.setMetadata(new ObjectMetaBuilder(current.getMetadata()).build());
      copy.setSpec(new IPPoolSpec(current.getSpec().getRange(), allocations));
      try {
        store.updatePool(copy);
        return removed;
      } catch (PoolStore.ConflictException e) {
        if (attempt + 1 >= backoff.attempts()) {
          throw e;
        }
        backoff.pause(attempt);
        current = store.getPool(name);
        if (current == null || current.getSpec() == null || !ReadReport.of(current).valid()) {
          return List.of();
        }
      }
    }
  }

  private <T extends HasMetadata> List<T> readable(List<T> objects) {
    var out = new ArrayList<T>();
    for (T o : objects) {
      var problems = ReadReport.of(o).problems();
      if (problems.isEmpty()) {
        out.add(o);
      } else {
        events.report(o, problems, "skipped by the IPAM reconciler");
      }
    }
    return out;
  }

  private boolean stillGone(String podRef) {
    int slash = podRef.indexOf('/');
    if (slash <= 0) {
      return false;
    }
    try {
      return client
              .pods()
              .inNamespace(podRef.substring(0, slash))
              .withName(podRef.substring(slash + 1))
              .get()
          == null;
    } catch (KubernetesClientException e) {
      return false; // when in doubt, keep the address
    }
  }

  /**
   * True while the pod may still be using the address: Pending, no network-status yet, or the
   * status lists it on a secondary network.
   */
  private static boolean listsAddress(Pod pod, Ip ip) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if (phase == null || phase.equals("Pending")) {
      return true;
    }
    var annotations = pod.getMetadata().getAnnotations();
    String status = annotations == null ? null : annotations.get(NETWORK_STATUS);
    if (status == null || status.isBlank()) {
      return true;
    }
    try {
      for (JsonNode network : JSON.readTree(status)) {
        if (network.path("default").asBoolean(false)) {
          continue;
        }
        for (JsonNode address : network.path("ips")) {
          String text = address.asText();
          int slash = text.indexOf('/');
          if (Ip.parse(slash < 0 ? text : text.substring(0, slash)).equals(ip)) {
            return true;
          }
        }
      }
      return false;
    } catch (java.io.IOException | IllegalArgumentException e) {
      return true; // an unreadable status proves nothing
    }
  }

  private static Ip base(IPPool pool) {
    if (pool.getSpec() == null || pool.getSpec().getRange() == null) {
      return null;
    }
    try {
      return Cidr.parse(pool.getSpec().getRange(), false).address();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Ip at(Ip base, String offset) {
    try {
      BigInteger o = new BigInteger(offset);
      return o.signum() < 0 ? null : base.plus(o);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}

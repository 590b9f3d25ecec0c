package io.multihome.agent.cni.ipam;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.multihome.agent.cni.exec.CniException;
import io.multihome.api.whereabouts.IPAllocation;
import io.multihome.api.whereabouts.IPPool;
import io.multihome.api.whereabouts.IPPoolSpec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Allocates and frees addresses of one range in its IPPool with optimistic concurrency: read (or
 * reuse the copy this daemon wrote last), pick, write with the resourceVersion; a lost race
 * re-reads and retries after a jittered pause, a bounded number of times. Within one daemon the
 * requests for a pool take turns (a fair lock), so only daemons on different nodes race each other
 * — the pool is written once per allocation in the common case, not once per contender.
 */
final class PoolAllocator {

  private static final Logger LOG = LoggerFactory.getLogger(PoolAllocator.class);

  private final PoolStore store;
  private final Backoff backoff;
  private final Reservations reservations;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Map<String, IPPool> lastWritten = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong conflictCount =
      new java.util.concurrent.atomic.AtomicLong();

  PoolAllocator(PoolStore store, Backoff backoff) {
    this.store = store;
    this.backoff = backoff;
    this.reservations = new Reservations(store);
  }

  /** Allocates (or finds again) {@code owner}'s address in {@code range}. */
  Ip allocate(WhereaboutsConfig config, IpRange range, Owner owner, RequestedIps.Request request)
      throws CniException {
    String name = config.poolName(range);
    ReentrantLock lock = locks.computeIfAbsent(name, k -> new ReentrantLock(true));
    lock.lock();
    try {
      return allocateLocked(config, range, name, owner, request);
    } finally {
      lock.unlock();
    }
  }

  private Ip allocateLocked(
      WhereaboutsConfig config,
      IpRange range,
      String name,
      Owner owner,
      RequestedIps.Request request)
      throws CniException {
    Set<Ip> reservedElsewhere = new HashSet<>();
    Ip ourReservation = null; // created by this call and not yet confirmed by a pool write
    int conflicts = 0;
    try {
      while (true) {
        try {
          IPPool pool = editableCopy(current(name, range, true));
          Ip base = base(pool, range);
          Map<String, IPAllocation> allocations = pool.getSpec().getAllocations();
          Ip chosen = reuse(allocations, base, owner, request);
          boolean write;
          if (chosen != null) {
            write = updateContainerId(allocations, base, chosen, owner);
          } else {
            dropStale(allocations, owner);
            chosen =
                request != null
                    ? checkRequested(range, allocations, base, request, reservedElsewhere)
                    : lowestFree(range, allocations, base, reservedElsewhere);
            allocations.put(
                offset(base, chosen),
                new IPAllocation(owner.containerId(), owner.podRef(), owner.ifName()));
            write = true;
          }
          if (config.overlappingRanges() && !chosen.equals(ourReservation)) {
            switch (reservations.reserve(config, chosen, owner)) {
              case TAKEN -> {
                if (request != null) {
                  throw new CniException(
                      CniException.REQUEST_NOT_HONOURED,
                      "whereabouts: requested "
                          + chosen
                          + " is reserved by another pod on an overlapping range of network \""
                          + config.networkName()
                          + "\"");
                }
                reservedElsewhere.add(chosen);
                continue;
              }
              case CREATED -> {
                reservations.release(config, ourReservation, owner);
                ourReservation = chosen;
              }
              case OURS -> {}
            }
          }
          if (write) {
            lastWritten.put(name, store.updatePool(pool));
          }
          if (ourReservation != null && !ourReservation.equals(chosen)) {
            reservations.release(config, ourReservation, owner);
          }
          ourReservation = null;
          return chosen;
        } catch (PoolStore.ConflictException e) {
          lastWritten.remove(name);
          conflictCount.incrementAndGet();
          if (++conflicts >= backoff.attempts()) {
            throw new CniException(
                CniException.TRY_AGAIN_LATER,
                "whereabouts: IPPool "
                    + name
                    + " changed under every one of "
                    + conflicts
                    + " attempts; try again");
          }
          LOG.debug("IPPool {}: lost a race ({}), retry {}", name, e.getMessage(), conflicts);
          backoff.pause(conflicts - 1);
        }
      }
    } catch (PoolStore.StoreException e) {
      lastWritten.remove(name);
      throw new CniException(CniException.TRY_AGAIN_LATER, "whereabouts: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CniException(CniException.TRY_AGAIN_LATER, "whereabouts: interrupted");
    } finally {
      if (ourReservation != null) {
        reservations.releaseQuietly(config, ourReservation, owner);
      }
    }
  }

  /**
   * Frees every address of {@code owner}'s sandbox and interface in {@code range}; returns them
   * (empty when there was nothing: an unknown allocation is not an error).
   */
  List<Ip> release(WhereaboutsConfig config, IpRange range, Owner owner) throws CniException {
    String name = config.poolName(range);
    ReentrantLock lock = locks.computeIfAbsent(name, k -> new ReentrantLock(true));
    lock.lock();
    try {
      List<Ip> freed = new ArrayList<>();
      for (int conflicts = 0; ; ) {
        try {
          IPPool current = current(name, range, false);
          if (current == null) {
            return freed;
          }
          IPPool pool = editableCopy(current);
          Ip base = base(pool, range);
          freed.clear();
          pool.getSpec()
              .getAllocations()
              .entrySet()
              .removeIf(
                  e -> {
                    IPAllocation a = e.getValue();
                    boolean mine =
                        a != null && owner.sameSandboxInterface(a.getContainerId(), a.getIfName());
                    Ip ip = mine ? at(base, e.getKey()) : null;
                    if (ip != null) {
                      freed.add(ip);
                    }
                    return ip != null;
                  });
          if (freed.isEmpty()) {
            return freed;
          }
          lastWritten.put(name, store.updatePool(pool));
          break;
        } catch (PoolStore.ConflictException e) {
          lastWritten.remove(name);
          conflictCount.incrementAndGet();
          if (++conflicts >= backoff.attempts()) {
            throw new CniException(
                CniException.TRY_AGAIN_LATER,
                "whereabouts: IPPool " + name + " changed under every attempt to free " + owner);
          }
          backoff.pause(conflicts - 1);
        }
      }
      if (config.overlappingRanges()) {
        for (Ip ip : freed) {
          reservations.release(config, ip, owner);
        }
      }
      return freed;
    } catch (PoolStore.StoreException e) {
      lastWritten.remove(name);
      throw new CniException(CniException.TRY_AGAIN_LATER, "whereabouts: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CniException(CniException.TRY_AGAIN_LATER, "whereabouts: interrupted");
    } finally {
      lock.unlock();
    }
  }

  /** Lost optimistic-concurrency races so far (allocations and frees). */
  long conflicts() {
    return conflictCount.get();
  }

  /** {@code owner}'s address in {@code range} as the API holds it now (CHECK). */
  Optional<Ip> find(WhereaboutsConfig config, IpRange range, Owner owner) throws CniException {
    try {
      IPPool pool = store.getPool(config.poolName(range));
      if (pool == null || pool.getSpec() == null) {
        return Optional.empty();
      }
      Ip base = base(pool, range);
      for (var e : pool.getSpec().getAllocations().entrySet()) {
        IPAllocation a = e.getValue();
        if (a != null && owner.sameSandboxInterface(a.getContainerId(), a.getIfName())) {
          return Optional.ofNullable(at(base, e.getKey()));
        }
      }
      return Optional.empty();
    } catch (PoolStore.StoreException e) {
      throw new CniException(CniException.TRY_AGAIN_LATER, "whereabouts: " + e.getMessage());
    }
  }

  /** The copy this daemon wrote last, else the API's; with {@code create}, made when missing. */
  private IPPool current(String name, IpRange range, boolean create)
      throws PoolStore.StoreException {
    IPPool cached = lastWritten.get(name);
    if (cached != null) {
      return cached;
    }
    IPPool pool = store.getPool(name);
    if (pool == null && create) {
      var fresh = new IPPool();
      fresh.setMetadata(new ObjectMetaBuilder().withName(name).build());
      fresh.setSpec(new IPPoolSpec(range.rangeText(), Map.of()));
      try {
        pool = store.createPool(fresh);
      } catch (PoolStore.ConflictException raced) {
        pool = store.getPool(name);
        if (pool == null) {
          throw raced;
        }
      }
    }
    return pool;
  }

  private static IPPool editableCopy(IPPool pool) {
    var copy = new IPPool();
    copy.setMetadata(new ObjectMetaBuilder(pool.getMetadata()).build());
    IPPoolSpec spec = pool.getSpec();
    copy.setSpec(
        new IPPoolSpec(
            spec == null ? null : spec.getRange(),
            spec == null ? Map.of() : new LinkedHashMap<>(spec.getAllocations())));
    return copy;
  }

  /** Offsets count from the address in the pool's own {@code spec.range}, as in whereabouts. */
  private static Ip base(IPPool pool, IpRange range) {
    String text = pool.getSpec() == null ? null : pool.getSpec().getRange();
    if (text != null) {
      try {
        Cidr c = Cidr.parse(text, false);
        if (c.address().sameFamily(range.base())) {
          return c.address();
        }
      } catch (IllegalArgumentException ignored) {
        // a foreign writer's bad range: fall back to ours
      }
    }
    return range.base();
  }

  /** The address at {@code offset} (decimal), or null for a key whereabouts would also skip. */
  private static Ip at(Ip base, String offset) {
    try {
      BigInteger o = new BigInteger(offset);
      return o.signum() < 0 ? null : base.plus(o);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String offset(Ip base, Ip ip) {
    return ip.value().subtract(base.value()).toString();
  }

  /** The pod's existing address on this interface when it may be kept (idempotent ADD). */
  private static Ip reuse(
      Map<String, IPAllocation> allocations, Ip base, Owner owner, RequestedIps.Request request) {
    for (var e : allocations.entrySet()) {
      IPAllocation a = e.getValue();
      if (a != null && owner.samePodInterface(a.getPodRef(), a.getIfName())) {
        Ip ip = at(base, e.getKey());
        if (ip != null && (request == null || request.ip().equals(ip))) {
          return ip;
        }
      }
    }
    return null;
  }

  /** A new sandbox of the same pod takes the address over, as whereabouts' AssignIP does. */
  private static boolean updateContainerId(
      Map<String, IPAllocation> allocations, Ip base, Ip ip, Owner owner) {
    for (var e : allocations.entrySet()) {
      if (ip.equals(at(base, e.getKey()))
          && !owner.containerId().equals(e.getValue().getContainerId())) {
        e.setValue(new IPAllocation(owner.containerId(), owner.podRef(), owner.ifName()));
        return true;
      }
    }
    return false;
  }

  /** The same pod and interface holding another address than the one it now asks for. */
  private static void dropStale(Map<String, IPAllocation> allocations, Owner owner) {
    allocations
        .entrySet()
        .removeIf(
            e ->
                e.getValue() != null
                    && owner.samePodInterface(e.getValue().getPodRef(), e.getValue().getIfName()));
  }

  private static Ip checkRequested(
      IpRange range,
      Map<String, IPAllocation> allocations,
      Ip base,
      RequestedIps.Request request,
      Set<Ip> reservedElsewhere)
      throws CniException {
    Ip ip = request.ip();
    if (request.prefix() >= 0 && request.prefix() != range.prefix()) {
      throw refused(request, "the range " + range.cidr() + " has prefix /" + range.prefix());
    }
    Cidr excluded = range.excludeCovering(ip);
    if (excluded != null) {
      throw refused(request, "it is excluded (" + excluded + ")");
    }
    if (!range.allows(ip)) {
      throw refused(request, "the pool hands out " + range.first() + "-" + range.last() + " only");
    }
    IPAllocation holder = allocations.get(offset(base, ip));
    if (holder != null) {
      throw refused(
          request, "it is in use by " + holder.getPodRef() + " (" + holder.getIfName() + ")");
    }
    if (reservedElsewhere.contains(ip)) {
      throw refused(request, "it is reserved on an overlapping range");
    }
    return ip;
  }

  private static CniException refused(RequestedIps.Request request, String why) {
    return new CniException(
        CniException.REQUEST_NOT_HONOURED,
        "whereabouts: " + request.source() + ": cannot assign " + request.ip() + ": " + why);
  }

  private static Ip lowestFree(
      IpRange range, Map<String, IPAllocation> allocations, Ip base, Set<Ip> reservedElsewhere)
      throws CniException {
    Set<BigInteger> used = new HashSet<>();
    for (String key : allocations.keySet()) {
      Ip ip = at(base, key);
      if (ip != null) {
        used.add(ip.value());
      }
    }
    Ip last = range.last();
    for (Ip ip = range.first(); ip.compareTo(last) <= 0; ip = ip.next()) {
      Cidr excluded = range.excludeCovering(ip);
      if (excluded != null) {
        if (excluded.last().compareTo(last) >= 0) {
          break;
        }
        ip = excluded.last(); // jump over the whole excluded subnet
        continue;
      }
      if (!used.contains(ip.value()) && !reservedElsewhere.contains(ip)) {
        return ip;
      }
    }
    throw new CniException(
        999,
        "whereabouts: no free address in "
            + range.describe()
            + " ("
            + used.size()
            + " allocated in the pool)");
  }
}

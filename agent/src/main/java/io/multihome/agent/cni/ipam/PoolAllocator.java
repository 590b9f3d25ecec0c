package io.multihome.agent.cni.ipam;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.multihome.agent.cni.exec.CniException;
import io.multihome.api.whereabouts.IPAllocation;
import io.multihome.api.whereabouts.IPPool;
import io.multihome.api.whereabouts.IPPoolSpec;
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
          Ip base = PoolEntries.base(pool, range);
          Map<String, IPAllocation> allocations = pool.getSpec().getAllocations();
          Ip chosen = PoolEntries.reuse(allocations, base, owner, request);
          boolean write;
          if (chosen != null) {
            write = PoolEntries.updateContainerId(allocations, base, chosen, owner);
          } else {
            PoolEntries.dropStale(allocations, owner);
            chosen =
                request != null
                    ? PoolEntries.checkRequested(
                        range, allocations, base, request, reservedElsewhere)
                    : PoolEntries.lowestFree(range, allocations, base, reservedElsewhere);
            allocations.put(
                PoolEntries.offset(base, chosen),
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
          Ip base = PoolEntries.base(pool, range);
          freed.clear();
          pool.getSpec()
              .getAllocations()
              .entrySet()
              .removeIf(
                  e -> {
                    IPAllocation a = e.getValue();
                    boolean mine =
                        a != null && owner.sameSandboxInterface(a.getContainerId(), a.getIfName());
                    Ip ip = mine ? PoolEntries.at(base, e.getKey()) : null;
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
      IPPool pool = PoolEntries.readable(store.getPool(config.poolName(range)));
      if (pool == null || pool.getSpec() == null) {
        return Optional.empty();
      }
      Ip base = PoolEntries.base(pool, range);
      for (var e : pool.getSpec().getAllocations().entrySet()) {
        IPAllocation a = e.getValue();
        if (a != null && owner.sameSandboxInterface(a.getContainerId(), a.getIfName())) {
          return Optional.ofNullable(PoolEntries.at(base, e.getKey()));
        }
      }
      return Optional.empty();
    } catch (PoolStore.StoreException e) {
      throw new CniException(CniException.TRY_AGAIN_LATER, "whereabouts: " + e.getMessage());
    }
  }

  /**
   * The copy this daemon wrote last, else the API's (refused when it cannot be read); with {@code
   * create}, made when missing.
   */
  private IPPool current(String name, IpRange range, boolean create)
      throws PoolStore.StoreException, CniException {
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
    return PoolEntries.readable(pool);
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
}

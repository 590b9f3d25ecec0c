package io.multihome.agent.cni.ipam;

import io.multihome.agent.cni.exec.CniException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide IPAM with whereabouts' semantics: one address per range of the network (IPv4 and
 * IPv6 ranges give a dual-stack attachment), lowest free first, requested addresses honoured when
 * the pool allows them, the same pod and interface getting its address back on a repeated ADD. An
 * ADD that fails on a later range frees what it took on the earlier ones.
 */
public final class WhereaboutsIpam {

  private static final Logger LOG = LoggerFactory.getLogger(WhereaboutsIpam.class);

  /** One allocated address and the range it came from (its prefix is the range's). */
  public record Assigned(IpRange range, Ip ip) {
    public Cidr cidr() {
      return new Cidr(ip, range.prefix());
    }
  }

  private final PoolAllocator allocator;

  public WhereaboutsIpam(PoolStore store, Backoff backoff) {
    this.allocator = new PoolAllocator(store, backoff);
  }

  public List<Assigned> add(
      WhereaboutsConfig config, Owner owner, List<RequestedIps.Request> requests)
      throws CniException {
    Map<IpRange, RequestedIps.Request> byRange = assignRequests(config, requests);
    List<Assigned> done = new ArrayList<>();
    try {
      for (IpRange range : config.ranges()) {
        done.add(new Assigned(range, allocator.allocate(config, range, owner, byRange.get(range))));
      }
      return done;
    } catch (CniException e) {
      for (Assigned a : done) {
        try {
          allocator.release(config, a.range(), owner);
        } catch (CniException undo) {
          LOG.warn("ADD of {} failed; freeing {} failed too: {}", owner, a.ip(), undo.getMessage());
        }
      }
      throw e;
    }
  }

  /** Optimistic-concurrency races this daemon lost so far (each one cost a re-read and retry). */
  public long conflicts() {
    return allocator.conflicts();
  }

  /** Frees the sandbox's addresses in every range; nothing allocated is fine. */
  public List<Ip> del(WhereaboutsConfig config, Owner owner) throws CniException {
    List<Ip> freed = new ArrayList<>();
    CniException first = null;
    for (IpRange range : config.ranges()) {
      try {
        freed.addAll(allocator.release(config, range, owner));
      } catch (CniException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
    return freed;
  }

  /** Fails unless every range still holds an address for the sandbox and interface. */
  public List<Ip> check(WhereaboutsConfig config, Owner owner) throws CniException {
    List<Ip> held = new ArrayList<>();
    for (IpRange range : config.ranges()) {
      Optional<Ip> ip = allocator.find(config, range, owner);
      if (ip.isEmpty()) {
        throw new CniException(
            999,
            "whereabouts: no address of "
                + owner.podRef()
                + " ("
                + owner.ifName()
                + ") in IPPool "
                + config.poolName(range));
      }
      held.add(ip.get());
    }
    return held;
  }

  /**
   * Each requested address goes to the range whose network contains it; static {@code addresses}
   * need no allocation. Anything else cannot be honoured by this network.
   */
  private static Map<IpRange, RequestedIps.Request> assignRequests(
      WhereaboutsConfig config, List<RequestedIps.Request> requests) throws CniException {
    Map<IpRange, RequestedIps.Request> out = new HashMap<>();
    for (RequestedIps.Request r : requests) {
      if (config.addresses().stream().anyMatch(a -> a.address().address().equals(r.ip()))) {
        continue;
      }
      IpRange target =
          config.ranges().stream().filter(x -> x.cidr().contains(r.ip())).findFirst().orElse(null);
      if (target == null) {
        throw new CniException(
            CniException.REQUEST_NOT_HONOURED,
            "whereabouts: "
                + r.source()
                + ": "
                + r.ip()
                + " is in none of the network's ranges "
                + config.ranges().stream().map(x -> x.cidr().toString()).toList());
      }
      RequestedIps.Request before = out.put(target, r);
      if (before != null) {
        throw new CniException(
            CniException.REQUEST_NOT_HONOURED,
            "whereabouts: "
                + r.source()
                + ": "
                + before.ip()
                + " and "
                + r.ip()
                + " both requested from "
                + target.cidr()
                + " (one address per range)");
      }
    }
    return out;
  }
}

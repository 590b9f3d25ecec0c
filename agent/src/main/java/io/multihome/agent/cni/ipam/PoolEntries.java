package io.multihome.agent.cni.ipam;

import io.multihome.agent.cni.exec.CniException;
import io.multihome.api.read.ReadReport;
import io.multihome.api.whereabouts.IPAllocation;
import io.multihome.api.whereabouts.IPPool;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reading and choosing in one IPPool's {@code spec.allocations} (offset → owner), as whereabouts'
 * {@code AssignIP}/{@code IterateForAssignment} do: the pod's own entry first, else the requested
 * or the lowest free address of the range.
 */
final class PoolEntries {
  private PoolEntries() {}

  /**
   * Refuses a pool with a value the lenient reader could not take (a wrong type): what was read of
   * its allocations may be incomplete, so choosing in it could give out an address twice, and
   * writing it back would drop what could not be read.
   */
  static IPPool readable(IPPool pool) throws CniException {
    var problems = ReadReport.of(pool).problems();
    if (pool == null || problems.isEmpty()) {
      return pool;
    }
    throw new CniException(
        999,
        "whereabouts: IPPool "
            + pool.getMetadata().getNamespace()
            + "/"
            + pool.getMetadata().getName()
            + " cannot be read: "
            + ReadReport.describe(problems)
            + "; no address is given out or freed in it until it is fixed");
  }

  /** Offsets count from the address in the pool's own {@code spec.range}, as in whereabouts. */
  static Ip base(IPPool pool, IpRange range) {
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
  static Ip at(Ip base, String offset) {
    try {
      BigInteger o = new BigInteger(offset);
      return o.signum() < 0 ? null : base.plus(o);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String offset(Ip base, Ip ip) {
    return ip.value().subtract(base.value()).toString();
  }

  /** The pod's existing address on this interface when it may be kept (idempotent ADD). */
  static Ip reuse(
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
  static boolean updateContainerId(
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
  static void dropStale(Map<String, IPAllocation> allocations, Owner owner) {
    allocations
        .entrySet()
        .removeIf(
            e ->
                e.getValue() != null
                    && owner.samePodInterface(e.getValue().getPodRef(), e.getValue().getIfName()));
  }

  static Ip checkRequested(
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

  static CniException refused(RequestedIps.Request request, String why) {
    return new CniException(
        CniException.REQUEST_NOT_HONOURED,
        "whereabouts: " + request.source() + ": cannot assign " + request.ip() + ": " + why);
  }

  static Ip lowestFree(
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

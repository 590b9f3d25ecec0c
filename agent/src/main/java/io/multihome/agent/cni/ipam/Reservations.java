package io.multihome.agent.cni.ipam;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.multihome.api.read.ReadReport;
import io.multihome.api.whereabouts.OverlappingRangeIPReservation;
import io.multihome.api.whereabouts.OverlappingRangeIPReservationSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Network-wide address reservations ({@code enable_overlapping_ranges}). The reservation is created
 * <em>before</em> the pool write that uses the address: creation is atomic in the API
 * (AlreadyExists for the loser), so two overlapping pools can never both hand the address out,
 * whichever daemon writes its pool first. (whereabouts creates it after the pool write and checks
 * with a read beforehand, which leaves a window.)
 */
final class Reservations {

  enum Outcome {
    /** Created now: the caller owns it and must release it if it does not use the address. */
    CREATED,
    /** Already held by the same pod and interface (a repeated ADD). */
    OURS,
    /** Held by someone else. */
    TAKEN
  }

  private static final Logger LOG = LoggerFactory.getLogger(Reservations.class);

  private final PoolStore store;

  Reservations(PoolStore store) {
    this.store = store;
  }

  Outcome reserve(WhereaboutsConfig config, Ip ip, Owner owner) throws PoolStore.StoreException {
    String name = config.reservationName(ip);
    var reservation = new OverlappingRangeIPReservation();
    reservation.setMetadata(new ObjectMetaBuilder().withName(name).build());
    reservation.setSpec(
        new OverlappingRangeIPReservationSpec(owner.containerId(), owner.podRef(), owner.ifName()));
    try {
      store.createReservation(reservation);
      return Outcome.CREATED;
    } catch (PoolStore.ConflictException exists) {
      OverlappingRangeIPReservation current = store.getReservation(name);
      if (current == null) {
        throw exists; // deleted meanwhile: the caller retries from a fresh read
      }
      if (!ReadReport.of(current).valid()) {
        // Whose it is cannot be told: someone else's, so the address is never given out twice.
        LOG.warn(
            "OverlappingRangeIPReservation {} cannot be read ({}): {} is taken as held",
            name,
            ReadReport.describe(ReadReport.of(current).problems()),
            ip);
        return Outcome.TAKEN;
      }
      return heldBy(current, owner) ? Outcome.OURS : Outcome.TAKEN;
    }
  }

  /** Deletes the reservation of {@code ip} if {@code owner} holds it; someone else's stays. */
  void release(WhereaboutsConfig config, Ip ip, Owner owner) throws PoolStore.StoreException {
    if (ip == null) {
      return;
    }
    String name = config.reservationName(ip);
    OverlappingRangeIPReservation current = store.getReservation(name);
    if (current != null && ReadReport.of(current).valid() && heldBy(current, owner)) {
      store.deleteReservation(name);
    }
  }

  void releaseQuietly(WhereaboutsConfig config, Ip ip, Owner owner) {
    try {
      release(config, ip, owner);
    } catch (PoolStore.StoreException e) {
      // The reconciler removes reservations of pods that no longer exist.
      LOG.warn("cannot release reservation of {}: {}", ip, e.getMessage());
    }
  }

  private static boolean heldBy(OverlappingRangeIPReservation r, Owner owner) {
    OverlappingRangeIPReservationSpec spec = r.getSpec();
    if (spec == null) {
      return false;
    }
    if (owner.containerId().equals(spec.getContainerId())
        && owner.ifName().equals(nullToEmpty(spec.getIfName()))) {
      return true;
    }
    return owner.samePodInterface(nullToEmpty(spec.getPodRef()), spec.getIfName());
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}

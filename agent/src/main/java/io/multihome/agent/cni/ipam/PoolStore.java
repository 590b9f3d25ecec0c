package io.multihome.agent.cni.ipam;

import io.multihome.api.whereabouts.IPPool;
import io.multihome.api.whereabouts.OverlappingRangeIPReservation;
import java.util.List;

/**
 * Where allocations live: whereabouts' IPPool and OverlappingRangeIPReservation objects. Every
 * write of a pool is conditional on the resourceVersion it was read with; a lost race is a {@link
 * ConflictException}, never a silent overwrite.
 */
public interface PoolStore {

  /** The pool, or null when it does not exist. */
  IPPool getPool(String name) throws StoreException;

  /** Creates an empty pool; {@link ConflictException} when it already exists. */
  IPPool createPool(IPPool pool) throws StoreException;

  /** Replaces the pool if its resourceVersion is still current; returns the stored object. */
  IPPool updatePool(IPPool pool) throws StoreException;

  List<IPPool> listPools() throws StoreException;

  /** The reservation, or null. */
  OverlappingRangeIPReservation getReservation(String name) throws StoreException;

  /** {@link ConflictException} when a reservation of that name exists already. */
  void createReservation(OverlappingRangeIPReservation reservation) throws StoreException;

  /** Deletes it; absent is fine. */
  void deleteReservation(String name) throws StoreException;

  List<OverlappingRangeIPReservation> listReservations() throws StoreException;

  /** The API could not be reached or refused the request for a reason other than a race. */
  class StoreException extends Exception {
    public StoreException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Lost an optimistic-concurrency race (stale resourceVersion) or the name is taken. */
  final class ConflictException extends StoreException {
    public ConflictException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

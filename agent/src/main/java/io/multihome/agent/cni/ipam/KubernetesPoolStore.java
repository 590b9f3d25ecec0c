package io.multihome.agent.cni.ipam;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.multihome.api.whereabouts.IPPool;
import io.multihome.api.whereabouts.OverlappingRangeIPReservation;
import java.net.HttpURLConnection;
import java.util.List;

/**
 * {@link PoolStore} on the API server, in one namespace (whereabouts uses the namespace of its
 * kubeconfig context, {@code kube-system} by default). Pools are replaced with their
 * resourceVersion (HTTP 409 on a stale one), which is the same guarantee whereabouts gets from its
 * JSON patch with a {@code test} of {@code /metadata/resourceVersion}.
 */
public final class KubernetesPoolStore implements PoolStore {

  private final KubernetesClient client;
  private final String namespace;

  public KubernetesPoolStore(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  public String namespace() {
    return namespace;
  }

  @Override
  public IPPool getPool(String name) throws StoreException {
    try {
      return client.resources(IPPool.class).inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw translate("read IPPool " + name, e);
    }
  }

  @Override
  public IPPool createPool(IPPool pool) throws StoreException {
    try {
      pool.getMetadata().setNamespace(namespace);
      return client.resources(IPPool.class).inNamespace(namespace).resource(pool).create();
    } catch (KubernetesClientException e) {
      throw translate("create IPPool " + pool.getMetadata().getName(), e);
    }
  }

  @Override
  public IPPool updatePool(IPPool pool) throws StoreException {
    if (pool.getMetadata().getResourceVersion() == null) {
      throw new IllegalArgumentException("a pool is only written with its resourceVersion");
    }
    try {
      // update() sends the object's resourceVersion: the server refuses a stale one with 409.
      return client.resources(IPPool.class).inNamespace(namespace).resource(pool).update();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        // Deleted since it was read: as stale as a newer resourceVersion; re-read (and re-create).
        throw new ConflictException("IPPool " + pool.getMetadata().getName() + " is gone", e);
      }
      throw translate("update IPPool " + pool.getMetadata().getName(), e);
    }
  }

  @Override
  public List<IPPool> listPools() throws StoreException {
    try {
      return client.resources(IPPool.class).inNamespace(namespace).list().getItems();
    } catch (KubernetesClientException e) {
      throw translate("list IPPools", e);
    }
  }

  @Override
  public OverlappingRangeIPReservation getReservation(String name) throws StoreException {
    try {
      return client
          .resources(OverlappingRangeIPReservation.class)
          .inNamespace(namespace)
          .withName(name)
          .get();
    } catch (KubernetesClientException e) {
      throw translate("read OverlappingRangeIPReservation " + name, e);
    }
  }

  @Override
  public void createReservation(OverlappingRangeIPReservation reservation) throws StoreException {
    try {
      reservation.getMetadata().setNamespace(namespace);
      client
          .resources(OverlappingRangeIPReservation.class)
          .inNamespace(namespace)
          .resource(reservation)
          .create();
    } catch (KubernetesClientException e) {
      throw translate(
          "create OverlappingRangeIPReservation " + reservation.getMetadata().getName(), e);
    }
  }

  @Override
  public void deleteReservation(String name) throws StoreException {
    try {
      client
          .resources(OverlappingRangeIPReservation.class)
          .inNamespace(namespace)
          .withName(name)
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw translate("delete OverlappingRangeIPReservation " + name, e);
      }
    }
  }

  @Override
  public List<OverlappingRangeIPReservation> listReservations() throws StoreException {
    try {
      return client
          .resources(OverlappingRangeIPReservation.class)
          .inNamespace(namespace)
          .list()
          .getItems();
    } catch (KubernetesClientException e) {
      throw translate("list OverlappingRangeIPReservations", e);
    }
  }

  private static StoreException translate(String what, KubernetesClientException e) {
    String message = "cannot " + what + ": " + e.getMessage();
    // 409: a stale resourceVersion or AlreadyExists, i.e. "re-read and try again".
    if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
      return new ConflictException(message, e);
    }
    return new StoreException(message, e);
  }
}

package io.multihome.agent.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer item store that slims objects before keeping them (fabric8 7 has no informer
 * transform): managedFields and whatever else the caller drops never occupy the agent's heap.
 */
public final class TransformingItemStore<T extends HasMetadata> implements ItemStore<T> {

  private final BasicItemStore<T> delegate = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final UnaryOperator<T> transform;

  public TransformingItemStore(UnaryOperator<T> transform) {
    this.transform = transform;
  }

  /** A store that only drops managedFields. */
  public static <T extends HasMetadata> TransformingItemStore<T> withoutManagedFields() {
    return new TransformingItemStore<>(ManagedFields::strip);
  }

  @Override
  public String getKey(T object) {
    return delegate.getKey(object);
  }

  @Override
  public T put(String key, T object) {
    return delegate.put(key, transform.apply(object));
  }

  @Override
  public T remove(String key) {
    return delegate.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return delegate.keySet();
  }

  @Override
  public Stream<T> values() {
    return delegate.values();
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public T get(String key) {
    return delegate.get(key);
  }
}

package io.multihome.controller.nncp;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.http.MockResponse;
import java.net.HttpURLConnection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * fabric8's CRUD mock dispatcher plus an index by (plural, name), for the benchmarks only. The
 * stock dispatcher finds an object by scanning its whole store on every request (GET by name, and
 * the lookup in every create, update and patch), so at 10^4 objects the mock server, not the
 * controller, sets the pace. This keeps the stock store and every stock code path and only narrows
 * those lookups: instead of testing every stored key against the request, it tests the keys with
 * the request's plural and name — the only ones the stock match can accept (a query naming a plural
 * and a name matches only keys with that plural and name).
 *
 * <p>The index is maintained in {@link #processEvent}, where the stock dispatcher does all its
 * store writes, and checked: the key it records must be in the store, and the index must hold as
 * many keys as the store. When either check fails the index is switched off and every lookup goes
 * back to the stock scan, so the index can make a request faster but never change its answer.
 */
final class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
  private record Key(String plural, String name) {}

  private static final Map.Entry<AttributeSet, String> UNSURE = Map.entry(new AttributeSet(), "");

  private final Map<Key, Set<AttributeSet>> index = new ConcurrentHashMap<>();
  private final AtomicInteger indexed = new AtomicInteger();
  private volatile boolean broken;
  final AtomicLong indexedLookups = new AtomicLong();
  final AtomicLong scans = new AtomicLong();

  /** GET by name: answered from the index when found; anything else goes the stock way. */
  @Override
  public MockResponse handleGet(String path) {
    if (!path.contains("watch=true")) {
      var query = attributeExtractor.fromPath(path);
      if (query.containsKey(KubernetesAttributesExtractor.NAME)) {
        // Outside the dispatcher's lock a write may be half done: only a hit is trusted here.
        var found = lookup(query);
        if (found != null && found != UNSURE) {
          indexedLookups.incrementAndGet();
          return new MockResponse()
              .setResponseCode(HttpURLConnection.HTTP_OK)
              .setBody(found.getValue());
        }
      }
    }
    scans.incrementAndGet();
    return super.handleGet(path);
  }

  /** Called by the create/update/patch handlers under the dispatcher's lock. */
  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
    var found = indexed.get() == map.size() ? lookup(query) : UNSURE;
    if (found == UNSURE) {
      scans.incrementAndGet();
      return super.findResource(query);
    }
    indexedLookups.incrementAndGet();
    return found;
  }

  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    if (oldAttributes != null) {
      var old = key(oldAttributes);
      var set = old == null ? null : index.get(old);
      if (set != null && set.remove(oldAttributes)) {
        indexed.decrementAndGet();
      }
    }
    if (newState != null) {
      // The store key exactly as the stock processEvent computes it; checked right after.
      var extractor = (KubernetesAttributesExtractor) attributeExtractor;
      var attributes =
          resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
      if (!attributes.containsKey(KubernetesAttributesExtractor.PLURAL)) {
        attributes = AttributeSet.merge(pathAttributes, attributes);
      }
      var k = key(attributes);
      if (k == null || !Objects.equals(map.get(attributes), newState)) {
        broken = true;
        return;
      }
      if (index.computeIfAbsent(k, x -> ConcurrentHashMap.newKeySet()).add(attributes)) {
        indexed.incrementAndGet();
      }
    }
    if (indexed.get() != map.size()) {
      broken = true;
    }
  }

  @Override
  public void reset() {
    super.reset();
    index.clear();
    indexed.set(0);
    broken = false;
  }

  /** Whether the index stayed consistent with the store (reported by the benchmarks). */
  boolean consistent() {
    return !broken;
  }

  /**
   * The stored entry matching {@code query}, null when none does, or {@link #UNSURE} when the index
   * cannot tell (no plural and name in the query, index off, or several keys with that plural and
   * name, where the stock scan's answer depends on its store order).
   */
  private Map.Entry<AttributeSet, String> lookup(AttributeSet query) {
    var k = key(query);
    if (k == null || broken) {
      return UNSURE;
    }
    var candidates = index.get(k);
    if (candidates == null || candidates.isEmpty()) {
      return null;
    }
    if (candidates.size() > 1) {
      return UNSURE;
    }
    // The stock scan's test, on the only key that can pass it.
    var candidate = candidates.iterator().next();
    var value = map.get(candidate);
    if (value == null) {
      return UNSURE;
    }
    return candidate.matches(query) ? Map.entry(candidate, value) : null;
  }

  private static Key key(AttributeSet attributes) {
    var plural = value(attributes, KubernetesAttributesExtractor.PLURAL);
    var name = value(attributes, KubernetesAttributesExtractor.NAME);
    return plural == null || name == null ? null : new Key(plural, name);
  }

  private static String value(AttributeSet attributes, String key) {
    var attribute = attributes.getAttribute(key);
    if (attribute == null
        || attribute.getType() != AttributeType.WITH
        || attribute.getValues().size() != 1) {
      return null;
    }
    return attribute.getValues().get(0).toString();
  }
}

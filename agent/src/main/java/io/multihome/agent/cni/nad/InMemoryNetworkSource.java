package io.multihome.agent.cni.nad;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link NetworkSource} held in memory; {@link #setAvailable} simulates the API going away. */
public final class InMemoryNetworkSource implements NetworkSource {

  private final Map<String, Nad> nads = new ConcurrentHashMap<>();
  private volatile boolean available = true;

  public InMemoryNetworkSource put(Nad nad) {
    nads.put(nad.qualifiedName(), nad);
    return this;
  }

  public InMemoryNetworkSource put(String namespace, String name, String config) {
    return put(new Nad(namespace, name, config, Map.of()));
  }

  public void remove(String namespace, String name) {
    nads.remove(namespace + "/" + name);
  }

  public void setAvailable(boolean available) {
    this.available = available;
  }

  @Override
  public Optional<Nad> find(String namespace, String name) {
    if (!available) {
      throw new SourceUnavailableException("network source unavailable (simulated API outage)");
    }
    return Optional.ofNullable(nads.get(namespace + "/" + name));
  }
}

package io.multihome.agent.cni.nad;

import java.util.Optional;

/**
 * Where NADs come from. The cluster wiring backs this with an informer cache (zero API reads on the
 * ADD path); tests use {@link InMemoryNetworkSource}.
 */
public interface NetworkSource {

  /**
   * @return the NAD, or empty if it does not exist
   * @throws SourceUnavailableException when the source cannot answer (API server down, cache not
   *     synced) — distinct from "not found" so the caller can say which
   */
  Optional<Nad> find(String namespace, String name);

  /** The source could not answer. */
  final class SourceUnavailableException extends RuntimeException {
    public SourceUnavailableException(String message) {
      super(message);
    }
  }
}

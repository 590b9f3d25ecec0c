package io.multihome.lab.api;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where {@code kubectl logs} reads from: the pods/log subresource asks the lab's kubelet (the
 * runtime that runs the pods' commands) for a container's output. The API server checks the pod and
 * container exist before it asks.
 */
public interface PodLogs {
  /**
   * What the request asks for (the query parameters of pods/log).
   *
   * @param container the container (resolved by the server: never null)
   * @param follow keep the stream open and append output until the container stops
   * @param tailLines only the last N lines (null: all)
   * @param timestamps prefix each line with its RFC 3339 time
   * @param previous the previous instance of the container
   * @param limitBytes stop after this many bytes (null: no limit)
   */
  record Options(
      String container,
      boolean follow,
      Integer tailLines,
      boolean timestamps,
      boolean previous,
      Long limitBytes) {}

  /**
   * A log the kubelet cannot give (no previous run, an option it does not support): answered with
   * 400 and this message, as the API server relays the kubelet's refusal.
   */
  final class Unavailable extends IOException {
    public Unavailable(String message) {
      super(message);
    }
  }

  /**
   * The container's output, or null when the container has not started (the API server then answers
   * 400 "waiting to start", as for a container that is still being created).
   */
  InputStream open(String namespace, String pod, Options options) throws IOException;
}

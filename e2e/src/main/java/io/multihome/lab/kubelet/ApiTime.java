package io.multihome.lab.kubelet;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps as the API server stores them (RFC 3339, whole seconds, UTC). */
final class ApiTime {
  private ApiTime() {}

  static String format(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static String now() {
    return format(Instant.now());
  }

  /** Parses an API timestamp; null or garbage gives {@code fallback}. */
  static Instant parse(String s, Instant fallback) {
    if (s == null || s.isEmpty()) {
      return fallback;
    }
    try {
      return Instant.parse(s);
    } catch (RuntimeException e) {
      return fallback;
    }
  }
}

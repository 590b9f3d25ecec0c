package io.multihome.lab.api;

import java.util.regex.Pattern;

/**
 * Kubernetes' version priority: GA before beta before alpha, higher numbers first (v2 > v1 >
 * v1beta2 > v1beta1 > v1alpha1), non-Kubernetes version strings last.
 */
final class VersionPriority {
  private static final Pattern K8S = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

  private VersionPriority() {}

  /** Positive when {@code a} is preferred over {@code b}. */
  static int compare(String a, String b) {
    return Long.compare(rank(a), rank(b));
  }

  private static long rank(String v) {
    var m = K8S.matcher(v);
    if (!m.matches()) {
      return 0;
    }
    long major = Long.parseLong(m.group(1));
    int stage = m.group(2) == null ? 3 : m.group(2).equals("beta") ? 2 : 1;
    long minor = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
    return stage * 1_000_000_000L + major * 1_000L + minor;
  }
}

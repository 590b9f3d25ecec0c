package io.multihome.controller.nncp;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.regex.Pattern;

/** {@code spec.maxUnavailable}: how many nodes may be applying a policy at the same time. */
public final class MaxUnavailable {
  /** Upstream default: enough parallelism, never the whole cluster at once. */
  public static final String DEFAULT = "50%";

  private static final Pattern PERCENT = Pattern.compile("\\s*(\\d{1,3})\\s*%\\s*");

  private MaxUnavailable() {}

  /**
   * The limit for {@code nodes} counted nodes: an integer as given, a percentage of {@code nodes}
   * rounded up; at least 1 so a rollout always makes progress. An unparsable value falls back to
   * {@link #DEFAULT}, as upstream does.
   */
  public static int limit(IntOrString value, int nodes) {
    if (value != null && value.getIntVal() != null) {
      return Math.max(1, value.getIntVal());
    }
    var text = value == null || value.getStrVal() == null ? DEFAULT : value.getStrVal();
    var m = PERCENT.matcher(text);
    if (!m.matches()) {
      if (text.strip().matches("\\d{1,9}")) {
        return Math.max(1, Integer.parseInt(text.strip()));
      }
      m = PERCENT.matcher(DEFAULT);
      m.matches();
    }
    int percent = Math.min(100, Integer.parseInt(m.group(1)));
    int ceil = (int) Math.ceil(percent * (double) nodes / 100.0);
    return Math.max(1, ceil);
  }
}

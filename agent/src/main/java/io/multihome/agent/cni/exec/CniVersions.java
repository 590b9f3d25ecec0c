package io.multihome.agent.cni.exec;

import java.util.List;

/** The CNI spec versions understood here and how they order. */
public final class CniVersions {

  public static final List<String> ALL =
      List.of("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");

  private CniVersions() {}

  public static boolean supported(String version) {
    return ALL.contains(version);
  }

  public static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int xi = i < x.length ? parse(x[i]) : 0;
      int yi = i < y.length ? parse(y[i]) : 0;
      if (xi != yi) {
        return Integer.compare(xi, yi);
      }
    }
    return 0;
  }

  public static boolean atLeast(String version, String minimum) {
    return compare(version, minimum) >= 0;
  }

  private static int parse(String part) {
    try {
      return Integer.parseInt(part);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}

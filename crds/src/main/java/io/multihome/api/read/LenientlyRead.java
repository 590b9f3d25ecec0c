package io.multihome.api.read;

/**
 * A custom resource read by {@link LenientResourceDeserializer}: it carries the {@link ReadReport}
 * of the read that produced it. The report is not part of the object's JSON; a copy made by
 * serializing (JOSDK clones resources that way) must be given the original's report.
 */
public interface LenientlyRead {
  /** Not a bean getter on purpose: Jackson and the CRD generator must not see it. */
  ReadReport readReport();

  void readReport(ReadReport report);

  /** Copies {@code from}'s report onto {@code to} when both carry one; returns {@code to}. */
  static <T> T copyReport(Object from, T to) {
    if (from instanceof LenientlyRead a && to instanceof LenientlyRead b && a != b) {
      b.readReport(a.readReport());
    }
    return to;
  }
}

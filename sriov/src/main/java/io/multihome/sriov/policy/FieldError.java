package io.multihome.sriov.policy;

/**
 * One reason an object is rejected, with the path of the offending field in manifest notation (e.g.
 * {@code spec.nicSelector.pfNames[0]}), so users can find what to fix.
 */
public record FieldError(String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}

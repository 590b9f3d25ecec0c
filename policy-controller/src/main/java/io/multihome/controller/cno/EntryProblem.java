package io.multihome.controller.cno;

/**
 * Why entry {@code index} of {@code spec.additionalNetworks} is not rendered; {@code key} ({@code
 * namespace/name}, null when unknown) is the NAD left as it is.
 */
record EntryProblem(int index, String key, String message) {
  @Override
  public String toString() {
    return "spec.additionalNetworks["
        + index
        + "]"
        + (key == null ? "" : " (" + key + ")")
        + ": "
        + message;
  }
}

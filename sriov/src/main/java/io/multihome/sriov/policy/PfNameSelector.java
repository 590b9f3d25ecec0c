package io.multihome.sriov.policy;

import java.util.Optional;

/** One {@code nicSelector.pfNames} entry: a PF name or altname, optionally {@code #first-last}. */
public record PfNameSelector(String name, Optional<VfRange> range) {
  /**
   * @throws IllegalArgumentException with a message fit for a {@link FieldError}
   */
  public static PfNameSelector parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("PF name must not be empty");
    }
    int hash = text.indexOf('#');
    if (hash < 0) {
      return new PfNameSelector(text, Optional.empty());
    }
    if (text.indexOf('#', hash + 1) >= 0) {
      throw new IllegalArgumentException("\"" + text + "\" must contain at most one '#'");
    }
    if (hash == 0) {
      throw new IllegalArgumentException("\"" + text + "\" has a VF range but no PF name");
    }
    return new PfNameSelector(
        text.substring(0, hash), Optional.of(VfRange.parse(text.substring(hash + 1))));
  }
}

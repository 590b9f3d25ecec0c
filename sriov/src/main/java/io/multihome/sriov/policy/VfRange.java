package io.multihome.sriov.policy;

/** An inclusive VF index range, written {@code first-last} as in pfNames and vfGroups. */
public record VfRange(int first, int last) {
  public VfRange {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException(
          "range " + first + "-" + last + " must have 0 <= first <= last");
    }
  }

  /** All VFs of a PF with {@code numVfs} VFs. */
  public static VfRange all(int numVfs) {
    return new VfRange(0, numVfs - 1);
  }

  /**
   * @throws IllegalArgumentException with a message fit for a {@link FieldError}
   */
  public static VfRange parse(String text) {
    String[] parts = text.split("-", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("VF range \"" + text + "\" must be <first>-<last>");
    }
    try {
      return new VfRange(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "VF range \"" + text + "\" must be two non-negative integers <first>-<last>");
    }
  }

  public boolean contains(int vf) {
    return vf >= first && vf <= last;
  }

  public boolean overlaps(VfRange other) {
    return first <= other.last && other.first <= last;
  }

  @Override
  public String toString() {
    return first + "-" + last;
  }
}

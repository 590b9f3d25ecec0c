package io.multihome.sriov.policy;

import io.multihome.api.read.MetaMaps;
import io.multihome.api.sriov.InterfaceExt;
import io.multihome.api.sriov.NicSelector;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Upstream's selection rules: nodeSelector is equality AND; every set nicSelector field must match.
 */
public final class NicMatcher {
  private NicMatcher() {}

  /**
   * Equality AND over the selector's entries. Null values on either side (a merge-patch removal in
   * a lenient store) mean "no such key": a selector entry removed that way selects nothing, and a
   * label removed that way no longer matches.
   */
  public static boolean selectsNode(Map<String, String> nodeSelector, Map<String, String> labels) {
    if (nodeSelector == null) {
      return false;
    }
    var present = MetaMaps.present(labels);
    return MetaMaps.present(nodeSelector).entrySet().stream()
        .allMatch(e -> Objects.equals(present.get(e.getKey()), e.getValue()));
  }

  public static boolean isEmpty(NicSelector s) {
    return s == null
        || (isBlank(s.getVendor())
            && isBlank(s.getDeviceID())
            && isNullOrEmpty(s.getRootDevices())
            && isNullOrEmpty(s.getPfNames())
            && isBlank(s.getNetFilter()));
  }

  /** An empty selector matches nothing, so a half-written policy cannot grab every NIC. */
  public static boolean matches(NicSelector s, InterfaceExt pf) {
    if (isEmpty(s)) {
      return false;
    }
    if (!isBlank(s.getVendor()) && !s.getVendor().equalsIgnoreCase(nz(pf.getVendor()))) {
      return false;
    }
    if (!isBlank(s.getDeviceID()) && !s.getDeviceID().equalsIgnoreCase(nz(pf.getDeviceID()))) {
      return false;
    }
    if (!isNullOrEmpty(s.getRootDevices()) && !s.getRootDevices().contains(pf.getPciAddress())) {
      return false;
    }
    if (!isNullOrEmpty(s.getPfNames()) && pfNameSelector(s, pf).isEmpty()) {
      return false;
    }
    return isBlank(s.getNetFilter()) || netFilterMatches(s.getNetFilter(), pf.getNetFilter());
  }

  /** The pfNames entry naming this PF by name or altname, if any (unparseable entries skipped). */
  public static Optional<PfNameSelector> pfNameSelector(NicSelector s, InterfaceExt pf) {
    if (s == null || s.getPfNames() == null) {
      return Optional.empty();
    }
    for (String entry : s.getPfNames()) {
      PfNameSelector sel;
      try {
        sel = PfNameSelector.parse(entry);
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (namesPf(sel.name(), pf)) {
        return Optional.of(sel);
      }
    }
    return Optional.empty();
  }

  public static boolean namesPf(String name, InterfaceExt pf) {
    return name.equals(pf.getName())
        || (pf.getAltNames() != null && pf.getAltNames().contains(name));
  }

  /** {@code openstack/NetworkID:<id>}: provider and id must both be equal. */
  static boolean netFilterMatches(String filter, String value) {
    if (value == null) {
      return false;
    }
    String[] f = filter.strip().split(":", 2);
    String[] v = value.strip().split(":", 2);
    return f.length == 2
        && v.length == 2
        && f[0].strip().equals(v[0].strip())
        && f[1].strip().equals(v[1].strip());
  }

  static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  static boolean isNullOrEmpty(List<?> l) {
    return l == null || l.isEmpty();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}

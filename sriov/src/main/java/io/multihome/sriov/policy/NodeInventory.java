package io.multihome.sriov.policy;

import io.multihome.api.read.MetaMaps;
import io.multihome.api.sriov.InterfaceExt;
import java.util.List;
import java.util.Map;

/**
 * A node as policies see it: its labels and the PFs its agent reported in the node state. A label
 * with a null value (left by a merge-patch removal) is absent.
 */
public record NodeInventory(String name, Map<String, String> labels, List<InterfaceExt> pfs) {
  public NodeInventory {
    labels = MetaMaps.present(labels);
    pfs = pfs == null ? List.of() : List.copyOf(pfs);
  }
}

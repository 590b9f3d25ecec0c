package io.multihome.sriov.policy;

import io.multihome.api.sriov.InterfaceExt;
import java.util.List;
import java.util.Map;

/** A node as policies see it: its labels and the PFs its agent reported in the node state. */
public record NodeInventory(String name, Map<String, String> labels, List<InterfaceExt> pfs) {
  public NodeInventory {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    pfs = pfs == null ? List.of() : List.copyOf(pfs);
  }
}

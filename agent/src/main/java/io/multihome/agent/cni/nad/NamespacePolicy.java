package io.multihome.agent.cni.nad;

import java.util.Set;

/**
 * Which namespaces a pod may take NADs from. Off by default (as in Multus): any namespace. With
 * isolation on, only the pod's own namespace and the global ones ({@code default} unless configured
 * otherwise; if configured, {@code default} must be listed to stay global).
 */
public record NamespacePolicy(boolean isolation, Set<String> globalNamespaces) {

  public NamespacePolicy {
    globalNamespaces = Set.copyOf(globalNamespaces);
  }

  public static NamespacePolicy open() {
    return new NamespacePolicy(false, Set.of("default"));
  }

  public static NamespacePolicy isolated(Set<String> globalNamespaces) {
    return new NamespacePolicy(true, globalNamespaces);
  }

  public boolean allows(String podNamespace, String nadNamespace) {
    return !isolation
        || podNamespace.equals(nadNamespace)
        || globalNamespaces.contains(nadNamespace);
  }
}

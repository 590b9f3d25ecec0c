package io.multihome.lab;

import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.LinkSpec;
import io.multihome.agent.netlink.NamedNetns;
import io.multihome.agent.netlink.NetNs;
import io.multihome.agent.netlink.RtNetlink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's wiring: one network namespace per node plus a fabric namespace holding the bridge
 * {@code fabric}. Each node's secondary NIC {@code eth1} is one end of a veth whose other end is a
 * port of that bridge, so the nodes share one L2 segment as if cabled to a switch. Nothing here
 * touches the root namespace: veths are created inside the fabric namespace and one end is moved.
 */
public final class LabFabric implements AutoCloseable {
  public static final String PREFIX = "mh-lab-";
  public static final String NIC = "eth1";
  static final String BRIDGE = "fabric";

  private static final Logger log = LoggerFactory.getLogger(LabFabric.class);

  private final String id;
  private final List<String> created = new ArrayList<>();
  private final List<String> nodeNamespaces = new ArrayList<>();

  private LabFabric(String id) {
    this.id = id;
  }

  /** Creates the fabric and {@code nodes} node namespaces; undoes everything if a step fails. */
  public static LabFabric create(int nodes) {
    if (nodes < 1 || nodes > 64) {
      throw new IllegalArgumentException("--nodes: " + nodes + " out of 1..64");
    }
    var fabric = new LabFabric(UUID.randomUUID().toString().substring(0, 6));
    try {
      fabric.build(nodes);
      return fabric;
    } catch (RuntimeException e) {
      fabric.close();
      throw e;
    }
  }

  private void build(int nodes) {
    String fabricNs = fabricNamespace();
    newNamespace(fabricNs);
    try (var nl = RtNetlink.openNamed(fabricNs)) {
      nl.links().add(LinkSpec.of(BRIDGE, LinkKind.Bridge.defaults()).withUp(true));
      for (int k = 1; k <= nodes; k++) {
        String nodeNs = PREFIX + id + "-node" + k;
        newNamespace(nodeNs);
        nodeNamespaces.add(nodeNs);
        // Kernel names are at most 15 bytes: "n<k>" on the fabric side keeps them short.
        String port = "n" + k;
        nl.links().add(LinkSpec.of(port, LinkKind.Veth.peer(NIC)));
        try (var target = NetNs.named(nodeNs)) {
          nl.links().moveToNetns(NIC, target);
        }
        nl.links().setMaster(port, BRIDGE);
        nl.links().setUp(port);
        try (var node = RtNetlink.openNamed(nodeNs)) {
          node.links().setUp("lo");
          node.links().setUp(NIC);
        }
      }
    }
  }

  private void newNamespace(String name) {
    NamedNetns.create(name);
    created.add(name);
  }

  /** The random part shared by every namespace of this lab. */
  public String id() {
    return id;
  }

  public String fabricNamespace() {
    return PREFIX + id + "-fabric";
  }

  /** Node namespaces in node order (node1 first). */
  public List<String> nodeNamespaces() {
    return List.copyOf(nodeNamespaces);
  }

  /** Deletes every namespace this lab created (their veths and bridges go with them). */
  @Override
  public synchronized void close() {
    var namespaces = new ArrayList<>(created);
    Collections.reverse(namespaces);
    for (var ns : namespaces) {
      try {
        NamedNetns.delete(ns);
        created.remove(ns);
      } catch (RuntimeException e) {
        log.warn("deleting namespace {}: {}", ns, e.toString());
      }
    }
  }
}

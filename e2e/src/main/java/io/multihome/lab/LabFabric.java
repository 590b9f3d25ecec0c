package io.multihome.lab;

import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.LinkSpec;
import io.multihome.agent.netlink.NamedNetns;
import io.multihome.agent.netlink.NetNs;
import io.multihome.agent.netlink.Route;
import io.multihome.agent.netlink.RtNetlink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's wiring: one network namespace per node plus a fabric namespace holding the bridge
 * {@code fabric}. Each node's secondary NIC {@code eth1} is one end of a veth whose other end is a
 * port of that bridge, so the nodes share one L2 segment as if cabled to a switch. Optionally each
 * node also gets a primary NIC {@code eth0} on a second bridge {@code mgmt} that holds the nodes'
 * default gateway {@value #GATEWAY} (so the agents' gateway probe has a real target), and an {@code
 * ens1f0} cabled to {@code fabric} that stands in for an SR-IOV PF. Nothing here touches the root
 * namespace: veths are created inside the fabric namespace and one end is moved.
 */
public final class LabFabric implements AutoCloseable {
  public static final String PREFIX = "mh-lab-";
  public static final String NIC = "eth1";

  /** The primary NIC (with {@link #withPrimaryNics}): node address and default route. */
  public static final String PRIMARY_NIC = "eth0";

  /** The NIC standing in for an SR-IOV PF (with {@link #withSriovNics}). */
  public static final String SRIOV_PF = "ens1f0";

  /** The nodes' default gateway, on bridge {@code mgmt} in the fabric namespace. */
  public static final String GATEWAY = "198.18.0.254";

  static final String BRIDGE = "fabric";
  static final String MGMT_BRIDGE = "mgmt";

  private static final Logger log = LoggerFactory.getLogger(LabFabric.class);

  private final String id;
  private final boolean primaryNics;
  private final boolean sriovNics;
  private final List<String> created = new ArrayList<>();
  private static final Path NETNS_ETC = Path.of("/etc/netns");
  private final List<Path> resolverDirs = new ArrayList<>();
  private final List<String> nodeNamespaces = new ArrayList<>();

  private LabFabric(String id, boolean primaryNics, boolean sriovNics) {
    this.id = id;
    this.primaryNics = primaryNics;
    this.sriovNics = sriovNics;
  }

  /** Creates the fabric and {@code nodes} node namespaces; undoes everything if a step fails. */
  public static LabFabric create(int nodes) {
    return create(nodes, false, false);
  }

  /**
   * As {@link #create(int)}; {@code primaryNics} adds {@code eth0} with the node's address ({@link
   * #nodeAddress}) and a default route via {@link #GATEWAY}, {@code sriovNics} adds {@code ens1f0}
   * cabled to the fabric bridge.
   */
  public static LabFabric create(int nodes, boolean primaryNics, boolean sriovNics) {
    if (nodes < 1 || nodes > 64) {
      throw new IllegalArgumentException("--nodes: " + nodes + " out of 1..64");
    }
    var fabric =
        new LabFabric(UUID.randomUUID().toString().substring(0, 6), primaryNics, sriovNics);
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
      nl.links().setUp("lo");
      nl.links().add(LinkSpec.of(BRIDGE, LinkKind.Bridge.defaults()).withUp(true));
      if (primaryNics) {
        // The gateway answers ARP only on mgmt: without this the fabric namespace would answer
        // for 198.18.0.254 on any bridge (Linux's weak host model), and a route to the gateway
        // through the secondary fabric would still work.
        sysctl(fabricNs, "net.ipv4.conf.all.arp_ignore=1");
        nl.links().add(LinkSpec.of(MGMT_BRIDGE, LinkKind.Bridge.defaults()).withUp(true));
        nl.addresses().add(nl.links().get(MGMT_BRIDGE).index(), IpPrefix.parse(GATEWAY + "/24"));
      }
      for (int k = 1; k <= nodes; k++) {
        String nodeNs = PREFIX + id + "-node" + k;
        newNamespace(nodeNs);
        nodeNamespaces.add(nodeNs);
        ownResolver(nodeNs);
        // Kernel names are at most 15 bytes: "n<k>" on the fabric side keeps them short.
        cable(nl, "n" + k, NIC, BRIDGE, nodeNs);
        if (primaryNics) {
          cable(nl, "m" + k, PRIMARY_NIC, MGMT_BRIDGE, nodeNs);
        }
        if (sriovNics) {
          cable(nl, "s" + k, SRIOV_PF, BRIDGE, nodeNs);
        }
        try (var node = RtNetlink.openNamed(nodeNs)) {
          node.links().setUp("lo");
          node.links().setUp(NIC);
          if (primaryNics) {
            node.links().setUp(PRIMARY_NIC);
            node.addresses()
                .add(node.links().get(PRIMARY_NIC).index(), IpPrefix.parse(nodeAddress(k) + "/24"));
            node.routes()
                .add(
                    Route.to(IpPrefix.parse("0.0.0.0/0"))
                        .via(IpPrefix.parseAddress(GATEWAY))
                        .dev(node.links().get(PRIMARY_NIC).index()));
          }
          if (sriovNics) {
            node.links().setUp(SRIOV_PF);
          }
        }
      }
    }
  }

  /**
   * A veth {@code port}/{@code nic}: {@code port} joins {@code bridge}, {@code nic} goes to node.
   */
  private static void cable(RtNetlink nl, String port, String nic, String bridge, String nodeNs) {
    nl.links().add(LinkSpec.of(port, LinkKind.Veth.peer(nic)));
    try (var target = NetNs.named(nodeNs)) {
      nl.links().moveToNetns(nic, target);
    }
    nl.links().setMaster(port, bridge);
    nl.links().setUp(port);
  }

  /** {@code sysctl -w} inside a namespace this lab created (iproute2's netns exec). */
  private static void sysctl(String netns, String setting) {
    try {
      var p =
          new ProcessBuilder("ip", "netns", "exec", netns, "sysctl", "-q", "-w", setting)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("sysctl " + setting + " in " + netns + ": " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The primary address of node {@code k} (1-based): 198.18.0.k. */
  public static String nodeAddress(int k) {
    return "198.18.0." + k;
  }

  public boolean hasPrimaryNics() {
    return primaryNics;
  }

  public boolean hasSriovNics() {
    return sriovNics;
  }

  private synchronized void newNamespace(String name) {
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

  /**
   * A pod sandbox's network namespace {@code mh-lab-<id>-pod-<suffix>} (loopback up), deleted with
   * the lab unless {@link #deleteNamespace} removed it first.
   */
  public synchronized String newPodNamespace(String suffix) {
    String name = PREFIX + id + "-pod-" + suffix;
    newNamespace(name);
    try (var nl = RtNetlink.openNamed(name)) {
      nl.links().setUp("lo");
    }
    return name;
  }

  /** Deletes one namespace this lab created (a pod sandbox's). */
  public synchronized void deleteNamespace(String name) {
    if (created.remove(name)) {
      NamedNetns.delete(name);
    }
  }

  /**
   * Gives a node namespace its own resolver file ({@code /etc/netns/NS/resolv.conf}, what {@code ip
   * netns exec} and the engine read for it) naming the lab's gateway. Without it the namespace
   * would see the host's resolv.conf, and the agent's DNS probe would send queries to the host's
   * resolver address from inside the lab; this way every query stays on 198.18.0.0/15 (nothing
   * answers there, so the probe is found failing before a change and not required).
   */
  private void ownResolver(String ns) {
    Path dir = NETNS_ETC.resolve(ns);
    try {
      Files.createDirectories(dir);
      resolverDirs.add(dir);
      Files.writeString(dir.resolve("resolv.conf"), "nameserver " + GATEWAY + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    for (var dir : List.copyOf(resolverDirs)) {
      try {
        Files.deleteIfExists(dir.resolve("resolv.conf"));
        Files.deleteIfExists(dir);
        resolverDirs.remove(dir);
      } catch (IOException e) {
        log.warn("deleting {}: {}", dir, e.toString());
      }
    }
  }
}

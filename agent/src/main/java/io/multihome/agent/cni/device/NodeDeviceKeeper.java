package io.multihome.agent.cni.device;

import io.multihome.agent.cni.Delegate;
import io.multihome.agent.cni.exec.CniException;
import io.multihome.agent.netlink.BridgePortOptions;
import io.multihome.agent.netlink.HwAddr;
import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.LinkOps;
import io.multihome.agent.netlink.NetNs;
import io.multihome.agent.netlink.NetlinkException;
import io.multihome.agent.netlink.RtNetlink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives node devices back as they were when an attachment that moved one into a pod ends (DEL) or
 * fails (ADD rollback). The plugins do part of it: the reference host-device plugin moves the
 * device back under its original name but leaves it down, outside the bridge it was a port of, and
 * does nothing at all when its IPAM DEL fails first; the sriov attachment gives the VF netdev back
 * down. So before ADD the daemon records name, MAC, MTU, up/down, master and bridge port options,
 * and after the plugins' DEL it puts back what differs — moving the device out of the pod itself
 * when the plugin did not.
 */
public final class NodeDeviceKeeper {

  private static final Logger LOG = LoggerFactory.getLogger(NodeDeviceKeeper.class);

  private final Supplier<NetNs> nodeNamespace;
  private final Path sysfsRoot;
  private final Function<String, Optional<String>> vfNetdevs;

  /**
   * @param nodeNamespace opens the namespace the plugins take devices from (the node's)
   * @param sysfsRoot where {@code kernelpath} / PCI-addressed host devices are looked up
   * @param vfNetdevs a VF's netdev name by PCI address (the sriov attachment's locator)
   */
  public NodeDeviceKeeper(
      Supplier<NetNs> nodeNamespace, Path sysfsRoot, Function<String, Optional<String>> vfNetdevs) {
    this.nodeNamespace = nodeNamespace;
    this.sysfsRoot = sysfsRoot;
    this.vfNetdevs = vfNetdevs;
  }

  /**
   * The node device each delegate is about to take, index-aligned with {@code delegates} (null
   * where it takes none, or where the device is not in the node: the plugin will say so).
   */
  public List<NodeDevice> snapshot(List<Delegate> delegates) throws CniException {
    var devices = new ArrayList<NodeDevice>();
    boolean any = false;
    var selectors = new ArrayList<Optional<DeviceSelector>>();
    for (Delegate d : delegates) {
      var selector = DeviceSelector.of(d);
      selectors.add(selector);
      any |= selector.isPresent();
    }
    if (!any) {
      delegates.forEach(d -> devices.add(null));
      return devices;
    }
    try (NetNs node = nodeNamespace.get();
        RtNetlink nl = RtNetlink.open(node)) {
      List<Link> links = nl.links().list();
      for (var selector : selectors) {
        devices.add(selector.flatMap(s -> find(s, links)).map(l -> record(l, links)).orElse(null));
      }
    } catch (NetlinkException e) {
      throw new CniException(
          CniException.IO_FAILURE, "cannot read the node's devices: " + e.getMessage());
    }
    return devices;
  }

  private static NodeDevice record(Link link, List<Link> links) {
    String master =
        link.masterIndex() == null
            ? null
            : links.stream()
                .filter(l -> l.index() == link.masterIndex())
                .map(Link::name)
                .findFirst()
                .orElse(null);
    return NodeDevice.of(link, master);
  }

  private Optional<Link> find(DeviceSelector selector, List<Link> links) {
    return switch (selector.kind()) {
      case NAME -> byName(links, selector.value());
      case MAC -> {
        HwAddr mac = parseMac(selector.value());
        yield links.stream().filter(l -> mac != null && mac.equals(l.mac())).findFirst();
      }
      case KERNEL_PATH -> netdevUnder(Path.of(selector.value())).flatMap(n -> byName(links, n));
      case PCI_ADDRESS ->
          netdevUnder(sysfsRoot.resolve("bus/pci/devices").resolve(selector.value()))
              .flatMap(n -> byName(links, n));
      case VF_PCI_ADDRESS -> vfNetdevs.apply(selector.value()).flatMap(n -> byName(links, n));
    };
  }

  private static Optional<Link> byName(List<Link> links, String name) {
    return links.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  private static HwAddr parseMac(String text) {
    try {
      return HwAddr.parse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The netdev name under a sysfs device directory ({@code <dir>/net/<name>}). */
  private static Optional<String> netdevUnder(Path device) {
    Path net = device.resolve("net");
    if (!Files.isDirectory(net)) {
      return Optional.empty();
    }
    try (Stream<Path> names = Files.list(net)) {
      return names.map(p -> p.getFileName().toString()).sorted().findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Puts {@code device} back in the node as recorded. Called after the plugins' DEL, whatever it
   * did.
   *
   * @param podNetns the sandbox (may be empty or gone: then only the node side is repaired)
   * @param ifname the device's name inside the pod
   * @throws CniException when the device cannot be found or a setting is refused
   */
  public void restore(NodeDevice device, String podNetns, String ifname) throws CniException {
    try (NetNs node = nodeNamespace.get();
        RtNetlink nl = RtNetlink.open(node)) {
      LinkOps links = nl.links();
      if (links.find(device.name()).isEmpty()) {
        bringBack(device, podNetns, ifname, nl, node);
      }
      Optional<Link> link = links.find(device.name());
      if (link.isEmpty()) {
        if (!sandboxExists(podNetns)) {
          // A deleted sandbox takes virtual devices with it and hands physical ones to the
          // initial namespace; neither comes back here, and no retry can change that.
          LOG.warn(
              "node device {} ({} in the pod) did not come back: its sandbox is gone",
              device.name(),
              ifname);
          return;
        }
        throw new CniException(
            CniException.IO_FAILURE,
            "node device "
                + device.name()
                + " is neither in the node nor in the pod ("
                + ifname
                + "): cannot give it back");
      }
      applySettings(device, link.get(), nl);
    } catch (NetlinkException e) {
      throw new CniException(
          CniException.IO_FAILURE,
          "giving node device " + device.name() + " back: " + e.getMessage());
    }
  }

  /**
   * The device is not in the node under its name: the plugin left it in the pod (its DEL failed
   * before moving it out), or it came back under another name (a rename failed).
   */
  private void bringBack(
      NodeDevice device, String podNetns, String ifname, RtNetlink nl, NetNs node)
      throws CniException {
    HwAddr mac = device.mac() == null ? null : HwAddr.parse(device.mac());
    if (sandboxExists(podNetns)) {
      try (NetNs pod = NetNs.path(podNetns);
          RtNetlink inPod = RtNetlink.open(pod)) {
        Optional<Link> found = inPod.links().find(ifname);
        if (found.isEmpty()) {
          found = inPod.links().find(device.name());
        }
        if (found.isPresent()) {
          String name = found.get().name();
          LOG.info("moving {} ({} in the pod) back to the node", device.name(), name);
          inPod.links().setDown(name);
          // A temporary name: the pod may hold another interface named like the node device.
          String temporary = "mhr" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
          inPod.links().rename(name, temporary);
          inPod.links().moveToNetns(temporary, node);
          nl.links().rename(temporary, device.name());
          return;
        }
      } catch (NetlinkException e) {
        LOG.info(
            "pod namespace {} unusable ({}); looking in the node only", podNetns, e.getMessage());
      }
    }
    if (mac != null) {
      for (Link link : nl.links().list()) {
        if (mac.equals(link.mac())
            && !link.name().equals(device.name())
            && isMovedName(link, ifname)) {
          nl.links().setDown(link.name());
          nl.links().rename(link.name(), device.name());
          return;
        }
      }
    }
  }

  private static boolean sandboxExists(String podNetns) {
    return podNetns != null && !podNetns.isEmpty() && Files.exists(Path.of(podNetns));
  }

  // Only a device under the pod's name or one of our temporary names is taken for ours: a bridge
  // or a macvlan on the device shares its MAC and must not be renamed.
  private static boolean isMovedName(Link link, String ifname) {
    return link.name().equals(ifname) || link.name().startsWith("mhr");
  }

  private static void applySettings(NodeDevice device, Link link, RtNetlink nl)
      throws CniException {
    LinkOps links = nl.links();
    String name = device.name();
    if (device.mac() != null && !HwAddr.parse(device.mac()).equals(link.mac())) {
      if (link.isUp()) {
        links.setDown(name);
      }
      links.setMac(name, HwAddr.parse(device.mac()));
    }
    if (device.mtu() > 0 && link.mtu() != device.mtu()) {
      links.setMtu(name, device.mtu());
    }
    Link now = links.get(name);
    String master = now.masterIndex() == null ? null : links.get(now.masterIndex()).name();
    CniException problem = null;
    if (device.master() != null && !device.master().equals(master)) {
      if (links.find(device.master()).isPresent()) {
        links.setMaster(name, device.master());
      } else {
        problem =
            new CniException(
                CniException.IO_FAILURE,
                "node device "
                    + name
                    + " is back, but the bridge it was a port of, "
                    + device.master()
                    + ", is gone");
      }
    } else if (device.master() == null && master != null) {
      links.setNoMaster(name);
    }
    if (device.port() != null && problem == null) {
      BridgePortOptions wanted = withoutState(device.port());
      BridgePortOptions current = links.get(name).bridgePort();
      if (current == null || !wanted.equals(withoutState(current))) {
        links.setBridgePort(name, wanted);
      }
    }
    boolean up = links.get(name).isUp();
    if (device.up() && !up) {
      links.setUp(name);
    } else if (!device.up() && up) {
      links.setDown(name);
    }
    if (problem != null) {
      throw problem;
    }
  }

  // The STP port state belongs to the kernel (and cannot be set with STP on).
  private static BridgePortOptions withoutState(BridgePortOptions o) {
    return new BridgePortOptions(
        null,
        o.priority(),
        o.cost(),
        o.hairpin(),
        o.guard(),
        o.rootBlock(),
        o.fastLeave(),
        o.learning(),
        o.unicastFlood());
  }
}

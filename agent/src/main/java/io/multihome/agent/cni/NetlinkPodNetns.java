package io.multihome.agent.cni;

import io.multihome.agent.cni.exec.CniException;
import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.NetNs;
import io.multihome.agent.netlink.NetlinkException;
import io.multihome.agent.netlink.RtNetlink;
import java.util.HashSet;
import java.util.Set;

/**
 * {@link PodNetns} over the agent's own rtnetlink: the interface listing every ADD makes is one
 * netlink dump in the pod namespace instead of an {@code nsenter ip} process (~10 ms of the
 * daemon's time, docs/benchmarks.md). The default route, set only when a pod asks for it, still
 * goes through iproute2: it needs an {@code onlink} route, which the netlink package does not
 * encode.
 */
public final class NetlinkPodNetns implements PodNetns {

  private final PodNetns iproute2 = new IpCommandPodNetns();

  @Override
  public Set<String> linkNames(String netns) throws CniException {
    try (NetNs pod = NetNs.path(netns);
        RtNetlink nl = RtNetlink.open(pod)) {
      var names = new HashSet<String>();
      for (Link link : nl.links().list()) {
        names.add(link.name());
      }
      return names;
    } catch (NetlinkException e) {
      throw new CniException(
          CniException.IO_FAILURE, "cannot list interfaces in " + netns + ": " + e.getMessage());
    }
  }

  @Override
  public void replaceDefaultRoute(String netns, String gateway, String ifname) throws CniException {
    iproute2.replaceDefaultRoute(netns, gateway, ifname);
  }

  @Override
  public void removeDefaultRoutes(String netns, String ifname) throws CniException {
    iproute2.removeDefaultRoutes(netns, ifname);
  }
}

package io.multihome.agent.cni.sriov;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.NetNs;
import io.multihome.agent.netlink.Route;
import io.multihome.agent.netlink.RtNetlink;
import java.net.InetAddress;

/**
 * Puts an IPAM result on an interface inside the pod namespace, as libcni's {@code
 * ipam.ConfigureIface} does: every address, then every route (its own gateway, else the gateway of
 * the address of the same family).
 */
final class PodInterfaceConfigurator {

  void configure(String netns, String ifname, JsonNode ipamResult) {
    try (NetNs pod = NetNs.path(netns);
        RtNetlink nl = RtNetlink.open(pod)) {
      int index = nl.links().get(ifname).index();
      InetAddress gw4 = null;
      InetAddress gw6 = null;
      for (JsonNode ip : ipamResult.path("ips")) {
        nl.addresses().add(index, IpPrefix.parse(ip.path("address").asText()));
        if (ip.hasNonNull("gateway")) {
          InetAddress gw = IpPrefix.parseAddress(ip.get("gateway").asText());
          if (gw.getAddress().length == 4) {
            gw4 = gw;
          } else {
            gw6 = gw;
          }
        }
      }
      for (JsonNode r : ipamResult.path("routes")) {
        IpPrefix dst = IpPrefix.parse(r.path("dst").asText());
        InetAddress gw =
            r.hasNonNull("gw")
                ? IpPrefix.parseAddress(r.get("gw").asText())
                : (dst.family() == IpPrefix.parse("0.0.0.0/0").family() ? gw4 : gw6);
        Route route = Route.to(dst).dev(index);
        nl.routes().add(gw == null ? route : route.via(gw));
      }
    }
  }
}

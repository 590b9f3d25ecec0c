package io.multihome.agent.cluster.proxy;

import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.NetNs;
import io.multihome.agent.netlink.NetlinkException;
import io.multihome.agent.netlink.Route;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.agent.netlink.Rtnl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Puts {@link PodRules} into a pod's network namespace. nftables through the {@code nft} binary
 * ({@code nsenter --net=NS nft -f -}): the whole table is replaced in one transaction, so a
 * connection never sees half a ruleset, and the nf_tables netlink protocol (expressions, sets,
 * batches) would be a second large codec to keep for what one process call per change does. Routes
 * through the agent's rtnetlink, marked with our own route protocol so stale ones are found again
 * after a restart.
 */
public class NetnsProgrammer {

  /** {@code rtm_protocol} of the cluster-IP routes (unassigned in iproute2's rt_protos). */
  public static final int ROUTE_PROTOCOL = 203;

  public void apply(String netns, PodRules rules) throws IOException {
    apply(netns, rules, null);
  }

  /**
   * As {@link #apply(String, PodRules)}; the routes are left alone when {@code previous} (what the
   * namespace holds) has the same ones — an endpoint change only touches the table.
   */
  public void apply(String netns, PodRules rules, PodRules previous) throws IOException {
    nft(netns, rules.nftScript().isEmpty() ? ServiceRules.removal() : rules.nftScript());
    if (previous == null || !previous.routes().equals(rules.routes())) {
      routes(netns, rules.routes());
    }
  }

  /** Removes the table and our routes (the namespace may already be gone: then nothing to do). */
  public void remove(String netns) throws IOException {
    if (!java.nio.file.Files.exists(java.nio.file.Path.of(netns))) {
      return;
    }
    apply(netns, PodRules.NONE);
  }

  void nft(String netns, String script) throws IOException {
    var p =
        new ProcessBuilder("nsenter", "--net=" + netns, "nft", "-f", "-")
            .redirectErrorStream(true)
            .start();
    try (var in = p.getOutputStream()) {
      in.write(script.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("nft in " + netns + " did not finish within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running nft in " + netns);
    }
    if (p.exitValue() != 0) {
      throw new IOException("nft in " + netns + " failed: " + out);
    }
  }

  private void routes(String netns, List<PodRules.ClusterIpRoute> wanted) throws IOException {
    try (NetNs ns = NetNs.path(netns);
        RtNetlink nl = RtNetlink.open(ns)) {
      Map<String, Integer> index = new HashMap<>();
      for (Link l : nl.links().list()) {
        index.put(l.name(), l.index());
      }
      List<String> keep = new ArrayList<>();
      for (var r : wanted) {
        Integer oif = index.get(r.ifname());
        if (oif == null) {
          continue; // the interface is gone: the next sync (attachment removed) clears the rest
        }
        IpPrefix dst = IpPrefix.parse(r.clusterIp());
        nl.routes()
            .replace(
                new Route(
                    dst.family(),
                    dst,
                    null,
                    null,
                    oif,
                    Rtnl.Rta.TABLE_MAIN,
                    null,
                    Rtnl.Rta.SCOPE_LINK,
                    Rtnl.Rta.TYPE_UNICAST,
                    ROUTE_PROTOCOL,
                    IpPrefix.parseAddress(r.source()),
                    null,
                    Route.Metrics.NONE,
                    null));
        keep.add(dst.toString());
      }
      for (int family : List.of(Rtnl.AF_INET, Rtnl.AF_INET6)) {
        for (Route r : nl.routes().list(family, Rtnl.Rta.TABLE_MAIN)) {
          if (r.protocol() == ROUTE_PROTOCOL
              && r.dst() != null
              && !keep.contains(r.dst().toString())) {
            nl.routes().delete(r);
          }
        }
      }
    } catch (NetlinkException | IllegalArgumentException e) {
      throw new IOException("routes in " + netns + ": " + e.getMessage(), e);
    }
  }
}

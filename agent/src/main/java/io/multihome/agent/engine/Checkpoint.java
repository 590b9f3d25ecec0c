package io.multihome.agent.engine;

import io.multihome.agent.netlink.BridgeVlan;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.Route;
import io.multihome.agent.netlink.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a plan is about to change, recorded before its first change: the links it creates (to
 * delete), every touched link that exists with all its attributes and addresses (to recreate or
 * revert), all routes and rules of the namespace (restored by difference) and, when the plan writes
 * DNS, the resolver file as it was ({@code dns}, else null). {@code deadline} (epoch ms) is the
 * dead-man switch: after it, any {@code multihome} start rolls back.
 */
public record Checkpoint(
    int version,
    String netns,
    long createdAt,
    long deadline,
    List<String> created,
    List<SavedLink> links,
    List<SavedRoute> routes,
    List<SavedRule> rules,
    ResolvConfFile.Saved dns,
    List<SriovCheckpoint.SavedPf> sriov,
    OvsCheckpoint.Saved ovs,
    List<MptcpPlanner.SavedEndpoint> mptcp,
    ExtrasCheckpoint extras) {

  /**
   * {@code sriov}: the PFs whose VFs the plan changes; {@code ovs}: the OVSDB rows it changes (both
   * null in checkpoints written before); {@code mptcp}: the MPTCP endpoints, when the plan changes
   * them (else null); {@code extras}: files, host name, alternative names, ethtool and driver
   * autoprobe (null in checkpoints written before).
   */
  public Checkpoint {}

  public Checkpoint withMptcp(List<MptcpPlanner.SavedEndpoint> endpoints) {
    return new Checkpoint(
        version, netns, createdAt, deadline, created, links, routes, rules, dns, sriov, ovs,
        endpoints, extras);
  }

  public boolean expired(long now) {
    return now >= deadline;
  }

  public Checkpoint withDeadline(long newDeadline) {
    return new Checkpoint(
        version,
        netns,
        createdAt,
        newDeadline,
        created,
        links,
        routes,
        rules,
        dns,
        sriov,
        ovs,
        mptcp,
        extras);
  }

  public Checkpoint withSriov(List<SriovCheckpoint.SavedPf> pfs) {
    return new Checkpoint(
        version, netns, createdAt, deadline, created, links, routes, rules, dns, pfs, ovs, mptcp,
        extras);
  }

  public Checkpoint withOvs(OvsCheckpoint.Saved saved) {
    return new Checkpoint(
        version, netns, createdAt, deadline, created, links, routes, rules, dns, sriov, saved,
        mptcp, extras);
  }

  public Checkpoint withExtras(ExtrasCheckpoint e) {
    return new Checkpoint(
        version, netns, createdAt, deadline, created, links, routes, rules, dns, sriov, ovs, mptcp,
        e);
  }

  /**
   * A link as it was. Kind data is kept per kind; null fields are not reported by the kernel.
   * {@code portVlans}: a bridge port's VLANs as the kernel lists them.
   */
  public record SavedLink(
      String name,
      String kind,
      String parent,
      int mtu,
      String mac,
      boolean up,
      String master,
      String alias,
      boolean ipv6Disabled,
      List<String> addresses,
      List<String> linkLocal,
      LinkKind.Bridge bridge,
      Integer portPriority,
      Integer portCost,
      Boolean portHairpin,
      Integer portNo,
      String macvlanMode,
      Integer vlanId,
      Integer vlanProtocol,
      Integer vxlanId,
      String vxlanLocal,
      String vxlanRemote,
      Integer vxlanPort,
      Boolean vxlanLearning,
      String vethPeer,
      List<BridgeVlan> portVlans,
      LinkKind.Bond bond,
      String bondPrimary,
      Boolean promisc,
      More more) {

    /** Without the settings of {@link More}. */
    public SavedLink {}
  }

  /**
   * What a link had beyond the core settings: the kind data of vrf, ipvlan, macsec and hsr links
   * (an HSR link's ports by name), IPv4 forwarding, a bond port's queue id and priority. Null in
   * checkpoints written before.
   */
  public record More(
      LinkKind.Vrf vrf,
      LinkKind.Ipvlan ipvlan,
      LinkKind.Macsec macsec,
      LinkKind.Hsr hsr,
      String hsrPort1,
      String hsrPort2,
      Boolean forwarding,
      Integer bondQueueId,
      Integer bondPrio) {}

  public record SavedRoute(
      int family,
      String dst,
      String src,
      String gateway,
      String dev,
      int table,
      Integer metric,
      Integer scope,
      int type,
      int protocol,
      String prefSrc,
      Integer mtu,
      Route.Metrics metrics,
      Integer weight) {}

  public record SavedRule(
      int family,
      Integer priority,
      int table,
      int action,
      String src,
      String dst,
      String iif,
      String oif,
      Integer fwmark,
      Integer fwmask,
      Integer gotoPriority,
      int protocol) {}

  /** Records what {@code plan} touches in {@code before}. */
  public static Checkpoint capture(
      Snapshot before, Plan plan, Target target, long now, long deadline) {
    var byName = before.byName();
    var byIndex = before.byIndex();
    var addrs = before.addressesByIndex();
    var created = new ArrayList<String>();
    var links = new ArrayList<SavedLink>();
    for (var name : plan.touched()) {
      var l = byName.get(name);
      if (l == null) {
        created.add(name);
      } else {
        links.add(
            SavedState.link(
                l,
                byIndex,
                addrs.getOrDefault(l.index(), List.of()),
                before.vlans().get(l.index())));
      }
    }
    var routes = new ArrayList<SavedRoute>();
    for (Route r : before.routes()) {
      routes.add(SavedState.route(r, StateReader.nameOf(byIndex, r.oif())));
    }
    var rules = new ArrayList<SavedRule>();
    for (Rule r : before.rules()) {
      rules.add(SavedState.rule(r));
    }
    ResolvConfFile.Saved dns = null;
    for (var op : plan.ops()) {
      if (op instanceof Op.WriteDns w) {
        dns = ResolvConfFile.save(w.file());
      }
    }
    return new Checkpoint(
        1,
        target.netns(),
        now,
        deadline,
        created,
        links,
        routes,
        rules,
        dns,
        List.of(),
        null,
        null,
        null);
  }

  /** The saved links by name. */
  public Map<String, SavedLink> linksByName() {
    var m = new java.util.LinkedHashMap<String, SavedLink>();
    links.forEach(l -> m.put(l.name(), l));
    return m;
  }
}

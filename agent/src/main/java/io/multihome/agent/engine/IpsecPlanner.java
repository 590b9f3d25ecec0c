package io.multihome.agent.engine;

import io.multihome.agent.netlink.RtNetlink;
import io.multihome.state.DesiredState;
import io.multihome.state.Interface;
import io.multihome.state.InterfaceState;
import io.multihome.state.IpConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code type: ipsec}: planned, not applied. An ipsec "interface" is a libreswan connection (in
 * nmstate, NetworkManager's libreswan VPN plugin), not a kernel link, so the other planners never
 * see it: this one renders each connection as the ipsec.conf {@code conn} it stands for (the plan
 * and {@code --dry-run} show it, the pre-shared key masked) and the engine refuses to apply a plan
 * holding one, before anything changes: no IKE daemon (pluto) runs for the engine's target.
 */
final class IpsecPlanner {
  private IpsecPlanner() {}

  static final String REFUSAL =
      "ipsec connections are planned but not applied: the engine runs no IKE daemon (libreswan's"
          + " pluto) for this node, so it cannot bring the connection up or verify its security"
          + " associations";

  /** nmstate's mask for secrets in what it shows. */
  static final String HIDDEN = "<_password_hid_by_nmstate>";

  /** {@code desired} without its ipsec interfaces (what the link planners get). */
  static DesiredState withoutIpsec(DesiredState desired) {
    if (desired.interfacesOrEmpty().stream().noneMatch(i -> i instanceof Interface.Ipsec)) {
      return desired;
    }
    var rest =
        desired.interfacesOrEmpty().stream().filter(i -> !(i instanceof Interface.Ipsec)).toList();
    return new DesiredState(
        rest,
        desired.routes(),
        desired.routesRunning(),
        desired.routeRules(),
        desired.dns(),
        desired.dnsRunning(),
        desired.description(),
        desired.ovsDb(),
        desired.ovn(),
        desired.extras(),
        desired.templates(),
        desired.hostname());
  }

  /** One op per ipsec connection {@code desired} brings up or down; none for absent ones. */
  static void plan(DesiredState desired, PlanContext ctx) {
    var list = desired.interfacesOrEmpty();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Interface.Ipsec x)) {
        continue;
      }
      var state = x.common().effectiveState();
      if (state == InterfaceState.ABSENT || state == InterfaceState.IGNORE) {
        continue; // the engine never made one: nothing to remove
      }
      var at = "interfaces[" + i + "]";
      if (x.libreswan() == null) {
        ctx.problem(at + ".libreswan", "is required: the engine keeps no ipsec connection");
        continue;
      }
      ctx.add(
          new Connect(
              x.name(),
              at,
              conn(x),
              state == InterfaceState.DOWN,
              new Op.Diff(
                  "interfaces[" + x.name() + "].libreswan",
                  state == InterfaceState.DOWN ? "connection added, down" : "connection up",
                  "none")));
    }
  }

  /**
   * The ipsec.conf {@code conn} section NetworkManager's libreswan plugin would hand to pluto; the
   * pre-shared key as nmstate shows it (masked), since it goes to a secrets file, not here. {@code
   * ipv4.dhcp: true} asks the peer for an address (IKE mode config), as the plugin does.
   */
  static String conn(Interface.Ipsec x) {
    var sb = new StringBuilder("conn ").append(x.name()).append('\n');
    var modecfg = dynamic(x.common().ipv4()) || dynamic(x.common().ipv6());
    var keys = x.libreswan().keys();
    if (modecfg && x.libreswan().leftmodecfgclient() == null) {
      keys.put("leftmodecfgclient", true);
    }
    if (x.libreswan().psk() != null && x.libreswan().authby() == null) {
      keys.put("authby", "secret");
    }
    keys.forEach(
        (k, v) -> {
          if (v == null || k.equals("psk")) {
            return;
          }
          var text = v instanceof Boolean b ? (b ? "yes" : "no") : v.toString();
          sb.append('\t').append(k).append('=').append(text).append('\n');
        });
    if (x.libreswan().psk() != null) {
      sb.append("\t# PSK (secrets file): ").append(HIDDEN).append('\n');
    }
    return sb.toString();
  }

  private static boolean dynamic(IpConfig ip) {
    return ip != null && (Boolean.TRUE.equals(ip.dhcp()) || Boolean.TRUE.equals(ip.autoconf()));
  }

  /** A plan holding one of these is refused by {@link Engine#apply} before anything changes. */
  record Connect(String name, String path, String conn, boolean down, Op.Diff diff)
      implements Op.Extension {
    @Override
    public int stage() {
      return Op.ADD_ROUTES;
    }

    @Override
    public String describe() {
      return "ipsec auto --add "
          + name
          + (down ? "" : " && ipsec auto --up " + name)
          + " (refused at apply: no IKE daemon)\n"
          + conn.strip();
    }

    @Override
    public void runDirect(RtNetlink nl, Path sysfsRoot, Target target) {
      throw new IllegalStateException(REFUSAL);
    }
  }

  /** The problems that stop applying {@code plan}: one per ipsec connection, at its path. */
  static List<io.multihome.state.Problem> refusals(Plan plan) {
    var out = new ArrayList<io.multihome.state.Problem>();
    for (var op : plan.ops()) {
      if (op instanceof Connect c) {
        out.add(new io.multihome.state.Problem(c.path() + ".type", REFUSAL));
      }
    }
    return out;
  }
}

package io.multihome.agent.engine;

import io.multihome.agent.netlink.RtNetlink;
import io.multihome.state.DesiredState;
import io.multihome.state.Interface;
import io.multihome.state.InterfaceState;
import io.multihome.state.IpConfig;
import io.multihome.state.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code type: ipsec}. An ipsec "interface" is a libreswan connection (in nmstate, NetworkManager's
 * libreswan VPN plugin), not a kernel link, so the link planners never see it. {@link Planner}
 * renders each connection as the ipsec.conf {@code conn} it stands for ({@link Connect}: the plan
 * and {@code --dry-run} show it, the pre-shared key masked); an engine with an {@link
 * IpsecConnections} service replaces those with {@link Configure} ops against the connections in
 * effect, and an engine without one refuses them before anything changes.
 */
final class IpsecPlanner {
  private IpsecPlanner() {}

  /** What ipsec needs when nobody runs an IKE daemon for the target (a noun phrase). */
  static final String NO_DAEMON =
      "an IKE daemon: the engine runs a private libreswan pluto per node namespace when libreswan"
          + " is installed (Debian package libreswan), and this engine has none";

  /** nmstate's mask for secrets in what it shows. */
  static final String HIDDEN = "<_password_hid_by_nmstate>";

  private static final Pattern IP = Pattern.compile("[0-9.]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

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
        continue; // removal needs the service's connections: Engine plans it with them
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
              conn(x.name(), x.libreswan(), modeConfig(x)),
              state == InterfaceState.DOWN,
              new Op.Diff(
                  "interfaces[" + x.name() + "].libreswan",
                  state == InterfaceState.DOWN ? "connection added, down" : "connection up",
                  "none")));
    }
  }

  static boolean modeConfig(Interface.Ipsec x) {
    return dynamic(x.common().ipv4()) || dynamic(x.common().ipv6());
  }

  /** The conn as the plan shows it: pre-shared key masked. */
  static String conn(Interface.Ipsec x) {
    return conn(x.name(), x.libreswan(), modeConfig(x));
  }

  /**
   * The ipsec.conf {@code conn} section NetworkManager's libreswan plugin would hand to pluto; the
   * pre-shared key as nmstate shows it (masked), since it goes to a secrets file, not here. {@code
   * ipv4.dhcp: true} asks the peer for an address (IKE mode config), as the plugin does. An id that
   * is a plain name (not an address, {@code @name}, {@code %...} or a DN) is written as
   * {@code @name}: an FQDN identity sent as given, which libreswan would otherwise try to resolve
   * to an address over DNS.
   */
  static String conn(String name, Interface.LibreswanConfig l, boolean modecfg) {
    var sb = new StringBuilder(body(name, l, modecfg));
    if (l.psk() != null) {
      sb.append("\t# PSK (secrets file): ").append(HIDDEN).append('\n');
    }
    return sb.toString();
  }

  /** The conn as pluto gets it (the key is in the secrets file). */
  static String body(String name, Interface.LibreswanConfig l, boolean modecfg) {
    var sb = new StringBuilder("conn ").append(name).append('\n');
    var keys = l.keys();
    if (modecfg && l.leftmodecfgclient() == null) {
      keys.put("leftmodecfgclient", true);
    }
    if (l.psk() != null && l.authby() == null) {
      keys.put("authby", "secret");
    }
    keys.computeIfPresent("leftid", (k, v) -> id(v.toString()));
    keys.computeIfPresent("rightid", (k, v) -> id(v.toString()));
    keys.forEach(
        (k, v) -> {
          if (v == null || k.equals("psk")) {
            return;
          }
          var text = v instanceof Boolean b ? (b ? "yes" : "no") : v.toString();
          sb.append('\t').append(k).append('=').append(text).append('\n');
        });
    return sb.toString();
  }

  /** {@code @name} for a plain host name id; anything else as given. */
  static String id(String v) {
    if (v.isEmpty()
        || v.startsWith("@")
        || v.startsWith("%")
        || v.contains("=")
        || IP.matcher(v).matches()) {
      return v;
    }
    return "@" + v;
  }

  private static boolean dynamic(IpConfig ip) {
    return ip != null && (Boolean.TRUE.equals(ip.dhcp()) || Boolean.TRUE.equals(ip.autoconf()));
  }

  /** Rendered without a service: {@link Engine#apply} refuses a plan holding one. */
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
      throw new IllegalStateException("ipsec needs " + NO_DAEMON);
    }
  }

  /** The problems that stop applying {@code plan} without a service: one per connection. */
  static List<Problem> refusals(Plan plan, String why) {
    var out = new ArrayList<Problem>();
    for (var op : plan.ops()) {
      if (op instanceof Connect c) {
        out.add(new Problem(c.path() + ".type", "ipsec connections need " + why));
      }
    }
    return out;
  }

  /**
   * One connection changes through the service: added (or replaced) and initiated, or deleted
   * ({@code settings} null). Added after the addresses (its left end must be on the node), deleted
   * before they go.
   */
  record Configure(
      String name,
      String path,
      IpsecConnections.Connection settings,
      IpsecConnections.Connection previous,
      IpsecConnections ipsec,
      Op.Diff diff)
      implements Op.Extension {
    @Override
    public int stage() {
      return settings == null ? Op.DEL_ADDRESSES : Op.ADD_ROUTES;
    }

    @Override
    public String describe() {
      if (settings == null) {
        return "ipsec whack --delete --name " + name;
      }
      return "ipsec addconn "
          + name
          + (settings.down() ? "" : " && ipsec whack --initiate --name " + name)
          + "\n"
          + conn(name, settings.libreswan(), settings.modeConfig()).strip();
    }

    @Override
    public void runDirect(RtNetlink nl, Path sysfsRoot) {
      var change = new HashMap<String, IpsecConnections.Connection>();
      change.put(name, settings);
      ipsec.configure(change);
    }
  }

  /**
   * With a service: {@code plan} without its {@link Connect} ops, plus one {@link Configure} per
   * connection that differs from the one in effect (also deletions for {@code state: absent}).
   * Throws {@link PlanException} for what only the node can tell (a key placeholder with no key in
   * effect, a certificate missing from the daemon's database).
   */
  static Plan withService(Plan plan, DesiredState desired, IpsecConnections ipsec) {
    var current = ipsec.connections();
    var problems = new ArrayList<Problem>();
    var ops = new ArrayList<Op>();
    var list = desired.interfacesOrEmpty();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Interface.Ipsec x)) {
        continue;
      }
      var state = x.common().effectiveState();
      var have = current.get(x.name());
      var at = "interfaces[" + i + "]";
      IpsecConnections.Connection want;
      if (state == InterfaceState.IGNORE) {
        continue;
      } else if (state == InterfaceState.ABSENT) {
        want = null;
      } else if (x.libreswan() == null) {
        continue; // Planner said it is required
      } else {
        var l = x.libreswan();
        if (HIDDEN.equals(l.psk())) {
          if (have == null || have.libreswan().psk() == null) {
            problems.add(
                new Problem(at + ".libreswan.psk", "the placeholder keeps a key, but none is set"));
            continue;
          }
          l = withPsk(l, have.libreswan().psk());
        }
        for (var cert : new String[] {l.leftcert()}) {
          var why = cert == null ? null : ipsec.certificateProblem(cert);
          if (why != null) {
            problems.add(new Problem(at + ".libreswan.leftcert", why));
          }
        }
        want = new IpsecConnections.Connection(l, modeConfig(x), state == InterfaceState.DOWN);
      }
      if (Objects.equals(want, have)) {
        continue;
      }
      ops.add(
          new Configure(
              x.name(),
              at,
              want,
              have,
              ipsec,
              new Op.Diff(
                  "interfaces[" + x.name() + "].libreswan",
                  want == null ? "none" : text(x.name(), want),
                  have == null ? "none" : text(x.name(), have))));
    }
    if (!problems.isEmpty()) {
      throw new PlanException(problems);
    }
    var out = new ArrayList<Op>();
    for (var op : plan.ops()) {
      if (!(op instanceof Connect)) {
        out.add(op);
      }
    }
    out.addAll(ops);
    return new Plan(out, plan.touched());
  }

  private static String text(String name, IpsecConnections.Connection c) {
    return conn(name, c.libreswan(), c.modeConfig()).strip().replace("\n\t", "; ")
        + (c.down() ? " (down)" : "");
  }

  /** {@code l} with {@code psk}; the other keys as they are. */
  static Interface.LibreswanConfig withPsk(Interface.LibreswanConfig l, String psk) {
    return new Interface.LibreswanConfig(
        l.right(),
        l.rightid(),
        l.rightrsasigkey(),
        l.rightcert(),
        l.left(),
        l.leftid(),
        l.leftrsasigkey(),
        l.leftcert(),
        l.ikev2(),
        psk,
        l.ikelifetime(),
        l.salifetime(),
        l.ike(),
        l.esp(),
        l.dpddelay(),
        l.dpdtimeout(),
        l.dpdaction(),
        l.ipsecInterface(),
        l.authby(),
        l.rightsubnet(),
        l.leftsubnet(),
        l.leftmodecfgclient(),
        l.type(),
        l.hostaddrfamily(),
        l.clientaddrfamily(),
        l.requireIdOnCertificate());
  }

  /** The plan's previous connections, to configure back on rollback (null: none). */
  static Map<String, IpsecConnections.Connection> previous(Plan plan) {
    var out = new LinkedHashMap<String, IpsecConnections.Connection>();
    for (var op : plan.ops()) {
      if (op instanceof Configure c) {
        out.put(c.name(), c.previous());
      }
    }
    return out;
  }

  /** Connections the plan brings up, with their document paths. */
  static Map<String, String> connecting(Plan plan) {
    var out = new LinkedHashMap<String, String>();
    for (var op : plan.ops()) {
      if (op instanceof Configure c && c.settings() != null && !c.settings().down()) {
        out.put(c.name(), c.path());
      }
    }
    return out;
  }
}

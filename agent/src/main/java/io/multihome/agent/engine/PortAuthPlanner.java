package io.multihome.agent.engine;

import io.multihome.agent.netlink.RtNetlink;
import io.multihome.state.DesiredState;
import io.multihome.state.Ieee8021x;
import io.multihome.state.Interface;
import io.multihome.state.InterfaceState;
import io.multihome.state.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The 802.1X part of a plan: each interface whose {@code 802.1x} section differs from the
 * configuration in effect ({@link PortAuth#settings}) becomes one {@link Configure} op; an
 * interface that is removed stops its supplicant. As nmstate merges it, a given section replaces
 * the one in effect whole, a left-out section keeps it, and a secret given as nmstate's placeholder
 * keeps the secret in effect. Supplicants start with the address stage (the port exists and is up)
 * and stop with the address removals.
 */
final class PortAuthPlanner {
  /** Why the engine refuses 802.1x when nobody runs a supplicant. */
  static final String NO_SUPPLICANT =
      "802.1x needs a supplicant (wpa_supplicant), which the multihome agent runs and supervises"
          + " (this engine has none)";

  private PortAuthPlanner() {}

  /** One interface's configuration changes; {@code path} is its document path for messages. */
  record Configure(
      String name, String path, Ieee8021x settings, Ieee8021x previous, PortAuth auth, Op.Diff diff)
      implements Op.Extension {
    @Override
    public int stage() {
      return settings == null ? Op.DEL_ADDRESSES : Op.ADD_ADDRESSES;
    }

    @Override
    public String describe() {
      return settings == null
          ? "802.1x stop " + name
          : "802.1x start " + name + ": " + text(settings);
    }

    @Override
    public List<String> links() {
      return List.of(name);
    }

    @Override
    public void runDirect(RtNetlink nl, Path sysfsRoot) {
      var change = new HashMap<String, Ieee8021x>();
      change.put(name, settings);
      auth.configure(change);
    }
  }

  /**
   * Problems of {@code desired}'s 802.1x sections that only the node can tell: no supplicant
   * ({@code auth} null, {@code why} says so), files that cannot be read, a secret placeholder with
   * no secret in effect.
   */
  static List<Problem> problems(DesiredState desired, PortAuth auth, String why) {
    var out = new ArrayList<Problem>();
    var current = auth == null ? Map.<String, Ieee8021x>of() : auth.settings();
    var list = desired.interfacesOrEmpty();
    for (int i = 0; i < list.size(); i++) {
      var iface = list.get(i);
      if (iface instanceof Interface.Unsupported) {
        continue;
      }
      var x = iface.common().options().ieee8021x();
      if (x == null || iface.common().effectiveState() == InterfaceState.ABSENT) {
        continue;
      }
      var at = "interfaces[" + i + "].802.1x";
      if (auth == null) {
        out.add(new Problem(at, why));
        continue;
      }
      var cur = current.get(iface.name());
      if (Ieee8021x.HIDDEN.equals(x.password()) && (cur == null || cur.password() == null)) {
        out.add(new Problem(at + ".password", "the placeholder keeps a password, but none is set"));
      }
      if (Ieee8021x.HIDDEN.equals(x.privateKeyPassword())
          && (cur == null || cur.privateKeyPassword() == null)) {
        out.add(
            new Problem(
                at + ".private-key-password",
                "the placeholder keeps a private key password, but none is set"));
      }
      readable(out, at + ".ca-cert", x.caCert(), false);
      readable(out, at + ".client-cert", x.clientCert(), false);
      readable(out, at + ".private-key", x.privateKey(), false);
      readable(out, at + ".ca-path", x.caPath(), true);
    }
    return out;
  }

  private static void readable(List<Problem> out, String at, String file, boolean directory) {
    if (file == null) {
      return;
    }
    var p = Path.of(file);
    if (directory ? !Files.isDirectory(p) : !Files.isRegularFile(p)) {
      out.add(new Problem(at, "no such " + (directory ? "directory" : "file") + " " + file));
    } else if (!Files.isReadable(p)) {
      out.add(new Problem(at, "cannot read " + file));
    }
  }

  static List<Op> plan(DesiredState desired, PortAuth auth) {
    var current = auth.settings();
    var wanted = new LinkedHashMap<String, Ieee8021x>();
    var paths = new HashMap<String, String>();
    var list = desired.interfacesOrEmpty();
    for (int i = 0; i < list.size(); i++) {
      var iface = list.get(i);
      if (iface instanceof Interface.Unsupported) {
        continue;
      }
      var c = iface.common();
      var state = c.effectiveState();
      if (state == InterfaceState.IGNORE) {
        continue;
      }
      paths.put(iface.name(), "interfaces[" + i + "].802.1x");
      var x = c.options().ieee8021x();
      if (state == InterfaceState.ABSENT) {
        wanted.put(iface.name(), null);
      } else if (x != null) {
        wanted.put(iface.name(), x.withSecretsOf(current.get(iface.name())));
      }
    }
    var ops = new ArrayList<Op>();
    for (var e : wanted.entrySet()) {
      var name = e.getKey();
      var want = e.getValue();
      var have = current.get(name);
      if (Objects.equals(want, have)) {
        continue;
      }
      var path = paths.get(name);
      ops.add(
          new Configure(
              name,
              path,
              want,
              have,
              auth,
              new Op.Diff(
                  path, want == null ? "off" : text(want), have == null ? "off" : text(have))));
    }
    return ops;
  }

  /** The ops' previous configurations, to configure back on rollback. */
  static Map<String, Ieee8021x> previous(Plan plan) {
    var out = new HashMap<String, Ieee8021x>();
    for (var op : plan.ops()) {
      if (op instanceof Configure c) {
        out.put(c.name(), c.previous());
      }
    }
    return out;
  }

  /** Interfaces the plan starts or reconfigures a supplicant on, with their document paths. */
  static Map<String, String> authenticating(Plan plan) {
    var out = new LinkedHashMap<String, String>();
    for (var op : plan.ops()) {
      if (op instanceof Configure c && c.settings() != null) {
        out.put(c.name(), c.path());
      }
    }
    return out;
  }

  /** Never a secret: the method, identity and files. */
  static String text(Ieee8021x x) {
    var sb = new StringBuilder("eap ");
    sb.append(x.eapMethods() == null ? "?" : String.join(",", x.eapMethods()));
    sb.append(" identity ").append(x.identity());
    if (x.phase2Auth() != null) {
      sb.append(" phase2 ").append(x.phase2Auth());
    }
    if (x.caCert() != null) {
      sb.append(" ca-cert ").append(x.caCert());
    }
    if (x.clientCert() != null) {
      sb.append(" client-cert ").append(x.clientCert());
    }
    if (x.password() != null) {
      sb.append(" password ").append(Ieee8021x.HIDDEN);
    }
    return sb.toString();
  }
}

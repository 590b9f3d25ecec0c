package io.multihome.agent.engine;

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
  /** What 802.1x and key agreement need when nobody runs a supplicant (a noun phrase). */
  static final String NO_SUPPLICANT =
      "a supplicant (wpa_supplicant), which the multihome agent runs and supervises (this engine"
          + " has none)";

  private PortAuthPlanner() {}

  /** One interface's configuration changes; {@code path} is its document path for messages. */
  record Configure(
      String name, String path, Ieee8021x settings, Ieee8021x previous, PortAuth auth, Op.Diff diff)
      implements ServiceConfigure<Ieee8021x> {
    @Override
    public String describe() {
      return settings == null
          ? "802.1x stop " + name
          : "802.1x start " + name + ": " + text(settings);
    }

    @Override
    public void configure(Map<String, Ieee8021x> change) {
      auth.configure(change);
    }
  }

  /** A MACsec interface's key agreement changes; {@code path} is its document path. */
  record ConfigureMka(
      String name, String path, MkaConfig settings, MkaConfig previous, PortAuth auth, Op.Diff diff)
      implements ServiceConfigure<MkaConfig> {
    @Override
    public String describe() {
      return settings == null ? "mka stop " + name : "mka start " + name + ": " + mkaText(settings);
    }

    @Override
    public void configure(Map<String, MkaConfig> change) {
      auth.configureMka(change);
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
      if (iface instanceof Interface.MacSec m) {
        mkaProblems(out, m, i, auth, why, desired);
      }
      var x = iface.common().options().ieee8021x();
      if (x == null || iface.common().effectiveState() == InterfaceState.ABSENT) {
        continue;
      }
      var at = "interfaces[" + i + "].802.1x";
      if (auth == null) {
        out.add(new Problem(at, "802.1x needs " + why));
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

  private static void mkaProblems(
      List<Problem> out,
      Interface.MacSec m,
      int i,
      PortAuth auth,
      String why,
      DesiredState desired) {
    var c = m.macsec();
    if (c == null || c.mkaCak() == null || m.common().effectiveState() == InterfaceState.ABSENT) {
      return;
    }
    var at = "interfaces[" + i + "].macsec";
    if (auth == null) {
      out.add(
          new Problem(
              at + ".mka-cak",
              "MACsec Key Agreement (mka-cak/mka-ckn) needs an MKA agent, " + why));
      return;
    }
    var cur = auth.mka().get(m.name());
    if (Ieee8021x.HIDDEN.equals(c.mkaCak()) && cur == null) {
      out.add(new Problem(at + ".mka-cak", "the placeholder keeps a CAK, but none is set"));
    }
    if (c.baseIface() == null && cur == null) {
      out.add(new Problem(at + ".base-iface", "key agreement needs the base-iface"));
    }
    var base = c.baseIface() != null ? c.baseIface() : cur == null ? null : cur.baseIface();
    for (var other : desired.interfacesOrEmpty()) {
      if (other.name().equals(base)
          && !(other instanceof Interface.Unsupported)
          && other.common().options().ieee8021x() != null) {
        out.add(
            new Problem(
                at + ".mka-cak",
                base
                    + " runs one supplicant: 802.1x on it and key agreement of "
                    + m.name()
                    + " over it cannot both be configured"));
      }
    }
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
    planMka(desired, auth, ops);
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

  private static void planMka(DesiredState desired, PortAuth auth, List<Op> ops) {
    var current = auth.mka();
    var list = desired.interfacesOrEmpty();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Interface.MacSec m)) {
        continue;
      }
      var state = m.common().effectiveState();
      var have = current.get(m.name());
      MkaConfig want;
      if (state == InterfaceState.IGNORE) {
        continue;
      } else if (state == InterfaceState.ABSENT) {
        want = null;
      } else if (m.macsec() != null && m.macsec().mkaCak() != null) {
        var c = m.macsec();
        var cak = Ieee8021x.HIDDEN.equals(c.mkaCak()) && have != null ? have.cak() : c.mkaCak();
        var base = c.baseIface() != null ? c.baseIface() : have == null ? null : have.baseIface();
        want =
            new MkaConfig(
                base,
                cak,
                c.mkaCkn(),
                Boolean.TRUE.equals(c.encrypt()),
                c.port() == null || c.port() == 0 ? 1 : c.port());
      } else {
        // A MACsec section without keys keeps the agreement in effect, as nmstate merges.
        continue;
      }
      if (Objects.equals(want, have)) {
        continue;
      }
      var path = "interfaces[" + i + "].macsec";
      ops.add(
          new ConfigureMka(
              m.name(),
              path,
              want,
              have,
              auth,
              new Op.Diff(
                  path + ".mka-cak",
                  want == null ? "off" : mkaText(want),
                  have == null ? "off" : mkaText(have))));
    }
  }

  static Map<String, MkaConfig> previousMka(Plan plan) {
    return ServiceConfigure.byName(plan, ConfigureMka.class, c -> true, ConfigureMka::previous);
  }

  /** MACsec interfaces the plan starts key agreement on, with their document paths. */
  static Map<String, String> securing(Plan plan) {
    return ServiceConfigure.byName(
        plan, ConfigureMka.class, c -> c.settings() != null, ConfigureMka::path);
  }

  static String mkaText(MkaConfig m) {
    return "wpa_supplicant -D macsec_linux on "
        + m.baseIface()
        + ", ckn "
        + m.ckn()
        + (m.encrypt() ? ", encrypted" : ", integrity only")
        + ", port "
        + m.port();
  }

  /** The ops' previous configurations, to configure back on rollback. */
  static Map<String, Ieee8021x> previous(Plan plan) {
    return ServiceConfigure.byName(plan, Configure.class, c -> true, Configure::previous);
  }

  /** Interfaces the plan starts or reconfigures a supplicant on, with their document paths. */
  static Map<String, String> authenticating(Plan plan) {
    return ServiceConfigure.byName(
        plan, Configure.class, c -> c.settings() != null, Configure::path);
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

package io.multihome.state;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.regex.Pattern;

/** Rules for an interface's {@link InterfaceOptions} (part of {@link InterfaceValidator}). */
final class OptionsValidator {
  /** A PCI address as sysfs names it: domain:bus:device.function. */
  static final Pattern PCI =
      Pattern.compile("[0-9A-Fa-f]{4}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\\.[0-7]");

  /** The kernel's ALTIFNAMSIZ (128) with its terminating zero. */
  static final int ALT_NAME_MAX_BYTES = 127;

  private static final long U32_MAX = 0xffffffffL;

  private final StateValidator v;

  OptionsValidator(StateValidator v) {
    this.v = v;
  }

  void check(Interface iface, Common c, String at) {
    var o = c.options();
    identifier(c, o, at);
    if (o.copyMacFrom() != null) {
      var p = Problem.child(at, "copy-mac-from");
      if (!(iface instanceof Interface.Bond) && !(iface instanceof Interface.LinuxBridge)) {
        v.problem(p, "copy-mac-from applies to bond and linux-bridge interfaces only");
      } else if (c.macAddress() != null) {
        v.problem(p, "give either copy-mac-from or mac-address, not both");
      } else if (o.copyMacFrom().equals(c.name())) {
        v.problem(p, "an interface cannot copy its own MAC address");
      }
      v.reference(p, o.copyMacFrom(), "copy-mac-from");
    }
    altNames(c, o, at);
    ethtool(o.ethtool(), Problem.child(at, "ethtool"));
    if (o.ieee8021x() != null && !c.isAbsent()) {
      ieee8021x(iface, o.ieee8021x(), Problem.child(at, "802.1x"));
    }
  }

  /**
   * {@code 802.1x}: on an ethernet port (a veth stands in for one), an identity, known EAP methods
   * and what each needs: a client certificate and key for TLS, a password for PEAP, TTLS and MD5.
   */
  private void ieee8021x(Interface iface, Ieee8021x x, String at) {
    if (!(iface instanceof Interface.Ethernet) && !(iface instanceof Interface.Veth)) {
      v.problem(at, "802.1x authenticates ethernet ports only (type ethernet, or veth)");
      return;
    }
    if (x.identity() == null || x.identity().isEmpty()) {
      v.problem(Problem.child(at, "identity"), "802.1x needs an identity");
    }
    var methods = x.eapMethods();
    if (methods == null || methods.isEmpty()) {
      v.problem(
          Problem.child(at, "eap-methods"),
          "802.1x needs at least one EAP method ("
              + String.join(", ", Ieee8021x.EAP_METHODS)
              + ")");
      methods = java.util.List.of();
    }
    var mp = Problem.child(at, "eap-methods");
    for (int i = 0; i < methods.size(); i++) {
      var m = methods.get(i);
      if (!Ieee8021x.EAP_METHODS.contains(m)) {
        v.problem(
            Problem.index(mp, i),
            "EAP method '"
                + m
                + "' is not supported (supported: "
                + String.join(", ", Ieee8021x.EAP_METHODS)
                + ")");
      }
    }
    if (methods.contains("tls")) {
      if (x.clientCert() == null) {
        v.problem(Problem.child(at, "client-cert"), "EAP-TLS needs the client certificate");
      }
      if (x.privateKey() == null) {
        v.problem(Problem.child(at, "private-key"), "EAP-TLS needs the private key");
      }
    }
    boolean inner = methods.contains("peap") || methods.contains("ttls");
    if ((inner || methods.contains("md5")) && x.password() == null) {
      v.problem(
          Problem.child(at, "password"),
          "EAP-"
              + (inner ? (methods.contains("peap") ? "PEAP" : "TTLS") : "MD5")
              + " needs a password");
    }
    if (x.phase2Auth() != null && !Ieee8021x.PHASE2.contains(x.phase2Auth())) {
      v.problem(
          Problem.child(at, "phase2-auth"),
          "'"
              + x.phase2Auth()
              + "' is not a phase 2 method (one of "
              + String.join(", ", Ieee8021x.PHASE2)
              + ")");
    }
    if (x.authTimeout() != null && (x.authTimeout() < 1 || x.authTimeout() > 3600)) {
      v.problem(Problem.child(at, "auth-timeout"), "must be 1..3600 seconds");
    }
    for (var f :
        new String[][] {
          {"ca-cert", x.caCert()},
          {"ca-path", x.caPath()},
          {"client-cert", x.clientCert()},
          {"private-key", x.privateKey()}
        }) {
      if (f[1] != null && !f[1].startsWith("/")) {
        v.problem(Problem.child(at, f[0]), "must be an absolute path, not '" + f[1] + "'");
      }
    }
    for (var f :
        new String[][] {
          {"identity", x.identity()},
          {"password", x.password()},
          {"private-key-password", x.privateKeyPassword()},
          {"phase2-auth", x.phase2Auth()}
        }) {
      if (f[1] != null && (f[1].indexOf('\n') >= 0 || f[1].indexOf('\0') >= 0)) {
        v.problem(Problem.child(at, f[0]), "must not contain a line break or NUL");
      }
    }
  }

  /** Whether {@code c} names a profile rather than a kernel interface (its name is free-form). */
  static boolean profileNamed(Common c) {
    var id = c.options().identifier();
    return id == Identifier.MAC_ADDRESS || id == Identifier.PCI_ADDRESS;
  }

  private void identifier(Common c, InterfaceOptions o, String at) {
    var pci = o.pciAddress();
    if (pci != null
        && !v.isTemplate(Problem.child(at, "pci-address"))
        && !PCI.matcher(pci).matches()) {
      v.problem(
          Problem.child(at, "pci-address"),
          "'"
              + pci
              + "' is not a PCI address (expected domain:bus:device.function like"
              + " 0000:07:00.0)");
    }
    if (o.identifier() == Identifier.MAC_ADDRESS
        && c.macAddress() == null
        && !v.isTemplate(Problem.child(at, "mac-address"))) {
      v.problem(
          Problem.child(at, "mac-address"),
          "is required with identifier: mac-address (it tells which interface this is)");
    }
    if (o.identifier() == Identifier.PCI_ADDRESS
        && pci == null
        && !v.isTemplate(Problem.child(at, "pci-address"))) {
      v.problem(
          Problem.child(at, "pci-address"),
          "is required with identifier: pci-address (it tells which interface this is)");
    }
    if (o.identifier() == Identifier.MAC_ADDRESS || o.identifier() == Identifier.PCI_ADDRESS) {
      if (c.type() != null && c.type() != InterfaceType.ETHERNET) {
        v.problem(
            Problem.child(at, "identifier"),
            "identifier: " + o.identifier().wire() + " is for ethernet interfaces only");
      }
    } else if (o.profileName() != null && !o.profileName().equals(c.name())) {
      // nmstate keeps a profile name apart from the interface name only for NICs it matches by
      // MAC or PCI address.
      v.problem(
          Problem.child(at, "profile-name"),
          "a profile-name other than the interface name needs identifier: mac-address or"
              + " pci-address");
    }
  }

  private void altNames(Common c, InterfaceOptions o, String at) {
    if (o.altNames() == null) {
      return;
    }
    var seen = new HashSet<String>();
    for (int i = 0; i < o.altNames().size(); i++) {
      var a = o.altNames().get(i);
      var p = Problem.index(Problem.child(at, "alt-names"), i) + ".name";
      if (a.name() == null) {
        continue;
      }
      var bad = altNameProblem(a.name());
      if (bad != null) {
        v.problem(p, bad);
      } else if (!a.absent() && a.name().equals(c.name())) {
        v.problem(p, "an alternative name cannot be the interface's own name");
      } else if (!seen.add(a.name())) {
        v.problem(p, "'" + a.name() + "' is listed twice");
      }
    }
  }

  /** Why the kernel would refuse {@code name} as an alternative name, or null. */
  static String altNameProblem(String name) {
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      return "'" + name + "' is not a valid interface name";
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > ALT_NAME_MAX_BYTES) {
      return "'"
          + name
          + "' is "
          + bytes
          + " bytes long; Linux allows at most "
          + ALT_NAME_MAX_BYTES
          + " for an alternative name";
    }
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ch == '/' || ch == ':' || Character.isWhitespace(ch)) {
        return "'" + name + "' must not contain '/', ':' or whitespace";
      }
    }
    return null;
  }

  private void ethtool(EthtoolConfig e, String at) {
    if (e == null) {
      return;
    }
    v.reportExtras(at, e.extras());
    if (e.ring() != null) {
      var rp = Problem.child(at, "ring");
      v.range(rp, "rx", e.ring().rx(), 0, U32_MAX);
      v.range(rp, "rx-jumbo", e.ring().rxJumbo(), 0, U32_MAX);
      v.range(rp, "rx-mini", e.ring().rxMini(), 0, U32_MAX);
      v.range(rp, "tx", e.ring().tx(), 0, U32_MAX);
    }
    if (e.coalesce() != null) {
      var cp = Problem.child(at, "coalesce");
      e.coalesce().numbers().forEach((k, n) -> v.range(cp, k, n, 0, U32_MAX));
    }
  }
}

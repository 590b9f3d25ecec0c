package io.multihome.state;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rules for {@code type: ipsec} ({@code libreswan}): each value in the form libreswan's ipsec.conf
 * takes it (what NetworkManager's libreswan plugin would hand over), each problem at its key's
 * path.
 */
final class IpsecValidator {
  /** libreswan's special end names (ipsec.conf(5): left/right). */
  static final Set<String> SPECIAL_ENDS =
      Set.of("%any", "%defaultroute", "%direct", "%opportunistic", "%opportunisticgroup", "%group");

  static final Set<String> IKEV2 = Set.of("insist", "permit", "propose", "never", "yes", "no");
  static final Set<String> DPD_ACTIONS = Set.of("hold", "clear", "restart");
  static final Set<String> AUTHBY =
      Set.of(
          "secret",
          "rsasig",
          "ecdsa",
          "rsa-sha1",
          "rsa-sha2",
          "rsa-sha2_256",
          "rsa-sha2_384",
          "rsa-sha2_512",
          "null",
          "never");
  static final Set<String> TYPES = Set.of("tunnel", "transport");
  static final Set<String> FAMILIES = Set.of("ipv4", "ipv6");

  private static final Pattern HOST =
      Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

  /** libreswan durations: a number with an optional s, m, h or d unit. */
  private static final Pattern DURATION = Pattern.compile("[0-9]+[smhd]?");

  /** Proposal lists: algorithm names joined by '-', ';' (DH groups) and ','. */
  private static final Pattern PROPOSALS = Pattern.compile("[A-Za-z0-9_+;,-]+");

  private final StateValidator v;

  IpsecValidator(StateValidator v) {
    this.v = v;
  }

  void check(Common c, Interface.LibreswanConfig x, String at) {
    if (x == null) {
      if (!v.exists.test(c.name())) {
        v.problem(
            Problem.child(at, "libreswan"),
            "is required to create ipsec connection "
                + c.name()
                + " (right is its one key"
                + " nmstate requires)");
      }
      return;
    }
    var p = Problem.child(at, "libreswan");
    end(p, "right", x.right());
    end(p, "left", x.left());
    id(p, "rightid", x.rightid());
    id(p, "leftid", x.leftid());
    nonBlank(p, "rightcert", x.rightcert());
    nonBlank(p, "leftcert", x.leftcert());
    nonBlank(p, "rightrsasigkey", x.rightrsasigkey());
    nonBlank(p, "leftrsasigkey", x.leftrsasigkey());
    if (x.psk() != null && x.psk().isEmpty()) {
      v.problem(Problem.child(p, "psk"), "must not be empty");
    }
    oneOf(p, "ikev2", x.ikev2(), IKEV2);
    oneOf(p, "dpdaction", x.dpdaction(), DPD_ACTIONS);
    oneOf(p, "authby", x.authby(), AUTHBY);
    oneOf(p, "type", x.type(), TYPES);
    oneOf(p, "hostaddrfamily", x.hostaddrfamily(), FAMILIES);
    oneOf(p, "clientaddrfamily", x.clientaddrfamily(), FAMILIES);
    duration(p, "ikelifetime", x.ikelifetime());
    duration(p, "salifetime", x.salifetime());
    proposals(p, "ike", x.ike());
    proposals(p, "esp", x.esp());
    v.range(p, "dpddelay", x.dpddelay(), 0, Integer.MAX_VALUE);
    v.range(p, "dpdtimeout", x.dpdtimeout(), 0, Integer.MAX_VALUE);
    subnets(p, "rightsubnet", x.rightsubnet());
    subnets(p, "leftsubnet", x.leftsubnet());
    if ("secret".equals(x.authby()) && x.psk() == null) {
      v.problem(Problem.child(p, "psk"), "is required with authby: secret");
    }
    if (x.psk() != null && (x.leftcert() != null || x.leftrsasigkey() != null)) {
      v.problem(
          Problem.child(p, "psk"),
          "a pre-shared key and leftcert/leftrsasigkey are two ways to authenticate this end;"
              + " give one");
    }
    if ("transport".equals(x.type()) && (x.leftsubnet() != null || x.rightsubnet() != null)) {
      v.problem(
          Problem.child(p, x.leftsubnet() != null ? "leftsubnet" : "rightsubnet"),
          "a transport connection protects the two hosts only; subnets need type: tunnel");
    }
  }

  private void end(String at, String key, String value) {
    if (value == null) {
      return;
    }
    if (value.isEmpty()) {
      v.problem(Problem.child(at, key), "must not be empty");
    } else if (!SPECIAL_ENDS.contains(value)
        && IpText.parse(value) == null
        && !HOST.matcher(value).matches()) {
      v.problem(
          Problem.child(at, key),
          "'"
              + value
              + "' is neither an IP address, a host name nor one of "
              + String.join(", ", new java.util.TreeSet<>(SPECIAL_ENDS)));
    }
  }

  /** An id: @name (taken as is), %fromcert, %any, an address, a host name or a DN. */
  private void id(String at, String key, String value) {
    if (value == null) {
      return;
    }
    if (value.isBlank()) {
      v.problem(Problem.child(at, key), "must not be empty");
    } else if (value.startsWith("%")
        && !List.of("%fromcert", "%any", "%none", "%null").contains(value)) {
      v.problem(
          Problem.child(at, key),
          "'" + value + "' is not an id libreswan knows (%fromcert, %any, %none, %null)");
    }
  }

  private void nonBlank(String at, String key, String value) {
    if (value != null && value.isBlank()) {
      v.problem(Problem.child(at, key), "must not be empty");
    }
  }

  private void oneOf(String at, String key, String value, Set<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      v.problem(
          Problem.child(at, key),
          "'" + value + "' is not one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
    }
  }

  private void duration(String at, String key, String value) {
    if (value != null && !DURATION.matcher(value).matches()) {
      v.problem(
          Problem.child(at, key),
          "'" + value + "' is not a libreswan duration (a number, optionally with s, m, h or d)");
    }
  }

  private void proposals(String at, String key, String value) {
    if (value != null && (value.isEmpty() || !PROPOSALS.matcher(value).matches())) {
      v.problem(
          Problem.child(at, key),
          "'" + value + "' is not a libreswan proposal list (e.g. aes256-sha2_256;modp2048)");
    }
  }

  private void subnets(String at, String key, String value) {
    if (value == null) {
      return;
    }
    for (var s : value.split(",", -1)) {
      var t = s.strip();
      int slash = t.indexOf('/');
      boolean ok = false;
      if (slash > 0 && IpText.parse(t.substring(0, slash)) != null) {
        var bytes = IpText.parse(t.substring(0, slash));
        try {
          int len = Integer.parseInt(t.substring(slash + 1));
          ok = len >= 0 && len <= bytes.length * 8;
        } catch (NumberFormatException e) {
          ok = false;
        }
      }
      if (!ok) {
        v.problem(Problem.child(at, key), "'" + t + "' is not a subnet (ADDRESS/PREFIX)");
        return;
      }
    }
  }
}

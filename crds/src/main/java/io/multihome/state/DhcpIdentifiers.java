package io.multihome.state;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The values nmstate takes for {@code ipv4.dhcp-client-id} and {@code ipv6.dhcp-duid}: its named
 * kinds (and NetworkManager's spellings nmstate passes through: {@code mac}, {@code duid}) or the
 * identifier itself as colon-separated hex bytes.
 */
public final class DhcpIdentifiers {
  /** DHCPv4 client identifiers: link-layer address, RFC 4361 IAID+DUID, or none at all. */
  public static final Set<String> CLIENT_IDS = Set.of("ll", "mac", "iaid+duid", "duid", "none");

  /** DHCPv6 DUID kinds (RFC 8415): link-layer, link-layer+time, enterprise number, UUID. */
  public static final Set<String> DUIDS = Set.of("ll", "llt", "en", "uuid");

  private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})+");

  private DhcpIdentifiers() {}

  /** Lower-cased named kind ({@code LL} → {@code ll}), or the hex text as given. */
  public static String normalize(String value) {
    if (value == null) {
      return null;
    }
    var lower = value.toLowerCase(Locale.ROOT);
    return CLIENT_IDS.contains(lower) || DUIDS.contains(lower) ? lower : value;
  }

  /** Whether {@code value} is colon-separated hex bytes (at least two). */
  public static boolean isHex(String value) {
    return value != null && HEX.matcher(value).matches();
  }

  static void check(StateValidator v, String at, boolean v6, IpConfig ip) {
    var clientId = ip.dhcpClientId();
    var duid = ip.dhcpDuid();
    if (clientId != null) {
      if (v6) {
        v.problem(Problem.child(at, "dhcp-client-id"), "dhcp-client-id is not allowed for IPv6");
      } else if (!CLIENT_IDS.contains(normalize(clientId)) && !isHex(clientId)) {
        v.problem(
            Problem.child(at, "dhcp-client-id"),
            "'"
                + clientId
                + "' is not a DHCP client id: use ll, iaid+duid, none or hex bytes such as"
                + " 01:52:54:00:12:34:56");
      }
    }
    if (duid != null) {
      if (!v6) {
        v.problem(Problem.child(at, "dhcp-duid"), "dhcp-duid is not allowed for IPv4");
      } else if (!DUIDS.contains(normalize(duid)) && !isHex(duid)) {
        v.problem(
            Problem.child(at, "dhcp-duid"),
            "'" + duid + "' is not a DHCPv6 DUID: use ll, llt, en, uuid or hex bytes");
      }
    }
  }
}

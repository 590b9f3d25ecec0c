package io.multihome.agent.cni;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.agent.cni.exec.CniException;
import java.util.Locale;

/**
 * NPWG §4.1.2: a delegating implementation must check that requested IPs and MAC were applied and
 * fail otherwise. Multus does not; a plugin chain lacking the {@code ips}/{@code mac} support then
 * silently gives the pod other addresses (Multus #278, #647, #989).
 */
final class ResultVerifier {

  private ResultVerifier() {}

  static void verify(Delegate delegate, JsonNode result) throws CniException {
    var assigned = CniResults.allAddresses(result);
    for (String requested : delegate.requestedIps()) {
      String ip = CniResults.bareIp(requested);
      boolean found =
          assigned.stream()
              .anyMatch(
                  a ->
                      CniResults.bareIp(a).equals(ip)
                          && (!requested.contains("/") || prefix(a).equals(prefix(requested))));
      if (!found) {
        throw new CniException(
            CniException.REQUEST_NOT_HONOURED,
            "network "
                + delegate.network()
                + " ("
                + delegate.ifname()
                + "): requested IP "
                + requested
                + " was not assigned (result has "
                + assigned
                + "); the network's plugins must support \"ips\" (capability or args.cni.ips)");
      }
    }
    if (delegate.requestedMac() != null) {
      String mac = macOf(result, delegate.ifname());
      if (!delegate.requestedMac().equalsIgnoreCase(mac == null ? "" : mac)) {
        throw new CniException(
            CniException.REQUEST_NOT_HONOURED,
            "network "
                + delegate.network()
                + " ("
                + delegate.ifname()
                + "): requested MAC "
                + delegate.requestedMac()
                + " was not applied (result reports "
                + (mac == null ? "no MAC" : mac.toLowerCase(Locale.ROOT))
                + "); the network's plugins must support \"mac\" (capability or args.cni.mac)");
      }
    }
  }

  private static String prefix(String cidr) {
    int slash = cidr.indexOf('/');
    return slash < 0 ? "" : cidr.substring(slash + 1);
  }

  private static String macOf(JsonNode result, String ifname) {
    for (JsonNode iface : result.path("interfaces")) {
      if (ifname.equals(iface.path("name").asText())
          && !iface.path("sandbox").asText("").isEmpty()) {
        return iface.path("mac").asText(null);
      }
    }
    return null;
  }
}

package io.multihome.controller.cno;

import io.multihome.api.openshift.IpamConfig;
import io.multihome.api.openshift.StaticIpamConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CNO's {@code getIPAMConfigJSON}: DHCP as the literal {@code { "type": "dhcp" }}, static as
 * Go's {@code json.Marshal} of its {@code staticIPAMConfig} struct (fields in struct order, empty
 * ones left out, {@code "capabilities":["ips"]} when no address is given so the pod's {@code ips}
 * runtime config supplies it). Inputs were validated before.
 */
final class IpamJson {
  static final String DHCP = "{ \"type\": \"dhcp\" }";

  private IpamJson() {}

  static String of(IpamConfig ipam) {
    if (ipam == null || IpamConfig.DHCP.equals(canonicalType(ipam.getType()))) {
      return DHCP;
    }
    return staticJson(ipam.getStaticIpamConfig());
  }

  /** {@code deprecatedCanonicalizeIPAMConfig}: the type matched without case. */
  static String canonicalType(String type) {
    if (type == null) {
      return null;
    }
    return switch (type.toLowerCase(Locale.ROOT)) {
      case "dhcp" -> IpamConfig.DHCP;
      case "static" -> IpamConfig.STATIC;
      default -> type;
    };
  }

  private static String staticJson(StaticIpamConfig conf) {
    var fields = new ArrayList<String>();
    fields.add("\"type\":\"static\"");
    if (conf == null) {
      fields.add("\"capabilities\":[\"ips\"]");
      return "{" + String.join(",", fields) + "}";
    }
    if (!conf.getRoutes().isEmpty()) {
      var routes = new ArrayList<String>();
      for (var r : conf.getRoutes()) {
        String route = "{\"dst\":" + GoText.quote(GoText.parseCidr(r.getDestination()).toString());
        var gw = GoText.parseIp(r.getGateway());
        if (gw != null) {
          route += ",\"gw\":" + GoText.quote(GoText.ipString(gw));
        }
        routes.add(route + "}");
      }
      fields.add("\"routes\":[" + String.join(",", routes) + "]");
    }
    if (!conf.getAddresses().isEmpty()) {
      var addresses = new ArrayList<String>();
      for (var a : conf.getAddresses()) {
        String address = "{\"address\":" + GoText.quote(a.getAddress());
        var gw = GoText.parseIp(a.getGateway());
        if (gw != null) {
          address += ",\"gateway\":" + GoText.quote(GoText.ipString(gw));
        }
        addresses.add(address + "}");
      }
      fields.add("\"addresses\":[" + String.join(",", addresses) + "]");
    }
    if (conf.getDns() != null) {
      var dns = new ArrayList<String>();
      var d = conf.getDns();
      if (!d.getNameservers().isEmpty()) {
        dns.add("\"nameservers\":" + list(d.getNameservers()));
      }
      if (d.getDomain() != null && !d.getDomain().isEmpty()) {
        dns.add("\"domain\":" + GoText.quote(d.getDomain()));
      }
      if (!d.getSearch().isEmpty()) {
        dns.add("\"search\":" + list(d.getSearch()));
      }
      fields.add("\"dns\":{" + String.join(",", dns) + "}");
    }
    if (conf.getAddresses().isEmpty()) {
      fields.add("\"capabilities\":[\"ips\"]");
    }
    return "{" + String.join(",", fields) + "}";
  }

  private static String list(List<String> values) {
    var quoted = new ArrayList<String>();
    values.forEach(v -> quoted.add(GoText.quote(v)));
    return "[" + String.join(",", quoted) + "]";
  }
}

package io.multihome.state;

import java.util.Set;

/** Rules for {@code routes}, {@code route-rules} and {@code dns-resolver}. */
final class RoutingValidator {

  private static final Set<String> ROUTE_TYPES = Set.of("blackhole", "unreachable", "prohibit");
  private static final Set<String> DNS_OPTIONS =
      Set.of(
          "attempts",
          "debug",
          "edns0",
          "inet6",
          "ip6-bytestring",
          "ip6-dotint",
          "ndots",
          "no-aaaa",
          "no-check-names",
          "no-ip6-dotint",
          "no-reload",
          "no-tld-query",
          "rotate",
          "single-request",
          "single-request-reopen",
          "timeout",
          "trust-ad",
          "use-vc");

  private RoutingValidator() {}

  static void check(StateValidator v) {
    var s = v.state;
    if (s.routes() != null) {
      for (int i = 0; i < s.routes().size(); i++) {
        route(v, s.routes().get(i), Problem.index("routes.config", i));
      }
    }
    if (s.routeRules() != null) {
      for (int i = 0; i < s.routeRules().size(); i++) {
        rule(v, s.routeRules().get(i), Problem.index("route-rules.config", i));
      }
    }
    if (s.dns() != null) {
      dns(v, s.dns());
    }
  }

  private static void route(StateValidator v, Route r, String at) {
    if (v.isTemplate(at)) {
      return;
    }
    v.reportExtras(at, r.extras());
    int family = 0;
    if (r.destination() != null && !(r.absent() && r.destination().isEmpty())) {
      var bad = IpText.checkNetwork(r.destination(), 0);
      if (bad != null) {
        v.problem(Problem.child(at, "destination"), bad);
      } else {
        family = IpText.family(stripPrefix(r.destination()));
      }
    }
    if (r.routeType() != null && !ROUTE_TYPES.contains(r.routeType())) {
      v.problem(
          Problem.child(at, "route-type"),
          "'" + r.routeType() + "' is not one of blackhole, unreachable, prohibit");
    }
    if (!r.absent()) {
      if (r.destination() == null && !v.isTemplate(Problem.child(at, "destination"))) {
        v.problem(
            Problem.child(at, "destination"),
            "is required (only a route with state: absent may leave it out)");
      }
      if (r.routeType() == null
          && r.nextHopInterface() == null
          && !v.isTemplate(Problem.child(at, "next-hop-interface"))) {
        v.problem(
            Problem.child(at, "next-hop-interface"),
            "is required unless route-type is blackhole, unreachable or prohibit");
      }
      if (r.routeType() != null
          && ((r.nextHopInterface() != null && !r.nextHopInterface().equals("lo"))
              || (r.nextHopAddress() != null && !r.nextHopAddress().isEmpty()))) {
        v.problem(
            Problem.child(at, "route-type"),
            "a " + r.routeType() + " route cannot have a next hop");
      }
      v.reference(
          Problem.child(at, "next-hop-interface"), r.nextHopInterface(), "next-hop-interface");
    }
    var gw = r.nextHopAddress();
    if (gw != null && !gw.isEmpty()) {
      int gwFamily = IpText.family(gw);
      if (gwFamily == 0) {
        v.problem(Problem.child(at, "next-hop-address"), "'" + gw + "' is not an IP address");
      } else if (family != 0 && gwFamily != family) {
        v.problem(
            Problem.child(at, "next-hop-address"),
            "'" + gw + "' is IPv" + gwFamily + " but the destination is IPv" + family);
      }
    }
    if (r.source() != null && IpText.family(r.source()) == 0) {
      v.problem(Problem.child(at, "source"), "'" + r.source() + "' is not an IP address");
    }
    v.range(at, "metric", r.metric(), -1, 0xFFFFFFFFL);
    v.range(at, "table-id", r.tableId(), 0, 0xFFFFFFFFL);
    v.range(at, "weight", r.weight(), 1, 256);
    v.range(at, "mtu", r.mtu(), 0, Integer.MAX_VALUE);
    var m = r.metrics();
    if (m.cwnd() != null && m.cwnd() == 0) {
      v.problem(Problem.child(at, "cwnd"), "cannot be 0");
    }
    v.range(at, "cwnd", m.cwnd(), 0, 0xFFFFFFFFL);
    v.range(at, "initcwnd", m.initcwnd(), 0, 0xFFFFFFFFL);
    v.range(at, "initrwnd", m.initrwnd(), 0, 0xFFFFFFFFL);
    v.range(at, "advmss", m.advmss(), 0, 0xFFFFFFFFL);
    if (r.weight() != null && family == 6) {
      v.problem(
          Problem.child(at, "weight"),
          "IPv6 ECMP routes with weight are not supported (as in nmstate)");
    }
    if (r.vrfName() != null && !r.absent()) {
      v.reference(Problem.child(at, "vrf-name"), r.vrfName(), "vrf-name");
    }
  }

  private static void rule(StateValidator v, RouteRule r, String at) {
    if (v.isTemplate(at)) {
      return;
    }
    v.reportExtras(at, r.extras());
    int family = 0;
    if (r.family() != null) {
      if (r.family().equals("ipv4")) {
        family = 4;
      } else if (r.family().equals("ipv6")) {
        family = 6;
      } else {
        v.problem(Problem.child(at, "family"), "'" + r.family() + "' is not one of ipv4, ipv6");
      }
    }
    for (var key : new String[] {"ip-from", "ip-to"}) {
      var net = key.equals("ip-from") ? r.ipFrom() : r.ipTo();
      if (net == null || net.isEmpty()) {
        continue;
      }
      var bad = IpText.checkNetwork(net, family);
      if (bad != null) {
        v.problem(Problem.child(at, key), bad);
      } else if (family == 0) {
        family = IpText.family(stripPrefix(net));
      }
    }
    if (!r.absent()
        && r.family() == null
        && r.ipFrom() == null
        && r.ipTo() == null
        && !v.isTemplate(Problem.child(at, "ip-from"))
        && !v.isTemplate(Problem.child(at, "ip-to"))) {
      v.problem(at, "needs ip-from, ip-to or family");
    }
    if (r.fwmask() != null && r.fwmark() == null) {
      v.problem(Problem.child(at, "fwmask"), "fwmask needs fwmark");
    }
    if (r.action() != null && !ROUTE_TYPES.contains(r.action())) {
      v.problem(
          Problem.child(at, "action"),
          "'" + r.action() + "' is not one of blackhole, unreachable, prohibit");
    }
    v.range(at, "priority", r.priority(), -1, 0xFFFFFFFFL);
    v.range(at, "route-table", r.routeTable(), 0, 0xFFFFFFFFL);
    v.range(at, "fwmark", r.fwmark(), 0, 0xFFFFFFFFL);
    v.range(at, "fwmask", r.fwmask(), 0, 0xFFFFFFFFL);
    v.range(at, "suppress-prefix-length", r.suppressPrefixLength(), -1, 128);
    if (!r.absent()) {
      v.reference(Problem.child(at, "iif"), r.iif(), "iif");
    }
  }

  private static void dns(StateValidator v, DnsConfig d) {
    var at = "dns-resolver.config";
    if (d.server() != null) {
      for (int i = 0; i < d.server().size(); i++) {
        var server = d.server().get(i);
        if (server == null) {
          continue;
        }
        // A link-local IPv6 server names its interface: fe80::1%eth1.
        var pct = server.indexOf('%');
        var addr = pct > 0 && server.indexOf(':') >= 0 ? server.substring(0, pct) : server;
        if (IpText.parse(addr) == null) {
          v.problem(
              Problem.index(Problem.child(at, "server"), i),
              "'" + server + "' is not an IP address");
        }
      }
    }
    if (d.search() != null) {
      for (int i = 0; i < d.search().size(); i++) {
        var domain = d.search().get(i);
        if (domain != null && (domain.isEmpty() || !domain.matches("[A-Za-z0-9_.-]+"))) {
          v.problem(
              Problem.index(Problem.child(at, "search"), i),
              "'" + domain + "' is not a domain name");
        }
      }
    }
    if (d.options() != null) {
      for (int i = 0; i < d.options().size(); i++) {
        var opt = d.options().get(i);
        if (opt == null) {
          continue;
        }
        var colon = opt.indexOf(':');
        var name = colon < 0 ? opt : opt.substring(0, colon);
        if (!DNS_OPTIONS.contains(name)) {
          v.problem(
              Problem.index(Problem.child(at, "options"), i),
              "'"
                  + opt
                  + "' is not a resolver option; expected one of "
                  + String.join(", ", new java.util.TreeSet<>(DNS_OPTIONS)));
        }
      }
    }
  }

  private static String stripPrefix(String net) {
    int slash = net.indexOf('/');
    return slash < 0 ? net : net.substring(0, slash);
  }
}

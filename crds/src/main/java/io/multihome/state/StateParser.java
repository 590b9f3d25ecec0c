package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads an nmstate desired state from a YAML or JSON tree, strictly: every unknown key, wrongly
 * typed value and missing required key becomes a {@link Problem} with its path, and reading goes on
 * so one pass reports them all. Work is linear in the size of the tree.
 */
public final class StateParser {

  private static final Set<String> TOP_UNSUPPORTED = Set.of();

  private StateParser() {}

  /** Parses YAML or JSON text holding one desired state. */
  public static ParseResult parse(String text) throws IOException {
    return parse(Documents.readSingle(text));
  }

  public static ParseResult parse(JsonNode root) {
    return parse(root, new ParseContext());
  }

  static ParseResult parse(JsonNode root, ParseContext ctx) {
    var state = read(root, ctx);
    return new ParseResult(state, ctx.problems);
  }

  private static DesiredState read(JsonNode root, ParseContext ctx) {
    var top = root == null || root.isNull() ? null : Fields.of(root, "", ctx);
    if (top == null) {
      if (root == null || root.isNull()) {
        ctx.problem("", "the document is empty");
      }
      return new DesiredState(
          null, null, null, null, null, null, null, null, null, Extras.NONE, ctx.templates, null);
    }
    var interfaces = InterfaceParser.readAll(top, ctx);
    List<Route> routes = null;
    JsonNode routesRunning = null;
    var routesObj = top.object("routes");
    if (routesObj != null) {
      routes = readRoutes(routesObj, ctx);
      routesRunning = routesObj.queryOnly("running");
      routesObj.finish();
    }
    List<RouteRule> rules = null;
    var rulesObj = top.object("route-rules");
    if (rulesObj != null) {
      rules = readRules(rulesObj, ctx);
      rulesObj.finish();
    }
    DnsConfig dns = null;
    JsonNode dnsRunning = null;
    var dnsObj = top.object("dns-resolver");
    if (dnsObj != null) {
      var config = dnsObj.object("config");
      if (config != null) {
        dns =
            new DnsConfig(
                config.strings("server"), config.strings("search"), config.strings("options"));
        config.finish();
      }
      dnsRunning = dnsObj.queryOnly("running");
      dnsObj.finish();
    }
    var description = top.string("description");
    var ovsDb = OvsParser.readOvsDb(top, ctx);
    var ovn = OvsParser.readOvn(top, ctx);
    DesiredState.Hostname hostname = null;
    var hostObj = top.object("hostname");
    if (hostObj != null) {
      // nmstate sets the running host name too (sethostname), not only the static one.
      hostname = new DesiredState.Hostname(hostObj.string("config"), hostObj.string("running"));
      hostObj.finish();
    }
    var extras = top.finish(TOP_UNSUPPORTED, Set.of());
    return new DesiredState(
        interfaces,
        routes,
        routesRunning,
        rules,
        dns,
        dnsRunning,
        description,
        ovsDb,
        ovn,
        extras,
        ctx.templates,
        hostname);
  }

  private static List<Route> readRoutes(Fields routesObj, ParseContext ctx) {
    var items = routesObj.list("config");
    if (items == null) {
      return null;
    }
    var out = new ArrayList<Route>(items.size());
    for (int i = 0; i < items.size(); i++) {
      var at = Problem.index(routesObj.path("config"), i);
      var f = Fields.of(items.get(i), at, ctx);
      if (f == null) {
        out.add(Route.EMPTY);
        continue;
      }
      var state = f.string("state");
      if (state != null && !state.equals("absent")) {
        ctx.problem(f.path("state"), "'" + state + "' is not valid; a route's state is absent");
      }
      var destination = f.string("destination");
      var nextHopInterface = f.string("next-hop-interface");
      var nextHopAddress = f.string("next-hop-address");
      var metric = f.longValue("metric");
      var tableId = f.longValue("table-id");
      var weight = f.integer("weight");
      var routeType = f.string("route-type");
      var source = f.string("source");
      var mtu = f.integer("mtu");
      var metrics =
          new Route.Metrics(
              f.longValue("cwnd"),
              f.longValue("initcwnd"),
              f.longValue("initrwnd"),
              f.longValue("advmss"),
              f.bool("quickack"),
              f.bool("lock-mtu"));
      var vrfName = f.string("vrf-name");
      out.add(
          new Route(
              "absent".equals(state),
              destination,
              nextHopInterface,
              nextHopAddress,
              metric,
              tableId,
              weight,
              routeType,
              source,
              mtu,
              f.finish(),
              metrics,
              vrfName));
    }
    return InterfaceParser.frozen(out);
  }

  private static List<RouteRule> readRules(Fields rulesObj, ParseContext ctx) {
    var items = rulesObj.list("config");
    if (items == null) {
      return null;
    }
    var out = new ArrayList<RouteRule>(items.size());
    for (int i = 0; i < items.size(); i++) {
      var at = Problem.index(rulesObj.path("config"), i);
      var f = Fields.of(items.get(i), at, ctx);
      if (f == null) {
        out.add(
            new RouteRule(
                false, null, null, null, null, null, null, null, null, null, null, Extras.NONE));
        continue;
      }
      var state = f.string("state");
      if (state != null && !state.equals("absent")) {
        ctx.problem(f.path("state"), "'" + state + "' is not valid; a rule's state is absent");
      }
      var suppressKey = f.alias("suppress-prefix-length", "suppress_prefixlength");
      out.add(
          new RouteRule(
              "absent".equals(state),
              f.string("family"),
              f.string("ip-from"),
              f.string("ip-to"),
              f.longValue("priority"),
              f.longValue("route-table"),
              f.longValue("fwmark"),
              f.longValue("fwmask"),
              f.string("iif"),
              f.string("action"),
              f.integer(suppressKey),
              f.finish()));
    }
    return InterfaceParser.frozen(out);
  }
}

package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An nmstate desired state. A top-level section left out is null.
 *
 * <p>{@code templates} holds every value written as a capture template ({@code "{{
 * capture.<name>.<path> }}"}) by its path (e.g. {@code interfaces[0].bridge.port[0].name}); the
 * field at that path is null (or a null list element) until a render step substitutes it. {@code
 * routesRunning} and {@code dnsRunning} are the query-only {@code running} sections, kept verbatim
 * and ignored on apply. {@code ovsDb} and {@code ovn} are the global Open vSwitch sections ({@code
 * ovs-db}: the {@code Open_vSwitch} row's external_ids/other_config; {@code ovn}: bridge mappings).
 */
public record DesiredState(
    List<Interface> interfaces,
    List<Route> routes,
    JsonNode routesRunning,
    List<RouteRule> routeRules,
    DnsConfig dns,
    JsonNode dnsRunning,
    String description,
    OvsDb ovsDb,
    OvnConfig ovn,
    Extras extras,
    Map<String, Template> templates,
    Hostname hostname) {

  public DesiredState {
    templates = Collections.unmodifiableMap(new LinkedHashMap<>(templates));
  }

  /** A document with no section. */
  public static final DesiredState EMPTY =
      new DesiredState(
          null, null, null, null, null, null, null, null, null, Extras.NONE, Map.of(), null);

  /** This state with other {@code interfaces}. */
  public DesiredState withInterfaces(List<Interface> list) {
    return with(list, routes);
  }

  /** This state with other {@code routes.config}. */
  public DesiredState withRoutes(List<Route> list) {
    return with(interfaces, list);
  }

  private DesiredState with(List<Interface> ifaces, List<Route> routeList) {
    return new DesiredState(
        ifaces,
        routeList,
        routesRunning,
        routeRules,
        dns,
        dnsRunning,
        description,
        ovsDb,
        ovn,
        extras,
        templates,
        hostname);
  }

  /** {@code hostname}: {@code config} is the static host name, {@code running} what is in use. */
  public record Hostname(String config, String running) {}

  public List<Interface> interfacesOrEmpty() {
    return interfaces == null ? List.of() : interfaces;
  }
}

package io.multihome.state;

/** One entry of {@code route-rules.config}; {@code absent} removes matching rules. */
public record RouteRule(
    boolean absent,
    String family,
    String ipFrom,
    String ipTo,
    Long priority,
    Long routeTable,
    Long fwmark,
    Long fwmask,
    String iif,
    String action,
    Integer suppressPrefixLength,
    Extras extras) {}

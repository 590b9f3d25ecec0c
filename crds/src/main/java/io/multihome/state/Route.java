package io.multihome.state;

/**
 * One entry of {@code routes.config}. With {@code absent} true the entry removes every route it
 * matches (unset fields match anything).
 */
public record Route(
    boolean absent,
    String destination,
    String nextHopInterface,
    String nextHopAddress,
    Long metric,
    Long tableId,
    Integer weight,
    String routeType,
    String source,
    Integer mtu,
    Extras extras) {}

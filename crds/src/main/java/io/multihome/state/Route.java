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
    Extras extras,
    Metrics metrics,
    String vrfName) {

  /** An entry with nothing set: what a list item that is not an object stands as. */
  public static final Route EMPTY =
      new Route(
          false,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          Extras.NONE,
          Metrics.NONE,
          null);

  public Route {
    metrics = metrics == null ? Metrics.NONE : metrics;
  }

  /**
   * The route's TCP metrics (RTAX_*): {@code cwnd} (given with its lock, as ip-route(8) says it is
   * useless without), {@code initcwnd}, {@code initrwnd}, {@code advmss}, {@code quickack} and
   * {@code lock-mtu} (the MTU metric locked); null = not given.
   */
  public record Metrics(
      Long cwnd, Long initcwnd, Long initrwnd, Long advmss, Boolean quickack, Boolean lockMtu) {
    public static final Metrics NONE = new Metrics(null, null, null, null, null, null);

    public boolean isEmpty() {
      return equals(NONE);
    }
  }
}

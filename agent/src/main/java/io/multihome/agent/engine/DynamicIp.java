package io.multihome.agent.engine;

import io.multihome.state.DnsConfig;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The engine's hook for addresses that a client keeps rather than the engine sets: DHCPv4, DHCPv6
 * and IPv6 autoconf ({@code io.multihome.agent.dhcp} implements it, in the agent's process or
 * through the agent's socket for the CLI). Without one the engine refuses {@code dhcp: true} and
 * {@code autoconf: true}. The engine never plans, checkpoints or restores dynamic addresses (those
 * with a finite lifetime) itself; it tells this hook what each interface asks for, waits for the
 * leases while verifying, and puts the previous settings back on rollback.
 */
public interface DynamicIp {

  /** The settings in effect, by interface name. */
  Map<String, AutoIp> settings();

  /**
   * Makes each listed interface's settings so: a null value stops its clients and removes what they
   * added (the lease is released at {@link #commit}, so a rollback can take it back). Returns at
   * once; the clients work in the background.
   */
  void configure(Map<String, AutoIp> changes);

  /** Ends an apply: leases of interfaces turned off since the last commit are released. */
  void commit();

  /**
   * Waits until each of {@code names} holds what its settings ask for (a DHCP lease applied), or
   * {@code deadline}. Returns null when they do, else why not (per interface).
   */
  String await(Collection<String> names, Instant deadline);

  /** DNS servers and search domains learned from leases of interfaces with auto-dns. */
  DnsConfig dns();
}

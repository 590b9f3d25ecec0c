package io.multihome.agent.dhcp;

import java.net.Inet4Address;

/**
 * How the DHCPv4 client reaches the segment of one interface: broadcasts from any address (before a
 * lease the interface has none), unicasts to the server, and receives what is sent to port 68.
 * {@link PacketLink} is the Linux one; tests script a server behind a fake.
 */
interface Dhcp4Link extends AutoCloseable {

  /** A received message and the link-layer address it came from. */
  record Received(Dhcp4Message message, byte[] sourceMac) {}

  /** The interface's hardware address (chaddr). */
  byte[] mac();

  /** To 255.255.255.255:67 from {@code source}:68 (0.0.0.0 before a lease), link broadcast. */
  void broadcast(Dhcp4Message m, Inet4Address source);

  /** To {@code server}:67 from {@code source}:68 through {@code nextHopMac} (null: broadcast). */
  void unicast(Dhcp4Message m, Inet4Address source, Inet4Address server, byte[] nextHopMac);

  /**
   * The next DHCP message sent to port 68, or null once {@code deadline} (epoch ms, as {@link
   * Dhcp4Client.Clock} counts) passed or {@link #wakeup} was called.
   */
  Received receive(long deadline);

  /** Makes a pending {@link #receive} return null now (the client is stopping). */
  void wakeup();

  @Override
  void close();
}

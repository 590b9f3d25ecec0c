package io.multihome.agent.dhcp;

import io.multihome.agent.engine.AutoIp;

/** Placeholder until the DHCPv6 client lands (same commit series). */
final class Dhcp6Session {
  private final String name;

  Dhcp6Session(String name, AutoIp.V6 settings, Context ctx) {
    this.name = name;
  }

  Dhcp6Session start() {
    return this;
  }

  Lease6 lease() {
    return null;
  }

  String status() {
    return "DHCPv6 client not implemented yet on " + name;
  }

  void stop(Dhcp4Client.Stop mode) {}
}

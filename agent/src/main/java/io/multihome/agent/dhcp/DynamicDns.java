package io.multihome.agent.dhcp;

import io.multihome.agent.engine.DynamicDnsFile;
import io.multihome.agent.engine.Target;
import io.multihome.state.DnsConfig;

/**
 * DNS learned from leases of interfaces with {@code auto-dns} (the default), put after the static
 * servers and search domains of the target's resolver file, as NetworkManager merges them.
 */
final class DynamicDns {
  private final Target target;

  DynamicDns(Target target) {
    this.target = target;
  }

  void update(DnsConfig learned) {
    DynamicDnsFile.update(target, learned);
  }
}

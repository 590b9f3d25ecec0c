package io.multihome.agent.sriov;

import java.util.Map;

/** Netlink facts about the node's links, read once per status refresh. */
@FunctionalInterface
public interface LinkInfoSource {
  /** Every link by name; a failure here only drops the netlink-only fields from the status. */
  Map<String, LinkDetails> snapshot();

  /** For nodes (and tests) without netlink data: the status carries the sysfs facts only. */
  static LinkInfoSource none() {
    return Map::of;
  }
}

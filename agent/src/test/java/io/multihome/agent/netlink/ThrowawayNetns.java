package io.multihome.agent.netlink;

import java.util.UUID;

/** A uniquely named namespace (mh-nl-XXXXXXXX) with a connection, removed on close. */
final class ThrowawayNetns implements AutoCloseable {
  final String name;
  final RtNetlink nl;

  ThrowawayNetns() {
    name = "mh-nl-" + UUID.randomUUID().toString().substring(0, 8);
    NamedNetns.create(name);
    RtNetlink opened = null;
    try {
      opened = RtNetlink.openNamed(name);
    } finally {
      if (opened == null) {
        NamedNetns.delete(name);
      }
    }
    nl = opened;
  }

  @Override
  public void close() {
    try {
      nl.close();
    } finally {
      NamedNetns.delete(name);
    }
  }
}

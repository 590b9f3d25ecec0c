package io.multihome.agent.engine;

import io.multihome.agent.netlink.RtNetlink;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An op that hands one interface's settings to a service the agent runs for it (DHCP client,
 * supplicant, MKA agent); null settings stop it. A service starts with the address stage (the link
 * exists, is up and has its final MAC) and stops with the address removals (before the link is
 * enslaved or deleted).
 */
interface ServiceConfigure<S> extends Op.Extension {
  String name();

  /** What the service runs with from now on, or null to stop it. */
  S settings();

  /** Hands {@code change} (this interface's settings, by name) to the service. */
  void configure(Map<String, S> change);

  @Override
  default int stage() {
    return settings() == null ? Op.DEL_ADDRESSES : Op.ADD_ADDRESSES;
  }

  @Override
  default List<String> links() {
    return List.of(name());
  }

  @Override
  default void runDirect(RtNetlink nl, Path sysfsRoot) {
    // A HashMap: null settings (stop) are a value Map.of cannot hold.
    var change = new HashMap<String, S>();
    change.put(name(), settings());
    configure(change);
  }

  /** The plan's ops of one kind that {@code which} takes, by interface name, in plan order. */
  static <O extends ServiceConfigure<?>, V> Map<String, V> byName(
      Plan plan, Class<O> kind, Predicate<O> which, Function<O, V> value) {
    var out = new LinkedHashMap<String, V>();
    for (var op : plan.ops()) {
      if (kind.isInstance(op) && which.test(kind.cast(op))) {
        O o = kind.cast(op);
        out.put(o.name(), value.apply(o));
      }
    }
    return out;
  }
}

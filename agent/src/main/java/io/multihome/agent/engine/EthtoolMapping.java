package io.multihome.agent.engine;

import io.multihome.agent.netlink.Ethtool;
import io.multihome.agent.netlink.EthtoolSettings;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.state.EthtoolConfig;
import io.multihome.state.Extras;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * nmstate's {@code ethtool} section to and from the kernel's ethtool netlink settings: the
 * planner's comparison (what differs, and what the link cannot do), {@code show}'s section, and the
 * change sent by {@link OptionOps.SetEthtool}.
 */
final class EthtoolMapping {
  private EthtoolMapping() {}

  /** nmstate ring keys → ETHTOOL_A_RINGS_* (the values; the {@code -max} ones are reported). */
  static final Map<String, Integer> RINGS =
      Map.of(
          "rx", EthtoolSettings.RINGS_RX,
          "rx-jumbo", EthtoolSettings.RINGS_RX_JUMBO,
          "rx-mini", EthtoolSettings.RINGS_RX_MINI,
          "tx", EthtoolSettings.RINGS_TX);

  private static final Map<Integer, Integer> RING_MAX =
      Map.of(
          EthtoolSettings.RINGS_RX, EthtoolSettings.RINGS_RX_MAX,
          EthtoolSettings.RINGS_RX_JUMBO, EthtoolSettings.RINGS_RX_JUMBO_MAX,
          EthtoolSettings.RINGS_RX_MINI, EthtoolSettings.RINGS_RX_MINI_MAX,
          EthtoolSettings.RINGS_TX, EthtoolSettings.RINGS_TX_MAX);

  static String ringName(int attr) {
    for (var e : RINGS.entrySet()) {
      if (e.getValue() == attr) {
        return e.getKey();
      }
    }
    return "ring" + attr;
  }

  static String coalesceName(int attr) {
    for (var e : EthtoolSettings.COALESCE.entrySet()) {
      if (e.getValue() == attr) {
        return e.getKey();
      }
    }
    return "coalesce" + attr;
  }

  /** What {@code want} changes on a link that has {@code have}, or the problems (by path). */
  record Plan(OptionOps.EthtoolChange change, List<String> changed, Map<String, String> problems) {}

  static Plan plan(String dev, EthtoolConfig want, EthtoolSettings have, String at, String p) {
    var problems = new LinkedHashMap<String, String>();
    var changed = new ArrayList<String>();
    Map<String, Boolean> features = null;
    if (want.feature() != null && !want.feature().isEmpty()) {
      var f = have == null ? null : have.features();
      if (f == null) {
        problems.put(at + ".feature", unsupported(dev, "offload features"));
      } else {
        features = new TreeMap<>();
        for (var e : want.feature().entrySet()) {
          boolean on = f.active().contains(e.getKey());
          if (on == e.getValue()) {
            continue; // also a fixed feature already so
          }
          if (!f.changeable().contains(e.getKey())) {
            problems.put(
                at + ".feature." + e.getKey(),
                f.all().contains(e.getKey())
                    ? dev
                        + " cannot change "
                        + e.getKey()
                        + " (the driver reports it fixed "
                        + (on ? "on" : "off")
                        + ")"
                    : dev
                        + " has no changeable feature "
                        + e.getKey()
                        + " (see ethtool -k "
                        + dev
                        + ")");
            continue;
          }
          features.put(e.getKey(), e.getValue());
          changed.add(p + ".feature." + e.getKey());
        }
      }
    }
    EthtoolSettings.Pause pause = null;
    if (want.pause() != null) {
      var w = want.pause();
      var h = have == null ? null : have.pause();
      if (h == null) {
        problems.put(at + ".pause", unsupported(dev, "pause parameters"));
      } else {
        var autoneg = differ(w.autoneg(), h.autoneg(), p + ".pause.autoneg", changed);
        var rx = differ(w.rx(), h.rx(), p + ".pause.rx", changed);
        var tx = differ(w.tx(), h.tx(), p + ".pause.tx", changed);
        if (autoneg != null || rx != null || tx != null) {
          pause = new EthtoolSettings.Pause(autoneg, rx, tx);
        }
      }
    }
    var rings = new TreeMap<Integer, Long>();
    if (want.ring() != null) {
      var r = want.ring();
      var h = have == null ? null : have.rings();
      var given = new LinkedHashMap<String, Long>();
      given.put("rx", r.rx());
      given.put("rx-jumbo", r.rxJumbo());
      given.put("rx-mini", r.rxMini());
      given.put("tx", r.tx());
      given.values().removeIf(Objects::isNull);
      if (!given.isEmpty() && (h == null || h.values().isEmpty())) {
        problems.put(at + ".ring", unsupported(dev, "ring parameters"));
      } else {
        for (var e : given.entrySet()) {
          int attr = RINGS.get(e.getKey());
          var now = h.get(attr);
          var max = h.get(RING_MAX.get(attr));
          if (now == null) {
            problems.put(at + ".ring." + e.getKey(), dev + " reports no " + e.getKey() + " ring");
          } else if (max != null && e.getValue() > max) {
            problems.put(
                at + ".ring." + e.getKey(),
                e.getValue() + " is above the maximum " + max + " of " + dev);
          } else if (!now.equals(e.getValue())) {
            rings.put(attr, e.getValue());
            changed.add(p + ".ring." + e.getKey());
          }
        }
      }
    }
    var coalesce = new TreeMap<Integer, Long>();
    if (want.coalesce() != null) {
      var c = want.coalesce();
      var given = new LinkedHashMap<String, Long>();
      if (c.adaptiveRx() != null) {
        given.put("adaptive-rx", c.adaptiveRx() ? 1L : 0L);
      }
      if (c.adaptiveTx() != null) {
        given.put("adaptive-tx", c.adaptiveTx() ? 1L : 0L);
      }
      given.putAll(c.numbers());
      var h = have == null ? null : have.coalesce();
      if (!given.isEmpty() && (h == null || h.isEmpty())) {
        problems.put(at + ".coalesce", unsupported(dev, "interrupt coalescing"));
      } else {
        for (var e : given.entrySet()) {
          int attr = EthtoolSettings.COALESCE.get(e.getKey());
          var now = h.get(attr);
          if (now == null) {
            problems.put(
                at + ".coalesce." + e.getKey(),
                dev + " does not support coalesce " + e.getKey() + " (its driver leaves it out)");
          } else if (!now.equals(e.getValue())) {
            coalesce.put(attr, e.getValue());
            changed.add(p + ".coalesce." + e.getKey());
          }
        }
      }
    }
    return new Plan(
        new OptionOps.EthtoolChange(features, pause, rings, coalesce), changed, problems);
  }

  private static String unsupported(String dev, String what) {
    return dev + " does not support " + what + " (the kernel answered that its driver has none)";
  }

  private static Boolean differ(Boolean want, Boolean have, String path, List<String> changed) {
    if (want != null && !want.equals(have)) {
      changed.add(path);
      return want;
    }
    return null;
  }

  /** {@code show}'s section: changeable features, pause, rings and coalescing the driver has. */
  static EthtoolConfig toModel(EthtoolSettings s) {
    if (s == null) {
      return null;
    }
    var features = new TreeMap<String, Boolean>();
    if (s.features() != null) {
      for (var name : s.features().changeable()) {
        features.put(name, s.features().active().contains(name));
      }
    }
    EthtoolConfig.Pause pause = null;
    if (s.pause() != null) {
      pause = new EthtoolConfig.Pause(s.pause().autoneg(), s.pause().rx(), s.pause().tx());
    }
    EthtoolConfig.Ring ring = null;
    if (s.rings() != null && !s.rings().values().isEmpty()) {
      var r = s.rings();
      var max = new LinkedHashMap<String, com.fasterxml.jackson.databind.JsonNode>();
      var json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
      RING_MAX.forEach(
          (attr, maxAttr) -> {
            var v = r.get(maxAttr);
            if (v != null && v > 0) {
              max.put(ringName(attr) + "-max", json.numberNode(v));
            }
          });
      ring =
          new EthtoolConfig.Ring(
              positive(r.get(EthtoolSettings.RINGS_RX)),
              positive(r.get(EthtoolSettings.RINGS_RX_JUMBO)),
              positive(r.get(EthtoolSettings.RINGS_RX_MINI)),
              positive(r.get(EthtoolSettings.RINGS_TX)),
              new Extras(Map.of(), new TreeMap<>(max)));
    }
    EthtoolConfig.Coalesce coalesce = null;
    if (s.coalesce() != null && !s.coalesce().isEmpty()) {
      var numbers = new LinkedHashMap<String, Long>();
      for (var key : EthtoolConfig.NUMBERS) {
        var v = s.coalesce().get(EthtoolSettings.COALESCE.get(key));
        if (v != null) {
          numbers.put(key, v);
        }
      }
      var arx = s.coalesce().get(EthtoolSettings.COALESCE.get("adaptive-rx"));
      var atx = s.coalesce().get(EthtoolSettings.COALESCE.get("adaptive-tx"));
      coalesce =
          new EthtoolConfig.Coalesce(
              arx == null ? null : arx != 0, atx == null ? null : atx != 0, numbers);
    }
    if (features.isEmpty() && pause == null && ring == null && coalesce == null) {
      return null;
    }
    return new EthtoolConfig(
        pause, features.isEmpty() ? null : features, ring, coalesce, Extras.NONE);
  }

  /** A ring the driver has none of is reported as 0: nmstate leaves it out. */
  private static Long positive(Long v) {
    return v == null || v == 0 ? null : v;
  }

  /** Sends {@code change} to {@code dev} in {@code netns} (null: the process's namespace). */
  static void apply(String netns, String dev, OptionOps.EthtoolChange change) {
    try (var genl = RtNetlink.openGeneric(netns)) {
      var ethtool = Ethtool.on(genl);
      if (ethtool == null) {
        throw new IllegalStateException(
            "the kernel has no ethtool netlink (CONFIG_ETHTOOL_NETLINK)");
      }
      var ops = ethtool.settings();
      if (change.features() != null && !change.features().isEmpty()) {
        ops.setFeatures(dev, change.features());
      }
      if (change.pause() != null) {
        ops.setPause(dev, change.pause());
      }
      if (change.rings() != null && !change.rings().isEmpty()) {
        ops.setRings(dev, change.rings());
      }
      if (change.coalesce() != null && !change.coalesce().isEmpty()) {
        ops.setCoalesce(dev, change.coalesce());
      }
    }
  }

  /** The current values of what {@code change} sets, to put them back on rollback. */
  static OptionOps.EthtoolChange previous(OptionOps.EthtoolChange change, EthtoolSettings have) {
    Map<String, Boolean> features = null;
    if (change.features() != null && have.features() != null) {
      features = new TreeMap<>();
      for (var k : change.features().keySet()) {
        features.put(k, have.features().active().contains(k));
      }
    }
    EthtoolSettings.Pause pause = null;
    if (change.pause() != null && have.pause() != null) {
      var w = change.pause();
      var h = have.pause();
      pause =
          new EthtoolSettings.Pause(
              w.autoneg() == null ? null : h.autoneg(),
              w.rx() == null ? null : h.rx(),
              w.tx() == null ? null : h.tx());
    }
    var rings = new TreeMap<Integer, Long>();
    if (change.rings() != null && have.rings() != null) {
      change.rings().keySet().forEach(a -> rings.put(a, have.rings().get(a)));
    }
    var coalesce = new TreeMap<Integer, Long>();
    if (change.coalesce() != null && have.coalesce() != null) {
      change.coalesce().keySet().forEach(a -> coalesce.put(a, have.coalesce().get(a)));
    }
    return new OptionOps.EthtoolChange(features, pause, rings, coalesce);
  }
}

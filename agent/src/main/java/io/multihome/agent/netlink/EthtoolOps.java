package io.multihome.agent.netlink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * ethtool netlink beyond link modes: features, pause, rings and coalescing of one link (get and
 * set), and of every link at once (one dump per message type, for {@code show}).
 */
public final class EthtoolOps {
  private static final int GENL_HDRLEN = 4;
  private static final int MSG_FEATURES_GET = 11;
  private static final int MSG_FEATURES_SET = 12;
  private static final int MSG_RINGS_GET = 15;
  private static final int MSG_RINGS_SET = 16;
  private static final int MSG_COALESCE_GET = 19;
  private static final int MSG_COALESCE_SET = 20;
  private static final int MSG_PAUSE_GET = 21;
  private static final int MSG_PAUSE_SET = 22;
  private static final int A_HEADER = 1;
  private static final int A_HEADER_DEV_NAME = 2;
  private static final int A_FEATURES_HW = 2;
  private static final int A_FEATURES_WANTED = 3;
  private static final int A_FEATURES_ACTIVE = 4;
  private static final int A_FEATURES_NOCHANGE = 5;
  private static final int A_BITSET_NOMASK = 1;
  private static final int A_BITSET_BITS = 3;
  private static final int A_BITSET_BITS_BIT = 1;
  private static final int A_BITSET_BIT_NAME = 2;
  private static final int A_BITSET_BIT_VALUE = 3;
  private static final int A_PAUSE_AUTONEG = 2;
  private static final int A_PAUSE_RX = 3;
  private static final int A_PAUSE_TX = 4;

  private final RtNetlink genl;
  private final int family;

  EthtoolOps(RtNetlink genl, int family) {
    this.genl = genl;
    this.family = family;
  }

  /** Every section of {@code dev}; sections the driver does not implement are null. */
  public EthtoolSettings read(String dev) {
    return new EthtoolSettings(
        features(one(MSG_FEATURES_GET, dev)),
        pause(one(MSG_PAUSE_GET, dev)),
        rings(one(MSG_RINGS_GET, dev)),
        coalesce(one(MSG_COALESCE_GET, dev)));
  }

  /** Every link's settings, by name: four dumps (a driver without a section is left out of it). */
  public Map<String, EthtoolSettings> readAll() {
    var features = dump(MSG_FEATURES_GET);
    var pause = dump(MSG_PAUSE_GET);
    var rings = dump(MSG_RINGS_GET);
    var coalesce = dump(MSG_COALESCE_GET);
    var names = new java.util.TreeSet<String>();
    names.addAll(features.keySet());
    names.addAll(pause.keySet());
    names.addAll(rings.keySet());
    names.addAll(coalesce.keySet());
    var out = new LinkedHashMap<String, EthtoolSettings>();
    for (var n : names) {
      out.put(
          n,
          new EthtoolSettings(
              features(features.get(n)),
              pause(pause.get(n)),
              rings(rings.get(n)),
              coalesce(coalesce.get(n))));
    }
    return out;
  }

  /** Turns each named feature on or off (only changeable ones: the kernel refuses the others). */
  public void setFeatures(String dev, Map<String, Boolean> wanted) {
    genl.exchange(
        request(
            MSG_FEATURES_SET,
            dev,
            b -> {
              int set = b.beginNested(A_FEATURES_WANTED);
              int bits = b.beginNested(A_BITSET_BITS);
              for (var e : wanted.entrySet()) {
                int bit = b.beginNested(A_BITSET_BITS_BIT);
                b.attrString(A_BITSET_BIT_NAME, e.getKey());
                if (e.getValue()) {
                  b.attrFlag(A_BITSET_BIT_VALUE);
                }
                b.endNested(bit);
              }
              b.endNested(bits);
              b.endNested(set);
            }));
  }

  public void setPause(String dev, EthtoolSettings.Pause p) {
    genl.exchange(
        request(
            MSG_PAUSE_SET,
            dev,
            b -> {
              if (p.autoneg() != null) {
                b.attrU8(A_PAUSE_AUTONEG, p.autoneg() ? 1 : 0);
              }
              if (p.rx() != null) {
                b.attrU8(A_PAUSE_RX, p.rx() ? 1 : 0);
              }
              if (p.tx() != null) {
                b.attrU8(A_PAUSE_TX, p.tx() ? 1 : 0);
              }
            }));
  }

  /** Sets ring sizes by ETHTOOL_A_RINGS_* attribute. */
  public void setRings(String dev, Map<Integer, Long> values) {
    genl.exchange(
        request(MSG_RINGS_SET, dev, b -> values.forEach((a, v) -> b.attrU32(a, v.intValue()))));
  }

  /** Sets coalescing by ETHTOOL_A_COALESCE_* attribute (the adaptive ones as 0/1). */
  public void setCoalesce(String dev, Map<Integer, Long> values) {
    genl.exchange(
        request(
            MSG_COALESCE_SET,
            dev,
            b ->
                values.forEach(
                    (a, v) -> {
                      if (EthtoolSettings.COALESCE_FLAGS.contains(a)) {
                        b.attrU8(a, v.intValue());
                      } else {
                        b.attrU32(a, v.intValue());
                      }
                    })));
  }

  private Attrs one(int cmd, String dev) {
    try {
      for (var m : genl.exchange(request(cmd, dev, b -> {}))) {
        return m.attrs(GENL_HDRLEN);
      }
    } catch (NetlinkException e) {
      // EOPNOTSUPP: the driver does not implement it; ENODEV: gone.
    }
    return null;
  }

  private Map<String, Attrs> dump(int cmd) {
    var out = new HashMap<String, Attrs>();
    List<NlMessage> replies;
    try {
      replies = genl.dump(request(cmd, null, b -> {}));
    } catch (NetlinkException e) {
      return out;
    }
    for (var m : replies) {
      if (m.type() != family) {
        continue;
      }
      var a = m.attrs(GENL_HDRLEN);
      var name = a.nested(A_HEADER).string(A_HEADER_DEV_NAME);
      if (name != null) {
        out.put(name, a);
      }
    }
    return out;
  }

  private Request request(int cmd, String dev, Consumer<MessageBuilder> body) {
    return new Request(
        "ethtool " + cmd,
        dev == null ? "all" : dev,
        family,
        0,
        b -> {
          b.u8(cmd).u8(1).u16(0);
          int h = b.beginNested(A_HEADER);
          if (dev != null) {
            b.attrString(A_HEADER_DEV_NAME, dev);
          }
          b.endNested(h);
          body.accept(b);
        });
  }

  private static EthtoolSettings.Features features(Attrs a) {
    if (a == null) {
      return null;
    }
    var hw = names(a.nested(A_FEATURES_HW));
    var active = names(a.nested(A_FEATURES_ACTIVE));
    var all = new HashSet<String>(hw);
    all.addAll(active);
    all.addAll(names(a.nested(A_FEATURES_WANTED)));
    all.addAll(names(a.nested(A_FEATURES_NOCHANGE)));
    return new EthtoolSettings.Features(hw, active, all);
  }

  /** The names of a verbose bitset's bits that are set (list form: every listed bit is set). */
  private static Set<String> names(Attrs bitset) {
    var out = new HashSet<String>();
    boolean list = bitset.find(A_BITSET_NOMASK) != null;
    for (var bit : bitset.nested(A_BITSET_BITS).all(A_BITSET_BITS_BIT)) {
      var b = bit.nestedAttrs();
      var name = b.string(A_BITSET_BIT_NAME);
      if (name != null && (list || b.find(A_BITSET_BIT_VALUE) != null)) {
        out.add(name);
      }
    }
    return out;
  }

  private static EthtoolSettings.Pause pause(Attrs a) {
    if (a == null) {
      return null;
    }
    return new EthtoolSettings.Pause(
        flag(a.u8(A_PAUSE_AUTONEG)), flag(a.u8(A_PAUSE_RX)), flag(a.u8(A_PAUSE_TX)));
  }

  private static Boolean flag(Integer v) {
    return v == null ? null : v != 0;
  }

  private static EthtoolSettings.Rings rings(Attrs a) {
    if (a == null) {
      return null;
    }
    var m = new HashMap<Integer, Long>();
    for (int attr = EthtoolSettings.RINGS_RX_MAX; attr <= EthtoolSettings.RINGS_TX; attr++) {
      var v = a.u32(attr);
      if (v != null) {
        m.put(attr, Integer.toUnsignedLong(v));
      }
    }
    return new EthtoolSettings.Rings(m);
  }

  private static Map<Integer, Long> coalesce(Attrs a) {
    if (a == null) {
      return null;
    }
    var m = new java.util.TreeMap<Integer, Long>();
    for (var attr : EthtoolSettings.COALESCE.values()) {
      var at = a.find(attr);
      if (at == null) {
        continue;
      }
      m.put(
          attr,
          EthtoolSettings.COALESCE_FLAGS.contains(attr)
              ? (long) at.u8()
              : Integer.toUnsignedLong(at.u32()));
    }
    return m;
  }

  /** For messages: the names in {@code changes} the kernel does not know. */
  static List<String> unknown(EthtoolSettings.Features f, Set<String> names) {
    var out = new ArrayList<String>();
    for (var n : names) {
      if (!f.all().contains(n)) {
        out.add(n);
      }
    }
    return out;
  }
}

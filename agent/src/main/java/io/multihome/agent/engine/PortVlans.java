package io.multihome.agent.engine;

import io.multihome.agent.netlink.BridgeVlan;
import io.multihome.state.BridgeConfig;
import io.multihome.state.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A bridge port's {@code vlan} section as kernel bridge VLAN entries, and back. Access: the tag is
 * the PVID, untagged. Trunk: each trunk tag is tagged; with {@code enable-native} the tag is the
 * PVID, untagged. The port's list is replaced wholesale (VLAN 1 included).
 */
final class PortVlans {
  static final int PVID = 1;
  static final int UNTAGGED = 2;

  private PortVlans() {}

  /** VID → flags ({@link #PVID}, {@link #UNTAGGED}); null with problems added when invalid. */
  static TreeMap<Integer, Integer> desired(
      BridgeConfig.PortVlan v, String at, List<Problem> problems) {
    var out = new TreeMap<Integer, Integer>();
    int before = problems.size();
    if (v.mode() == null) {
      problems.add(new Problem(at + ".mode", "give trunk or access"));
      return null;
    }
    if (v.mode() == BridgeConfig.PortVlanMode.ACCESS) {
      if (v.trunkTags() != null && !v.trunkTags().isEmpty()) {
        problems.add(new Problem(at + ".trunk-tags", "an access port takes no trunk-tags"));
      }
      if (Boolean.TRUE.equals(v.enableNative())) {
        problems.add(new Problem(at + ".enable-native", "an access port has no native VLAN"));
      }
      if (!vid(v.tag(), at + ".tag", problems)) {
        return null;
      }
      out.put(v.tag(), PVID | UNTAGGED);
    } else {
      if (v.trunkTags() == null || v.trunkTags().isEmpty()) {
        problems.add(new Problem(at + ".trunk-tags", "a trunk port needs trunk-tags"));
        return null;
      }
      for (int i = 0; i < v.trunkTags().size(); i++) {
        var t = v.trunkTags().get(i);
        var tp = at + ".trunk-tags[" + i + "]" + (t.range() ? ".id-range" : ".id");
        if (!vid(t.min(), tp + (t.range() ? ".min" : ""), problems)
            || !vid(t.max(), tp + (t.range() ? ".max" : ""), problems)) {
          continue;
        }
        if (t.max() < t.min()) {
          problems.add(new Problem(tp, "max " + t.max() + " is below min " + t.min()));
          continue;
        }
        for (int id = t.min(); id <= t.max(); id++) {
          out.put(id, 0);
        }
      }
      if (Boolean.TRUE.equals(v.enableNative())) {
        if (vid(v.tag(), at + ".tag", problems)) {
          if (out.containsKey(v.tag())) {
            problems.add(
                new Problem(at + ".tag", "native VLAN " + v.tag() + " is also a trunk tag"));
          }
          out.put(v.tag(), PVID | UNTAGGED);
        }
      }
    }
    return problems.size() == before ? out : null;
  }

  private static boolean vid(Integer id, String at, List<Problem> problems) {
    if (id == null || id < 1 || id > 4094) {
      problems.add(new Problem(at, "a VLAN id 1..4094 is needed, not " + id));
      return false;
    }
    return true;
  }

  static TreeMap<Integer, Integer> expand(List<BridgeVlan> list) {
    var out = new TreeMap<Integer, Integer>();
    for (var v : list) {
      int flags = (v.pvid() ? PVID : 0) | (v.untagged() ? UNTAGGED : 0);
      for (int id = v.vid(); id <= v.vidEnd(); id++) {
        out.put(id, flags);
      }
    }
    return out;
  }

  /** Consecutive VIDs with the same flags as ranges; a PVID entry stays single. */
  static List<BridgeVlan> compress(Map<Integer, Integer> vids) {
    var out = new ArrayList<BridgeVlan>();
    Integer start = null;
    int end = 0;
    int flags = 0;
    for (var e : vids.entrySet()) {
      int id = e.getKey();
      int f = e.getValue();
      if (start != null && id == end + 1 && f == flags && (f & PVID) == 0) {
        end = id;
        continue;
      }
      if (start != null) {
        out.add(entry(start, end, flags));
      }
      start = id;
      end = id;
      flags = f;
    }
    if (start != null) {
      out.add(entry(start, end, flags));
    }
    return out;
  }

  private static BridgeVlan entry(int from, int to, int flags) {
    return new BridgeVlan(from, to, (flags & PVID) != 0, (flags & UNTAGGED) != 0);
  }

  /** Deletes of VIDs not wanted, then adds of VIDs missing or with other flags. */
  static List<Op> plan(
      String port, Map<Integer, Integer> want, List<BridgeVlan> have, String path) {
    var current = expand(have);
    var delete = new TreeMap<Integer, Integer>();
    var add = new TreeMap<Integer, Integer>();
    current.forEach(
        (id, f) -> {
          if (!want.containsKey(id)) {
            delete.put(id, 0);
          }
        });
    want.forEach(
        (id, f) -> {
          if (!Objects.equals(current.get(id), f)) {
            add.put(id, f);
          }
        });
    var ops = new ArrayList<Op>();
    for (var v : compress(delete)) {
      ops.add(new Op.SetPortVlan(port, v, false, new Op.Diff(path, "lacks " + text(v), "has it")));
    }
    for (var v : compress(add)) {
      ops.add(new Op.SetPortVlan(port, v, true, new Op.Diff(path, "has " + text(v), "lacks it")));
    }
    return ops;
  }

  static String text(BridgeVlan v) {
    return "vid "
        + v.vid()
        + (v.vidEnd() != v.vid() ? "-" + v.vidEnd() : "")
        + (v.pvid() ? " pvid" : "")
        + (v.untagged() ? " untagged" : "");
  }

  /**
   * The kernel's list as nmstate writes it: one PVID+untagged VLAN alone is an access port;
   * otherwise a trunk whose tagged VLANs are trunk tags and whose PVID+untagged VLAN is native.
   */
  static BridgeConfig.PortVlan toModel(List<BridgeVlan> list) {
    var vids = expand(list);
    Integer nativeTag = null;
    var tagged = new TreeMap<Integer, Integer>();
    for (var e : vids.entrySet()) {
      if (e.getValue() == (PVID | UNTAGGED) && nativeTag == null) {
        nativeTag = e.getKey();
      } else {
        tagged.put(e.getKey(), 0);
      }
    }
    if (tagged.isEmpty() && nativeTag != null) {
      return new BridgeConfig.PortVlan(BridgeConfig.PortVlanMode.ACCESS, nativeTag, null, null);
    }
    var tags = new ArrayList<BridgeConfig.TrunkTag>();
    for (var v : compress(tagged)) {
      tags.add(
          v.vid() == v.vidEnd()
              ? BridgeConfig.TrunkTag.id(v.vid())
              : BridgeConfig.TrunkTag.range(v.vid(), v.vidEnd()));
    }
    return new BridgeConfig.PortVlan(
        BridgeConfig.PortVlanMode.TRUNK, nativeTag, nativeTag != null ? Boolean.TRUE : null, tags);
  }
}

package io.multihome.state;

import io.multihome.state.BridgeConfig.PortVlanMode;
import io.multihome.state.BridgeConfig.TrunkTag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;

/** Rules for a {@code linux-bridge}: options, STP timers, ports and their VLAN filtering. */
final class BridgeValidator {

  private final StateValidator v;

  BridgeValidator(StateValidator v) {
    this.v = v;
  }

  void check(String name, BridgeConfig b, String at) {
    if (b == null) {
      return;
    }
    var o = b.options();
    if (o != null) {
      var op = Problem.child(at, "options");
      v.reportExtras(op, o.extras());
      if (o.stp() != null) {
        var sp = Problem.child(op, "stp");
        v.range(sp, "forward-delay", o.stp().forwardDelay(), 2, 30);
        v.range(sp, "hello-time", o.stp().helloTime(), 1, 10);
        v.range(sp, "max-age", o.stp().maxAge(), 6, 40);
        v.range(sp, "priority", o.stp().priority(), 0, 65535);
      }
      v.range(op, "group-fwd-mask", o.groupFwdMask(), 0, 65535);
      new InterfaceValidator(v).mac(Problem.child(op, "group-addr"), o.groupAddr());
      if (o.vlanProtocol() != null
          && !InterfaceValidator.VLAN_PROTOCOLS.contains(o.vlanProtocol())) {
        v.problem(
            Problem.child(op, "vlan-protocol"),
            "'" + o.vlanProtocol() + "' is not one of 802.1q, 802.1ad");
      }
      v.range(op, "vlan-default-pvid", o.vlanDefaultPvid(), 0, 4094);
      v.range(op, "mac-ageing-time", o.macAgeingTime(), 0, 0xFFFFFFFFL);
    }
    if (b.port() == null) {
      return;
    }
    var names = new HashSet<String>();
    for (int i = 0; i < b.port().size(); i++) {
      var p = b.port().get(i);
      var pp = Problem.index(Problem.child(at, "port"), i);
      if (p.extras() != null) {
        v.reportExtras(pp, p.extras());
      }
      if (p.name() != null) {
        if (p.name().equals(name)) {
          v.problem(Problem.child(pp, "name"), "a bridge cannot be its own port");
        } else if (!names.add(p.name())) {
          v.problem(Problem.child(pp, "name"), "port '" + p.name() + "' is listed twice");
        }
        v.reference(Problem.child(pp, "name"), p.name(), "port");
      }
      v.range(pp, "stp-priority", p.stpPriority(), 0, 63);
      v.range(pp, "stp-path-cost", p.stpPathCost(), 1, 65535);
      if (p.vlan() != null) {
        checkPortVlan(p.vlan(), Problem.child(pp, "vlan"));
      }
    }
  }

  void checkPortVlan(BridgeConfig.PortVlan vlan, String at) {
    var tags = vlan.trunkTags();
    boolean hasTags = tags != null && !tags.isEmpty();
    var mode = vlan.mode();
    if (mode == null) {
      if (hasTags) {
        v.problem(Problem.child(at, "mode"), "trunk-tags need mode: trunk");
      }
    } else if (mode == PortVlanMode.TRUNK) {
      if (!hasTags && !v.isTemplate(Problem.child(at, "trunk-tags"))) {
        v.problem(
            Problem.child(at, "trunk-tags"), "trunk mode needs at least one entry in trunk-tags");
      }
      if (vlan.tag() != null && !Boolean.TRUE.equals(vlan.enableNative())) {
        v.problem(
            Problem.child(at, "tag"),
            "a tag on a trunk port is its native VLAN and needs enable-native: true");
      }
      if (Boolean.TRUE.equals(vlan.enableNative())
          && vlan.tag() == null
          && !v.isTemplate(Problem.child(at, "tag"))) {
        v.problem(Problem.child(at, "tag"), "enable-native: true needs tag (the native VLAN id)");
      }
    } else {
      if (vlan.tag() == null && !v.isTemplate(Problem.child(at, "tag"))) {
        v.problem(Problem.child(at, "tag"), "access mode needs tag (the port's VLAN id)");
      }
      if (hasTags) {
        v.problem(
            Problem.child(at, "trunk-tags"), "access mode takes no trunk-tags; use mode: trunk");
      }
      if (Boolean.TRUE.equals(vlan.enableNative())) {
        v.problem(Problem.child(at, "enable-native"), "enable-native is only valid in trunk mode");
      }
    }
    v.range(at, "tag", vlan.tag(), 1, 4094);
    if (tags != null) {
      checkTrunkTags(tags, Problem.child(at, "trunk-tags"));
    }
  }

  private record Span(int min, int max, int index) {}

  private void checkTrunkTags(List<TrunkTag> tags, String at) {
    var spans = new ArrayList<Span>(tags.size());
    for (int i = 0; i < tags.size(); i++) {
      var t = tags.get(i);
      var tp = Problem.index(at, i);
      if (t.range()) {
        var rp = Problem.child(tp, "id-range");
        v.range(rp, "min", t.min(), 1, 4094);
        v.range(rp, "max", t.max(), 1, 4094);
        if (t.min() != null && t.max() != null && t.min() > t.max()) {
          v.problem(rp, "min " + t.min() + " is greater than max " + t.max());
          continue;
        }
      } else {
        v.range(tp, "id", t.min(), 1, 4094);
      }
      if (t.min() != null && t.max() != null) {
        spans.add(new Span(t.min(), t.max(), i));
      }
    }
    spans.sort(Comparator.comparingInt(Span::min).thenComparingInt(Span::index));
    Span widest = null;
    for (var s : spans) {
      if (widest != null && s.min() <= widest.max()) {
        var first = s.index() < widest.index() ? s : widest;
        var second = s.index() < widest.index() ? widest : s;
        v.problem(
            Problem.index(at, second.index()),
            describe(second)
                + " overlaps trunk-tags["
                + first.index()
                + "] ("
                + describe(first)
                + ")");
      }
      if (widest == null || s.max() > widest.max()) {
        widest = s;
      }
    }
  }

  private static String describe(Span s) {
    return s.min() == s.max() ? "VLAN " + s.min() : "VLANs " + s.min() + ".." + s.max();
  }
}

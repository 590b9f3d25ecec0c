package io.multihome.agent.engine;

import io.multihome.state.DesiredState;
import io.multihome.state.Identifier;
import io.multihome.state.Interface;
import io.multihome.state.InterfaceState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.TreeSet;

/**
 * Plans the {@link KeptSettings} a document changes: the profiles of NICs matched by MAC or PCI
 * address, {@code lldp.enabled} and {@code dispatch} scripts. The whole new file is written by one
 * op (after everything else), and only when it differs from the file now.
 */
final class KeptPlanner {
  private KeptPlanner() {}

  static void plan(DesiredState desired, PlanContext ctx) {
    var extras = ctx.snapshot().extras();
    var old = extras.kept();
    var profiles = new ArrayList<>(old.profiles());
    var lldp = new TreeSet<>(old.lldp());
    var dispatch = new HashMap<>(old.dispatch());
    var changed = new ArrayList<String>();
    var ifaces = desired.interfacesOrEmpty();
    for (var d : ifaces) {
      var state = d.common().effectiveState();
      if (d instanceof Interface.Unsupported
          || d.name() == null
          || state == InterfaceState.IGNORE) {
        continue;
      }
      var p = "interfaces[" + d.name() + "]";
      var link = ctx.current(d.name());
      if (state == InterfaceState.ABSENT) {
        if (lldp.remove(d.name())) {
          changed.add(p + ".lldp");
        }
        if (dispatch.remove(d.name()) != null) {
          changed.add(p + ".dispatch");
        }
        if (profiles.removeIf(pr -> pr.profileName().equals(d.name()) || pointsAt(ctx, pr, link))) {
          changed.add(p + ".profile-name");
        }
        continue;
      }
      var c = d.common();
      if (c.lldpEnabled() != null
          && (c.lldpEnabled() ? lldp.add(d.name()) : lldp.remove(d.name()))) {
        changed.add(p + ".lldp.enabled");
      }
      var want = c.options().dispatch();
      if (want != null) {
        var now = dispatch.get(d.name());
        var up = pick(want.postActivation(), now == null ? null : now.postActivation());
        var down = pick(want.postDeactivation(), now == null ? null : now.postDeactivation());
        var next = up == null && down == null ? null : new KeptSettings.Dispatch(up, down);
        if (!java.util.Objects.equals(now, next)) {
          changed.add(p + ".dispatch");
          if (next == null) {
            dispatch.remove(d.name());
          } else {
            dispatch.put(d.name(), next);
          }
        }
      }
      var id = c.options().identifier();
      if (id == Identifier.MAC_ADDRESS || id == Identifier.PCI_ADDRESS) {
        var profile = profile(d, link, id);
        var others = new ArrayList<KeptSettings.Profile>();
        for (var pr : profiles) {
          if (!pr.profileName().equals(profile.profileName()) && !pointsAt(ctx, pr, link)) {
            others.add(pr);
          }
        }
        others.add(profile);
        if (!new KeptSettings(others, List.of(), null)
            .profiles()
            .equals(new KeptSettings(profiles, List.of(), null).profiles())) {
          changed.add(p + ".identifier");
          profiles = others;
        }
      } else if (id == Identifier.NAME && profiles.removeIf(pr -> pointsAt(ctx, pr, link))) {
        changed.add(p + ".identifier");
      }
    }
    var next = new KeptSettings(profiles, List.copyOf(lldp), dispatch);
    if (next.equals(old)) {
      return;
    }
    if (extras.env() == null) {
      ctx.problem(changed.get(0), "the engine was not given a state directory for this setting");
      return;
    }
    ctx.add(
        new OptionOps.WriteFile(
            extras.env().keptFile(),
            next.toJson(),
            "kept settings (" + String.join(", ", changed) + ")",
            new Op.Diff(String.join(", ", changed), "set", "different")));
  }

  private static String pick(String want, String now) {
    if (want == null) {
      return now;
    }
    return want.isEmpty() ? null : want;
  }

  private static boolean pointsAt(PlanContext ctx, KeptSettings.Profile p, NodeLink link) {
    if (link == null) {
      return false;
    }
    var l = Identifiers.find(ctx.snapshot(), p);
    return l != null && l.name().equals(link.name());
  }

  /** The profile an entry resolved by {@link Identifiers} keeps. */
  private static KeptSettings.Profile profile(Interface d, NodeLink link, Identifier id) {
    var c = d.common();
    var name = c.options().profileName() == null ? d.name() : c.options().profileName();
    if (id == Identifier.PCI_ADDRESS) {
      return new KeptSettings.Profile(name, id.wire(), null, c.options().pciAddress());
    }
    // The permanent address does not change with the MAC, so it finds the NIC again.
    String mac = c.macAddress();
    if (link != null
        && link.permanentMac() != null
        && !link.permanentMac().equals("00:00:00:00:00:00")) {
      mac = link.permanentMac();
    }
    return new KeptSettings.Profile(
        name, id.wire(), mac == null ? null : mac.toUpperCase(java.util.Locale.ROOT), null);
  }
}

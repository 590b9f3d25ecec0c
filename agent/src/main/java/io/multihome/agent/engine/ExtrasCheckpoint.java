package io.multihome.agent.engine;

import io.multihome.agent.netlink.EthtoolSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a plan changes beside links, addresses, routes and rules, recorded before its first change:
 * the files it writes (kept settings, the static host name: bytes, or that they did not exist), the
 * running host name, the alternative names of the links it touches, the ethtool values it changes,
 * the {@code sriov_drivers_autoprobe} of PFs and the balance-slb tables it replaces or removes
 * ({@code slb}: bond → listing before, "" when there was none). {@link #restore} puts them back by
 * difference.
 */
public record ExtrasCheckpoint(
    List<ResolvConfFile.Saved> files,
    String hostnameRunning,
    Map<String, List<String>> altNames,
    List<SavedEthtool> ethtool,
    Map<String, Boolean> driversAutoprobe,
    String netns,
    String sysfsRoot,
    Map<String, String> slb) {

  /** One link's ethtool values before the plan changed them (only the changed ones). */
  public record SavedEthtool(
      String dev,
      Map<String, Boolean> features,
      Boolean pauseAutoneg,
      Boolean pauseRx,
      Boolean pauseTx,
      Map<Integer, Long> rings,
      Map<Integer, Long> coalesce) {}

  static ExtrasCheckpoint capture(Snapshot before, Plan plan, Target target, Path sysfsRoot) {
    var files = new ArrayList<ResolvConfFile.Saved>();
    String hostname = null;
    var alt = new HashMap<String, List<String>>();
    var ethtool = new ArrayList<SavedEthtool>();
    var autoprobe = new HashMap<String, Boolean>();
    var slb = new HashMap<String, String>();
    var extras = before.extras();
    var byName = before.byName();
    for (var op : plan.ops()) {
      if (op instanceof OptionOps.WriteFile w) {
        files.add(ResolvConfFile.save(w.file()));
      } else if (op instanceof OptionOps.SetHostname && extras.hostname() != null) {
        hostname = extras.hostname().running();
      } else if (op instanceof OptionOps.SetEthtool e && byName.containsKey(e.dev())) {
        var have = extras.ethtool().get(e.dev());
        if (have != null) {
          var prev = EthtoolMapping.previous(e.change(), have);
          ethtool.add(
              new SavedEthtool(
                  e.dev(),
                  prev.features(),
                  prev.pause() == null ? null : prev.pause().autoneg(),
                  prev.pause() == null ? null : prev.pause().rx(),
                  prev.pause() == null ? null : prev.pause().tx(),
                  prev.rings(),
                  prev.coalesce()));
        }
      } else if (op instanceof BondSlbPlanner.SetSlb t) {
        slb.put(t.bond(), extras.slb().getOrDefault(t.bond(), ""));
      } else if (op instanceof OptionOps.SetDriversAutoprobe a) {
        var v = extras.driversAutoprobe().get(a.pf());
        if (v != null) {
          autoprobe.put(a.pf(), v);
        }
      }
    }
    for (var name : plan.touched()) {
      var l = byName.get(name);
      if (l != null && !l.altNames().isEmpty()) {
        alt.put(name, l.altNames());
      }
    }
    for (var op : plan.ops()) {
      if (op instanceof OptionOps.SetAltName a && byName.containsKey(a.link())) {
        alt.putIfAbsent(a.link(), byName.get(a.link()).altNames());
      }
    }
    return new ExtrasCheckpoint(
        files, hostname, alt, ethtool, autoprobe, target.netns(), sysfsRoot.toString(), slb);
  }

  /** Puts everything back; returns what still differs. */
  List<String> restore(io.multihome.agent.netlink.RtNetlink nl) {
    var left = new ArrayList<String>();
    for (var f : files == null ? List.<ResolvConfFile.Saved>of() : files) {
      var why = ResolvConfFile.restore(f);
      if (why != null) {
        left.add(why);
      }
    }
    if (hostnameRunning != null) {
      try {
        HostnamePlanner.setRunning(hostnameRunning);
      } catch (RuntimeException e) {
        left.add("hostname.running: " + e.getMessage());
      }
    }
    restoreAltNames(nl, left);
    if (slb != null) {
      slb.forEach(
          (bond, listing) -> {
            try {
              BondSlb.load(netns, bond, listing.isEmpty() ? null : listing);
            } catch (RuntimeException e) {
              left.add("balance-slb table of " + bond + ": " + e.getMessage());
            }
          });
    }
    for (var e : ethtool == null ? List.<SavedEthtool>of() : ethtool) {
      try {
        var pause =
            e.pauseAutoneg() == null && e.pauseRx() == null && e.pauseTx() == null
                ? null
                : new EthtoolSettings.Pause(e.pauseAutoneg(), e.pauseRx(), e.pauseTx());
        EthtoolMapping.apply(
            netns,
            e.dev(),
            new OptionOps.EthtoolChange(e.features(), pause, e.rings(), e.coalesce()));
      } catch (RuntimeException ex) {
        left.add("ethtool of " + e.dev() + ": " + ex.getMessage());
      }
    }
    if (driversAutoprobe != null) {
      driversAutoprobe.forEach(
          (pf, on) -> {
            try {
              var file =
                  SriovDevice.find(nl, Path.of(sysfsRoot), pf).resolve("sriov_drivers_autoprobe");
              Files.writeString(file, on ? "1" : "0", StandardCharsets.US_ASCII);
            } catch (java.io.IOException | RuntimeException ex) {
              left.add("sriov_drivers_autoprobe of " + pf + ": " + ex.getMessage());
            }
          });
    }
    return left;
  }

  private void restoreAltNames(io.multihome.agent.netlink.RtNetlink nl, List<String> left) {
    if (altNames == null || altNames.isEmpty()) {
      return;
    }
    var now = new HashMap<String, NodeLink>();
    LinkDump.list(nl).forEach(l -> now.put(l.name(), l));
    var requests = new ArrayList<io.multihome.agent.netlink.Request>();
    altNames.forEach(
        (name, saved) -> {
          var l = now.get(name);
          if (l == null) {
            left.add("alt-names of " + name + ": the interface is gone");
            return;
          }
          for (var a : l.altNames()) {
            if (!saved.contains(a)) {
              requests.add(new OptionOps.SetAltName(name, a, false, null).request(n -> 0));
            }
          }
          for (var a : saved) {
            if (!l.altNames().contains(a)) {
              requests.add(new OptionOps.SetAltName(name, a, true, null).request(n -> 0));
            }
          }
        });
    if (!requests.isEmpty()) {
      for (var f : nl.executeAll(requests)) {
        left.add(f.getMessage());
      }
    }
  }
}

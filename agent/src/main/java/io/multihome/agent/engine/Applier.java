package io.multihome.agent.engine;

import io.multihome.agent.netlink.Request;
import io.multihome.agent.netlink.RtNetlink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a plan stage by stage; the requests of one stage are pipelined in windows (one datagram,
 * then the acks) because a stage's ops do not depend on each other. Link indexes are re-read after
 * a stage that created links.
 */
final class Applier {
  private final RtNetlink nl;
  private final Target target;
  private final EngineHooks hooks;
  private final java.nio.file.Path sysfsRoot;

  Applier(RtNetlink nl, Target target, EngineHooks hooks, java.nio.file.Path sysfsRoot) {
    this.nl = nl;
    this.target = target;
    this.hooks = hooks;
    this.sysfsRoot = sysfsRoot;
  }

  void run(Plan plan, Snapshot before) {
    var index = new HashMap<String, Integer>();
    before.links().forEach(l -> index.put(l.name(), l.index()));
    var ops = plan.ops();
    int i = 0;
    while (i < ops.size()) {
      int stage = ops.get(i).stage();
      var requests = new ArrayList<Request>();
      var sysctls = new LinkedHashMap<String, Boolean>();
      var direct = new ArrayList<Op.Extension>();
      boolean creates = false;
      var createdNow = new java.util.HashSet<String>();
      for (; i < ops.size() && ops.get(i).stage() == stage; i++) {
        var op = ops.get(i);
        if (op instanceof Op.CreateLink c
            && c.parent() != null
            && createdNow.contains(c.parent())) {
          // Its base is created by this very stage: send what is queued, then learn its index.
          flush(requests, sysctls, direct);
          requests.clear();
          sysctls.clear();
          direct.clear();
          createdNow.clear();
          index.clear();
          LinkDump.list(nl).forEach(l -> index.put(l.name(), l.index()));
        }
        if (op instanceof Op.CreateLink c) {
          createdNow.addAll(c.links());
        }
        try {
          hooks.beforeOp(i, op);
        } catch (RuntimeException e) {
          flush(requests, sysctls, direct);
          throw e;
        }
        // An extension may create links (the OVSDB commit makes the devices of internal ports).
        creates |= op instanceof Op.CreateLink || op instanceof Op.Extension x && x.createsLink();
        if (op instanceof Op.WriteDns w) {
          // What DHCP added (auto-dns) stays after the static entries.
          var dynamic = ResolvConf.dynamic(ResolvConf.readText(target));
          ResolvConfFile.write(
              w.file(), ResolvConf.render(w.config(), dynamic).getBytes(StandardCharsets.UTF_8));
        } else if (op instanceof Op.SetIpv6 s) {
          sysctls.put(s.name(), s.disabled());
        } else {
          var r = op.request(name -> resolve(index, name));
          if (r != null) {
            requests.add(r);
          } else if (op instanceof Op.Extension x) {
            direct.add(x);
          }
        }
      }
      flush(requests, sysctls, direct);
      if (creates) {
        index.clear();
        LinkDump.list(nl).forEach(l -> index.put(l.name(), l.index()));
      }
    }
  }

  private void flush(
      List<Request> requests, Map<String, Boolean> sysctls, List<Op.Extension> direct) {
    if (!requests.isEmpty()) {
      nl.executeAllOrThrow(requests);
    }
    target.writeDisableIpv6(sysctls);
    direct.forEach(x -> x.runDirect(nl, sysfsRoot, target));
  }

  private static int resolve(Map<String, Integer> index, String name) {
    Integer i = index.get(name);
    if (i == null) {
      throw new IllegalStateException("interface " + name + " does not exist");
    }
    return i;
  }
}

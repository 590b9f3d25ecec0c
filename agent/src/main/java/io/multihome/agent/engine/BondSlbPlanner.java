package io.multihome.agent.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.state.Interface;
import io.multihome.state.InterfaceState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans a bond's {@code balance-slb} ({@link BondSlb}): the table is rendered for the ports the
 * bond has after the plan and replaced when the namespace's differs; removed with the bond or with
 * {@code balance-slb: false}. As nmstate, it needs mode balance-xor and {@code xmit_hash_policy:
 * vlan+srcmac}, each taken from the document, else from the bond as it is; a bond already under
 * balance-slb keeps it (re-rendered when its ports change) until it is turned off.
 */
final class BondSlbPlanner {
  private BondSlbPlanner() {}

  static final String OPTION = "balance_slb";

  static void plan(Interface d, String at, PlanContext ctx) {
    var have = ctx.snapshot().extras().slb().get(d.name());
    var state = d.common().effectiveState();
    var p = "interfaces[" + d.name() + "].link-aggregation.options." + OPTION;
    if (state == InterfaceState.ABSENT) {
      if (have != null) {
        ctx.add(new SetSlb(d.name(), null, new Op.Diff(p, "no table", "table")));
      }
      return;
    }
    if (!(d instanceof Interface.Bond b) || state == InterfaceState.IGNORE) {
      return;
    }
    var la = b.linkAggregation();
    var options =
        la == null || la.options() == null ? java.util.Map.<String, JsonNode>of() : la.options();
    var path = at + ".link-aggregation.options." + OPTION;
    Boolean want = null;
    if (options.containsKey(OPTION)) {
      want = flag(options.get(OPTION));
      if (want == null) {
        ctx.problem(path, "must be true or false (or 1 or 0), not " + options.get(OPTION));
        return;
      }
    }
    if (want == null) {
      want = have != null; // not given: kept as it is
    }
    if (!want) {
      if (have != null) {
        ctx.add(new SetSlb(d.name(), null, new Op.Diff(p, "off", "on")));
      }
      return;
    }
    var cur = ctx.current(d.name());
    var curBond = cur != null && cur.link().kind() instanceof LinkKind.Bond k ? k : null;
    if (!validate(b, options, curBond, path, ctx)) {
      return;
    }
    var ports = ports(b, cur, have, ctx);
    for (var n : ports) {
      var why = BondSlb.unusableName(n);
      if (why != null) {
        ctx.problem(path, why);
        return;
      }
    }
    var why = BondSlb.unusableName(d.name());
    if (why != null) {
      ctx.problem(path, why);
      return;
    }
    var expected = BondSlb.render(d.name(), ports, active(options, ports, have, d.name()));
    if (have == null || !BondSlb.same(have, expected)) {
      ctx.add(
          new SetSlb(
              d.name(),
              expected,
              new Op.Diff(
                  p, "nftables table for ports " + ports, have == null ? "none" : "other")));
    }
  }

  /** nmstate's rule, with each part named at its path. */
  private static boolean validate(
      Interface.Bond b,
      java.util.Map<String, JsonNode> options,
      LinkKind.Bond cur,
      String path,
      PlanContext ctx) {
    var la = b.linkAggregation();
    String mode = null;
    if (la != null && la.mode() != null) {
      mode = la.mode().wire();
    } else if (cur != null && cur.mode() != null) {
      mode = io.multihome.state.BondMode.values()[cur.mode().ordinal()].wire();
    }
    String hash = null;
    var h = options.get("xmit_hash_policy");
    if (h != null) {
      hash = h.isTextual() ? h.asText() : KindMapping.xmitHashName(h.asInt());
    } else if (cur != null && cur.xmitHashPolicy() != null) {
      hash = KindMapping.xmitHashName(cur.xmitHashPolicy());
    }
    boolean ok = true;
    if (!"balance-xor".equals(mode)) {
      ctx.problem(
          path,
          "to enable balance-slb, the bond's mode must be balance-xor (it is "
              + (mode == null ? "not given" : mode)
              + ")");
      ok = false;
    }
    if (!"vlan+srcmac".equals(hash)) {
      ctx.problem(
          path,
          "to enable balance-slb, xmit_hash_policy must be vlan+srcmac (it is "
              + (hash == null ? "not given" : hash)
              + ")");
      ok = false;
    }
    return ok;
  }

  /** The bond's ports after the plan: the list given, else those it has (in the table's order). */
  private static List<String> ports(Interface.Bond b, NodeLink cur, String have, PlanContext ctx) {
    var la = b.linkAggregation();
    if (la != null && la.ports() != null) {
      return List.copyOf(la.ports());
    }
    var now = new ArrayList<String>();
    if (cur != null) {
      ctx.portsOf(cur.index()).forEach(l -> now.add(l.name()));
    }
    var hooked = have == null ? null : BondSlb.parse(b.name(), have);
    if (hooked != null
        && new java.util.HashSet<>(hooked.ports()).equals(new java.util.HashSet<>(now))) {
      return hooked.ports();
    }
    now.sort(null);
    return now;
  }

  /** {@code primary} when given, else the active port of the table there, else the first port. */
  private static String active(
      java.util.Map<String, JsonNode> options, List<String> ports, String have, String bond) {
    var primary = options.get("primary");
    if (primary != null && primary.isTextual() && ports.contains(primary.asText())) {
      return primary.asText();
    }
    var hooked = have == null ? null : BondSlb.parse(bond, have);
    if (hooked != null && hooked.active() != null && ports.contains(hooked.active())) {
      return hooked.active();
    }
    return ports.isEmpty() ? null : ports.get(0);
  }

  /** nmstate's boolean-or-string reading: true/false, 1/0, "true"/"false"/"yes"/"no"/"1"/"0". */
  static Boolean flag(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isIntegralNumber() && (v.asLong() == 0 || v.asLong() == 1)) {
      return v.asLong() == 1;
    }
    if (v.isTextual()) {
      return switch (v.asText().toLowerCase(java.util.Locale.ROOT)) {
        case "true", "yes", "1" -> true;
        case "false", "no", "0" -> false;
        default -> null;
      };
    }
    return null;
  }

  /**
   * Replaces bond {@code bond}'s balance-slb table with {@code listing} (null: removes it), in one
   * nft transaction; after the ports are enslaved, so each hook finds its device.
   */
  record SetSlb(String bond, String listing, Op.Diff diff) implements Op.Extension {
    @Override
    public int stage() {
      return listing == null ? Op.RELEASE_PORTS : Op.PORT_SETTINGS;
    }

    @Override
    public String describe() {
      return listing == null
          ? "nft delete table netdev " + BondSlb.table(bond)
          : "nft -f - (table netdev " + BondSlb.table(bond) + ": balance-slb of " + bond + ")";
    }

    @Override
    public List<String> links() {
      return List.of(bond);
    }

    @Override
    public void runDirect(RtNetlink nl, Path sysfsRoot, Target target) {
      BondSlb.load(target.netns(), bond, listing);
    }
  }
}

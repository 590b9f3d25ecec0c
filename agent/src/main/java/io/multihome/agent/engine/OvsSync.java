package io.multihome.agent.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.multihome.agent.ovsdb.BridgeRow;
import io.multihome.agent.ovsdb.Datum;
import io.multihome.agent.ovsdb.InterfaceRow;
import io.multihome.agent.ovsdb.Mutation;
import io.multihome.agent.ovsdb.OpenVswitchRow;
import io.multihome.agent.ovsdb.PortRow;
import io.multihome.agent.ovsdb.SwitchState;
import io.multihome.agent.ovsdb.TxOp;
import io.multihome.agent.ovsdb.Where;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares bridge specs with the switch and produces, for what differs, the changes (each with the
 * nmstate path it closes, for plans and verification) and the OVSDB operations of one transaction:
 * inserts for new rows (named uuids), updates of the differing columns of existing rows, each
 * guarded by a {@code wait} that the row still has the values the plan was made from. Rows are
 * matched by name; a row no bridge references any more is removed by OVSDB itself.
 */
final class OvsSync {
  /**
   * What the transaction will do. {@code bridges}: names of bridges it adds, changes or removes.
   */
  record Result(List<OvsOps.Change> changes, List<TxOp> ops, Set<String> bridges, boolean global) {
    boolean isEmpty() {
      return changes.isEmpty();
    }
  }

  private final SwitchState sw;
  private final OpenVswitchRow root;
  private final Map<String, BridgeRow> bridges = new LinkedHashMap<>();
  private final Map<String, PortRow> ports = new HashMap<>();
  private final Map<String, InterfaceRow> ifaces = new HashMap<>();
  private final List<OvsOps.Change> changes = new ArrayList<>();
  private final List<TxOp> ops = new ArrayList<>();
  private final Set<String> touched = new LinkedHashSet<>();
  private final List<JsonNode> rootInserts = new ArrayList<>();
  private final List<JsonNode> rootDeletes = new ArrayList<>();
  private int names;
  private final boolean reportErrors;

  private OvsSync(SwitchState sw, boolean reportErrors) {
    this.sw = sw;
    this.reportErrors = reportErrors;
    this.root = sw.root();
    for (var b : sw.bridgeList()) {
      bridges.put(b.name(), b);
      for (var p : sw.portsOf(b)) {
        ports.putIfAbsent(p.name(), p);
        for (var i : sw.interfacesOf(p)) {
          ifaces.putIfAbsent(i.name(), i);
        }
      }
    }
  }

  /**
   * The changes that make {@code sw} match: every bridge of {@code specs} as specified, every
   * bridge named in {@code remove} gone, and the switch-wide maps as {@code global} (null: keep).
   */
  static Result diff(
      SwitchState sw, List<OvsSpec.Bridge> specs, Set<String> remove, OvsSpec.Global global) {
    return diff(sw, specs, remove, global, true);
  }

  /**
   * As above; with {@code reportErrors} an interface ovs-vswitchd reports an error for is a
   * difference too (what a plan must fix; a rollback puts back configuration only).
   */
  static Result diff(
      SwitchState sw,
      List<OvsSpec.Bridge> specs,
      Set<String> remove,
      OvsSpec.Global global,
      boolean reportErrors) {
    var s = new OvsSync(sw, reportErrors);
    for (var name : remove) {
      s.remove(name);
    }
    for (var b : specs) {
      s.bridge(b);
    }
    s.rootBridges();
    boolean g = global != null && s.global(global);
    return new Result(List.copyOf(s.changes), List.copyOf(s.ops), Set.copyOf(s.touched), g);
  }

  private void remove(String name) {
    var cur = bridges.get(name);
    if (cur == null) {
      return;
    }
    touched.add(name);
    rootDeletes.add(Datum.uuid(cur.uuid()));
    change(
        "interfaces[" + name + "]",
        "absent",
        "present",
        "ovs-vsctl del-br " + name,
        kernelNames(OvsSpec.current(sw, name).ports()));
  }

  private void bridge(OvsSpec.Bridge spec) {
    var cur = bridges.get(spec.name());
    var at = "interfaces[" + spec.name() + "]";
    var refs = new ArrayList<JsonNode>();
    for (var p : spec.ports()) {
      refs.add(port(spec, p, cur == null));
    }
    if (cur == null) {
      touched.add(spec.name());
      var row = new LinkedHashMap<>(spec.columns());
      row.put("name", Datum.atom(spec.name()));
      row.put("ports", OvsColumns.refs(refs));
      var id = name("b");
      ops.add(new TxOp.Insert(BridgeRow.TABLE, row, id));
      rootInserts.add(Datum.namedUuid(id));
      var text = new StringBuilder("ovs-vsctl add-br ").append(spec.name());
      var cols = set(spec.columns(), OvsColumns.newBridge());
      if (!cols.isEmpty()) {
        text.append(" -- set bridge ").append(spec.name()).append(cols);
      }
      for (var p : spec.ports()) {
        text.append(" -- ").append(addPort(spec.name(), p).substring("ovs-vsctl ".length()));
      }
      change(at, "up", "absent", text.toString(), kernelNames(spec.ports()));
      return;
    }
    columns(
        BridgeRow.TABLE, cur.uuid(), at, spec.name(), OvsColumns.of(cur), spec.columns(), false);
    var want = OvsColumns.refs(refs);
    var have = OvsColumns.refs(cur.ports().stream().map(u -> (JsonNode) Datum.uuid(u)).toList());
    if (want.equals(have)) {
      return;
    }
    touched.add(spec.name());
    var kept = spec.ports().stream().map(OvsSpec.Port::name).toList();
    for (var p : sw.portsOf(cur)) {
      if (!kept.contains(p.name())) {
        var old = OvsSpec.current(sw, spec.name()).port(p.name());
        change(
            at + ".bridge.port",
            "lacks " + p.name(),
            "has it",
            "ovs-vsctl del-port " + spec.name() + " " + p.name(),
            kernelNames(List.of(old)));
      }
    }
    update(
        BridgeRow.TABLE,
        cur.uuid(),
        spec.name(),
        Map.of("ports", want),
        Map.of("ports", have),
        spec.name());
  }

  /** The reference to port {@code p} of bridge {@code b}: its row's uuid, or a new row's name. */
  private JsonNode port(OvsSpec.Bridge b, OvsSpec.Port p, boolean newBridge) {
    var cur = ports.get(p.name());
    var refs = new ArrayList<JsonNode>();
    for (var i : p.ifaces()) {
      refs.add(iface(i));
    }
    var at = "interfaces[" + b.name() + "].bridge.port[" + p.name() + "]";
    if (cur == null) {
      var row = new LinkedHashMap<>(p.columns());
      row.put("name", Datum.atom(p.name()));
      row.put("interfaces", OvsColumns.refs(refs));
      var id = name("p");
      ops.add(new TxOp.Insert(PortRow.TABLE, row, id));
      if (!newBridge) {
        change(
            "interfaces[" + b.name() + "].bridge.port",
            "has " + p.name(),
            "lacks it",
            addPort(b.name(), p),
            kernelNames(List.of(p)));
      }
      return Datum.namedUuid(id);
    }
    columns(PortRow.TABLE, cur.uuid(), at, p.name(), OvsColumns.of(cur), p.columns(), false);
    var want = OvsColumns.refs(refs);
    var have =
        OvsColumns.refs(cur.interfaces().stream().map(u -> (JsonNode) Datum.uuid(u)).toList());
    if (!want.equals(have)) {
      var names = p.ifaces().stream().map(OvsSpec.Iface::name).toList();
      var now = sw.interfacesOf(cur).stream().map(InterfaceRow::name).toList();
      change(
          at + ".link-aggregation.port",
          names.toString(),
          now.toString(),
          "ovs-vsctl set port " + p.name() + " interfaces=" + names,
          diffNames(names, now));
      update(
          PortRow.TABLE,
          cur.uuid(),
          p.name(),
          Map.of("interfaces", want),
          Map.of("interfaces", have),
          b.name());
    }
    return Datum.uuid(cur.uuid());
  }

  private JsonNode iface(OvsSpec.Iface i) {
    var cur = ifaces.get(i.name());
    if (cur == null) {
      var row = new LinkedHashMap<>(i.columns());
      row.put("name", Datum.atom(i.name()));
      var id = name("i");
      ops.add(new TxOp.Insert(InterfaceRow.TABLE, row, id));
      return Datum.namedUuid(id);
    }
    var at = "interfaces[" + i.name() + "]";
    columns(
        InterfaceRow.TABLE,
        cur.uuid(),
        at,
        i.name(),
        OvsColumns.of(cur),
        i.columns(),
        !i.type().equals("patch") && !cur.type().equals("patch"));
    var trouble = OvsOps.trouble(cur);
    if (reportErrors && trouble != null) {
      // Nothing to write, but not done: verification reports it and an apply fails on it.
      change(at, "working in Open vSwitch", trouble, "(" + trouble + ")", List.of());
    }
    return Datum.uuid(cur.uuid());
  }

  /** Updates the columns of an existing row that differ from {@code spec}'s. */
  private void columns(
      String table,
      String uuid,
      String at,
      String name,
      Map<String, JsonNode> have,
      Map<String, JsonNode> want,
      boolean kernelDevice) {
    var set = new LinkedHashMap<String, JsonNode>();
    var old = new LinkedHashMap<String, JsonNode>();
    for (var e : want.entrySet()) {
      var now = have.get(e.getKey());
      if (!Objects.equals(e.getValue(), now)) {
        set.put(e.getKey(), e.getValue());
        old.put(e.getKey(), now);
      }
    }
    if (set.isEmpty()) {
      return;
    }
    var kind = table.toLowerCase(java.util.Locale.ROOT);
    for (var col : set.keySet()) {
      change(
          at + "." + OvsColumns.path(table, col),
          OvsText.value(set.get(col)),
          OvsText.value(old.get(col)),
          "ovs-vsctl set " + kind + " " + name + " " + col + "=" + OvsText.value(set.get(col)),
          kernelDevice ? List.of(name) : List.of());
    }
    update(table, uuid, name, set, old, table.equals(BridgeRow.TABLE) ? name : null);
  }

  private void update(
      String table,
      String uuid,
      String rowName,
      Map<String, JsonNode> set,
      Map<String, JsonNode> was,
      String br) {
    if (br != null) {
      touched.add(br);
    }
    // The name too, so that an error names the row as a person knows it.
    var where =
        rowName == null
            ? List.of(Where.uuid(uuid))
            : List.of(Where.uuid(uuid), Where.name(rowName));
    ops.add(new TxOp.Wait(table, where, List.copyOf(was.keySet()), true, List.of(was), 0));
    ops.add(new TxOp.Update(table, where, set));
  }

  /** Adds and removes bridges in the root row, guarded by its bridge list as read. */
  private void rootBridges() {
    if (rootInserts.isEmpty() && rootDeletes.isEmpty()) {
      return;
    }
    var have = root.bridges().stream().map(u -> (JsonNode) Datum.uuid(u)).toList();
    ops.add(
        new TxOp.Wait(
            OpenVswitchRow.TABLE,
            List.of(Where.uuid(root.uuid())),
            List.of("bridges"),
            true,
            List.of(Map.of("bridges", OvsColumns.refs(have))),
            0));
    var mutations = new ArrayList<Mutation>();
    if (!rootDeletes.isEmpty()) {
      mutations.add(Mutation.delete("bridges", Datum.set(rootDeletes)));
    }
    if (!rootInserts.isEmpty()) {
      mutations.add(Mutation.insert("bridges", Datum.set(rootInserts)));
    }
    ops.add(new TxOp.Mutate(OpenVswitchRow.TABLE, List.of(Where.uuid(root.uuid())), mutations));
  }

  private boolean global(OvsSpec.Global g) {
    var set = new LinkedHashMap<String, JsonNode>();
    var was = new LinkedHashMap<String, JsonNode>();
    globalMap("external_ids", g.externalIds(), root.externalIds(), set, was);
    globalMap("other_config", g.otherConfig(), root.otherConfig(), set, was);
    if (set.isEmpty()) {
      return false;
    }
    update(OpenVswitchRow.TABLE, root.uuid(), null, set, was, null);
    return true;
  }

  private void globalMap(
      String column,
      Map<String, String> want,
      Map<String, String> have,
      Map<String, JsonNode> set,
      Map<String, JsonNode> was) {
    if (want == null || new TreeMap<>(want).equals(new TreeMap<>(have))) {
      return;
    }
    set.put(column, Datum.map(want));
    was.put(column, Datum.map(have));
    var keys = new java.util.TreeSet<String>();
    keys.addAll(want.keySet());
    keys.addAll(have.keySet());
    for (var k : keys) {
      var w = want.get(k);
      var h = have.get(k);
      if (Objects.equals(w, h)) {
        continue;
      }
      var path =
          k.equals(io.multihome.state.OvsDb.OVN_BRIDGE_MAPPINGS)
              ? "ovn.bridge-mappings"
              : "ovs-db." + column + "." + k;
      change(
          path,
          w == null ? "(unset)" : w,
          h == null ? "(unset)" : h,
          w == null
              ? "ovs-vsctl remove open_vswitch . " + column + " " + k
              : "ovs-vsctl set open_vswitch . " + column + ":" + k + "=\"" + w + "\"",
          List.of());
    }
  }

  private String name(String prefix) {
    return prefix + (names++);
  }

  private void change(
      String path, String desired, String current, String text, List<String> links) {
    changes.add(new OvsOps.Change(new Op.Diff(path, desired, current), text, List.copyOf(links)));
  }

  /** The kernel devices behind these ports: system and internal interfaces (not patch ports). */
  private static List<String> kernelNames(List<OvsSpec.Port> ps) {
    var out = new ArrayList<String>();
    for (var p : ps) {
      for (var i : p.ifaces()) {
        if (!i.type().equals("patch")) {
          out.add(i.name());
        }
      }
    }
    return out;
  }

  private static List<String> diffNames(List<String> a, List<String> b) {
    var out = new ArrayList<String>();
    a.stream().filter(n -> !b.contains(n)).forEach(out::add);
    b.stream().filter(n -> !a.contains(n)).forEach(out::add);
    return out;
  }

  /** {@code ovs-vsctl add-port}/{@code add-bond} words for a new port. */
  private static String addPort(String bridge, OvsSpec.Port p) {
    var sb = new StringBuilder("ovs-vsctl ");
    if (p.ifaces().size() > 1) {
      sb.append("add-bond ").append(bridge).append(' ').append(p.name());
      p.ifaces().forEach(i -> sb.append(' ').append(i.name()));
    } else {
      sb.append("add-port ").append(bridge).append(' ').append(p.name());
    }
    sb.append(set(p.columns(), OvsColumns.newPort()));
    for (var i : p.ifaces()) {
      var extra = set(i.columns(), OvsColumns.newInterface(""));
      if (!extra.isEmpty()) {
        sb.append(" -- set interface ").append(i.name()).append(extra);
      }
    }
    return sb.toString();
  }

  /** {@code " col=value"} for each column that differs from the defaults. */
  private static String set(Map<String, JsonNode> cols, Map<String, JsonNode> defaults) {
    var sb = new StringBuilder();
    cols.forEach(
        (k, v) -> {
          if (!Objects.equals(v, defaults.get(k))) {
            sb.append(' ').append(k).append('=').append(OvsText.value(v));
          }
        });
    return sb.toString();
  }
}

package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Semantic checks of a parsed {@link DesiredState}, returning every problem found. Values given as
 * capture templates are skipped (they are checked after rendering). One pass over the interfaces
 * builds name indexes, so the work stays linear in the size of the state.
 */
public final class StateValidator {

  final List<Problem> problems = new ArrayList<>();
  final DesiredState state;
  final Predicate<String> exists;

  /** Position of each named interface (first occurrence). */
  final Map<String, Integer> byName = new HashMap<>();

  /** Names the document marks {@code state: absent}, with their positions. */
  final Map<String, Integer> absent = new HashMap<>();

  /** Interfaces some veth in the document names as its peer. */
  final Set<String> vethPeers = new HashSet<>();

  /** Ports of some bridge or bond in the document. */
  final Set<String> ports = new HashSet<>();

  /** Interfaces each ovs-bridge of the document lists (bond members included), by bridge. */
  final Map<String, Set<String>> ovsBridgePorts = new HashMap<>();

  /** For each interface an ovs-bridge lists, the path of its first listing. */
  final Map<String, String> ovsPortOwners = new HashMap<>();

  private StateValidator(DesiredState state, Predicate<String> exists) {
    this.state = state;
    this.exists = exists;
  }

  /**
   * Checks {@code state} as if no interface existed yet on the node (the offline view of {@code
   * multihome validate}): a bond needs a mode and a veth a peer.
   */
  public static List<Problem> validate(DesiredState state) {
    return validate(state, name -> false);
  }

  /**
   * Checks {@code state} against a node on which {@code exists} tells which interfaces are already
   * there (rules for new interfaces do not apply to those).
   */
  public static List<Problem> validate(DesiredState state, Predicate<String> exists) {
    var v = new StateValidator(state, exists);
    v.run();
    return List.copyOf(v.problems);
  }

  /** Parses and validates a desired-state tree: structural problems first, then semantic ones. */
  public static List<Problem> check(JsonNode root) {
    var parsed = StateParser.parse(root);
    var all = new ArrayList<>(parsed.problems());
    all.addAll(validate(parsed.state()));
    return all;
  }

  void problem(String path, String message) {
    problems.add(new Problem(path, message));
  }

  boolean isTemplate(String path) {
    return state.templates().containsKey(path);
  }

  private void run() {
    var ifaces = state.interfacesOrEmpty();
    index(ifaces);
    var checker = new InterfaceValidator(this);
    for (int i = 0; i < ifaces.size(); i++) {
      checker.check(ifaces.get(i), Problem.index("interfaces", i));
    }
    reportExtras("", state.extras());
    new OvsValidator(this).global(state);
    RoutingValidator.check(this);
  }

  private void index(List<Interface> ifaces) {
    for (int i = 0; i < ifaces.size(); i++) {
      var iface = ifaces.get(i);
      var name = iface.name();
      if (name == null) {
        continue;
      }
      var first = byName.putIfAbsent(name, i);
      if (first != null && !ovsPair(ifaces.get(first), iface)) {
        problem(
            Problem.index("interfaces", i) + ".name",
            "duplicate interface name '" + name + "' (first at interfaces[" + first + "])");
      }
      if (iface.common().isAbsent()) {
        absent.putIfAbsent(name, i);
      }
      if (iface instanceof Interface.Veth v && v.veth() != null && v.veth().peer() != null) {
        vethPeers.add(v.veth().peer());
      }
      if (iface instanceof Interface.LinuxBridge b && !iface.common().isAbsent()) {
        for (var p : b.portNames()) {
          if (p != null) {
            ports.add(p);
          }
        }
      }
      if (iface instanceof Interface.OvsBridge b && !iface.common().isAbsent()) {
        indexOvsBridge(b, Problem.index("interfaces", i));
      }
      if (iface instanceof Interface.Bond b
          && !iface.common().isAbsent()
          && b.linkAggregation() != null
          && b.linkAggregation().ports() != null) {
        for (var p : b.linkAggregation().ports()) {
          if (p != null) {
            ports.add(p);
          }
        }
      }
    }
    indexOvsSystemPorts(ifaces);
  }

  /**
   * An ovs-bridge and an ovs-interface may share a name (the bridge lives in OVSDB only; its
   * internal port is the kernel device, as {@code br-ex} on OpenShift).
   */
  private static boolean ovsPair(Interface a, Interface b) {
    return (a instanceof Interface.OvsBridge && b instanceof Interface.OvsInterface)
        || (a instanceof Interface.OvsInterface && b instanceof Interface.OvsBridge);
  }

  private void indexOvsBridge(Interface.OvsBridge b, String at) {
    var names = ovsBridgePorts.computeIfAbsent(b.name(), k -> new HashSet<>());
    if (b.bridge() == null || b.bridge().port() == null) {
      return;
    }
    var list = b.bridge().port();
    for (int j = 0; j < list.size(); j++) {
      var p = list.get(j);
      if (p == null) {
        continue;
      }
      var pp = Problem.index(at + ".bridge.port", j);
      var bond = p.linkAggregation();
      if (bond == null) {
        if (p.name() != null) {
          names.add(p.name());
          ovsPortOwners.putIfAbsent(p.name(), Problem.child(pp, "name"));
        }
        continue;
      }
      if (bond.port() == null) {
        continue;
      }
      for (int k = 0; k < bond.port().size(); k++) {
        var m = bond.port().get(k);
        if (m != null) {
          names.add(m);
          ovsPortOwners.putIfAbsent(
              m, Problem.child(Problem.index(pp + ".link-aggregation.port", k), "name"));
        }
      }
    }
  }

  /** System ports of OVS bridges that the document types as kernel interfaces carry no IP. */
  private void indexOvsSystemPorts(List<Interface> ifaces) {
    for (var name : ovsPortOwners.keySet()) {
      var at = byName.get(name);
      if (at == null) {
        continue;
      }
      var kind = ifaces.get(at).kind();
      if (kind != null
          && kind != InterfaceType.OVS_INTERFACE
          && kind != InterfaceType.OVS_BRIDGE
          && !ifaces.get(at).common().isAbsent()) {
        ports.add(name);
      }
    }
  }

  /**
   * A reference from {@code path} to interface {@code name}: a problem when the same document
   * removes that interface.
   */
  void reference(String path, String name, String what) {
    if (name == null || name.isEmpty()) {
      return;
    }
    var at = absent.get(name);
    if (at != null) {
      problem(
          path,
          what
              + " '"
              + name
              + "' is marked state: absent at interfaces["
              + at
              + "]; remove the reference or keep the interface");
    }
  }

  /** Reports every unsupported key of {@code extras} (query-only keys are fine). */
  void reportExtras(String path, Extras extras) {
    if (extras == null) {
      return;
    }
    for (var key : extras.unsupported().keySet()) {
      problem(Problem.child(path, key), "'" + key + "' is not supported yet by multihome");
    }
  }

  /** Range check of an optional integer; the message names the range. */
  void range(String parent, String key, Number value, long min, long max) {
    // The path is built only for a problem: most values are fine, and states can be large.
    if (value != null && (value.longValue() < min || value.longValue() > max)) {
      problem(Problem.child(parent, key), value + " is outside " + min + ".." + max);
    }
  }
}

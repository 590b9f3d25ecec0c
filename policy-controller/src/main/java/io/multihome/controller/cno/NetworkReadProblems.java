package io.multihome.controller.cno;

import io.multihome.api.openshift.NetworkSpec;
import io.multihome.api.read.ReadProblem;
import io.multihome.api.read.ReadReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the lenient reader could not take from the user's part of a Network (its status is ours and
 * rewritten), split by where it sits: inside one {@code spec.additionalNetworks} entry (that entry
 * alone is invalid, paths relative to it) or anywhere else (a setting that decides for every entry,
 * or the list itself: nothing can be changed safely).
 */
record NetworkReadProblems(List<ReadProblem> global, Map<Integer, List<ReadProblem>> entries) {
  private static final Pattern ENTRY = Pattern.compile("spec\\.additionalNetworks\\[(\\d+)](.*)");

  static NetworkReadProblems of(ReadReport report) {
    var global = new ArrayList<ReadProblem>();
    var entries = new TreeMap<Integer, List<ReadProblem>>();
    for (var p : report.problemsOutside("status")) {
      var m = ENTRY.matcher(p.path());
      if (m.matches()) {
        var inside = m.group(2).replaceFirst("^\\.", "");
        entries
            .computeIfAbsent(Integer.parseInt(m.group(1)), i -> new ArrayList<>())
            .add(new ReadProblem(inside, p.reason()));
      } else {
        global.add(p);
      }
    }
    return new NetworkReadProblems(List.copyOf(global), entries);
  }

  /** Entry {@code index}'s problems as "path: why; ..." (a problem of the whole entry: "why"). */
  String message(int index) {
    return String.join(
        "; ",
        entries.get(index).stream()
            .map(p -> p.path().isEmpty() ? p.reason() : p.toString())
            .toList());
  }

  /**
   * The {@code namespace/name} of the NAD entry {@code index} stands for, or null when its name or
   * namespace could not be read (then no NAD can be told stale).
   */
  String key(NetworkSpec spec, int index) {
    boolean unknown =
        entries.get(index).stream()
            .anyMatch(
                p -> p.path().isEmpty() || p.path().equals("name") || p.path().equals("namespace"));
    var list = spec.getAdditionalNetworks();
    var entry = unknown || index >= list.size() ? null : list.get(index);
    if (entry == null || entry.getName() == null || entry.getName().isEmpty()) {
      return null;
    }
    var namespace = entry.getNamespace();
    return (namespace == null || namespace.isEmpty()
            ? AdditionalNetworkRenderer.DEFAULT_NAMESPACE
            : namespace)
        + "/"
        + entry.getName();
  }
}

package io.multihome.lab;

import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code kubectl get nncp} / {@code kubectl get nnce} tables: the printer columns of the CRDs (the
 * condition that is True, its age and reason), left-aligned with three spaces between columns.
 */
final class StatusTables {
  private StatusTables() {}

  static String policies(List<NodeNetworkConfigurationPolicy> items) {
    var rows = new ArrayList<List<String>>();
    rows.add(List.of("NAME", "STATUS", "REASON"));
    items.stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .forEach(
            p -> {
              var c = trueCondition(p.getStatus() == null ? null : p.getStatus().getConditions());
              rows.add(
                  List.of(
                      p.getMetadata().getName(),
                      c.map(Condition::getType).orElse(""),
                      c.map(StatusTables::reason).orElse("")));
            });
    return render(rows);
  }

  static String enactments(List<NodeNetworkConfigurationEnactment> items, Instant now) {
    var rows = new ArrayList<List<String>>();
    rows.add(List.of("NAME", "STATUS", "STATUS AGE", "REASON"));
    items.stream()
        .sorted(Comparator.comparing(n -> n.getMetadata().getName()))
        .forEach(
            n -> {
              var c = trueCondition(n.getStatus() == null ? null : n.getStatus().getConditions());
              rows.add(
                  List.of(
                      n.getMetadata().getName(),
                      c.map(Condition::getType).orElse(""),
                      c.map(x -> age(x.getLastTransitionTime(), now)).orElse(""),
                      c.map(StatusTables::reason).orElse("")));
            });
    return render(rows);
  }

  /** The condition whose status is True: the one the STATUS column shows. */
  static Optional<Condition> trueCondition(List<Condition> conditions) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> Condition.TRUE.equals(c.getStatus())).findFirst();
  }

  private static String reason(Condition c) {
    return c.getReason() == null ? "" : c.getReason();
  }

  /** kubectl's short age: 5s, 3m, 2h, 4d. */
  static String age(String timestamp, Instant now) {
    if (timestamp == null) {
      return "";
    }
    try {
      long s = Math.max(0, Duration.between(Instant.parse(timestamp), now).toSeconds());
      if (s < 120) {
        return s + "s";
      }
      if (s < 7200) {
        return s / 60 + "m";
      }
      return s < 172800 ? s / 3600 + "h" : s / 86400 + "d";
    } catch (DateTimeParseException e) {
      return "";
    }
  }

  static String render(List<List<String>> rows) {
    int cols = rows.get(0).size();
    int[] width = new int[cols];
    for (var row : rows) {
      for (int i = 0; i < cols; i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    var out = new StringBuilder();
    for (var row : rows) {
      var line = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        line.append(row.get(i));
        if (i < cols - 1) {
          line.append(" ".repeat(width[i] - row.get(i).length() + 3));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}

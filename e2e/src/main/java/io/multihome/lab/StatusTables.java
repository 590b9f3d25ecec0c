package io.multihome.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.multihome.api.nmstate.Condition;
import io.multihome.api.nmstate.NodeNetworkConfigurationEnactment;
import io.multihome.api.nmstate.NodeNetworkConfigurationPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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

  /**
   * What {@code kubectl get} prints for {@code path} (e.g. {@code
   * /apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=…}): the API server's
   * own Table (the columns kubectl shows by default, priority 0), rendered as kubectl does.
   */
  static String serverTable(String apiUrl, String path) throws IOException {
    var request =
        HttpRequest.newBuilder(URI.create(apiUrl + path))
            .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")
            .header("Authorization", "Bearer lab")
            .build();
    String body;
    try {
      var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("GET " + path + ": " + response.statusCode());
      }
      body = response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    var table = new ObjectMapper().readTree(body);
    var shown = new ArrayList<Integer>();
    var header = new ArrayList<String>();
    var columns = table.path("columnDefinitions");
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).path("priority").asInt(0) == 0) {
        shown.add(i);
        header.add(columns.get(i).path("name").asText().toUpperCase(Locale.ROOT));
      }
    }
    var rows = new ArrayList<List<String>>();
    rows.add(header);
    for (var row : table.path("rows")) {
      var cells = new ArrayList<String>();
      for (int i : shown) {
        var cell = row.path("cells").path(i);
        cells.add(cell.isNull() || cell.isMissingNode() ? "<none>" : cell.asText());
      }
      rows.add(cells);
    }
    return rows.size() == 1 ? "No resources found.\n" : render(rows);
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

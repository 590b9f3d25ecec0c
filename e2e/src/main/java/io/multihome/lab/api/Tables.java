package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-side printing: a {@code meta.k8s.io/v1 Table} for a list or one object. Custom resources
 * get their CRD's additionalPrinterColumns (Name first; Age when the CRD declares none, as the API
 * server adds it), evaluated with {@link KubeJsonPath}; date columns become ages, integer and
 * number columns stay numbers. Built-in kinds get the columns kubectl users know ({@link
 * BuiltinColumns}); any other kind Name and Created At.
 */
final class Tables {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One column: its definition and how a cell is computed. */
  record Column(
      String name,
      String type,
      String format,
      int priority,
      String description,
      CellFunction cell) {}

  /** A cell from the object (null prints as empty). */
  @FunctionalInterface
  interface CellFunction {
    Object apply(JsonNode object, Instant now);
  }

  private Tables() {}

  static ObjectNode table(
      ResourceType type,
      String version,
      List<? extends JsonNode> items,
      String includeObject,
      boolean headers,
      String resourceVersion,
      Instant now) {
    var columns = columns(type, version);
    var t = JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    t.putObject("metadata").put("resourceVersion", resourceVersion);
    ArrayNode defs = t.putArray("columnDefinitions");
    if (headers) {
      for (var c : columns) {
        defs.addObject()
            .put("name", c.name())
            .put("type", c.type())
            .put("format", c.format())
            .put("description", c.description())
            .put("priority", c.priority());
      }
    }
    ArrayNode rows = t.putArray("rows");
    for (var item : items) {
      var row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (var c : columns) {
        cells.add(JSON.valueToTree(safe(c, item, now)));
      }
      var object = rowObject(item, includeObject);
      if (object != null) {
        row.set("object", object);
      }
    }
    return t;
  }

  private static Object safe(Column c, JsonNode item, Instant now) {
    try {
      return c.cell().apply(item, now);
    } catch (RuntimeException e) {
      return null; // as the API server: a column that cannot be computed stays empty
    }
  }

  /** {@code includeObject}: None, Object, or (default) Metadata → PartialObjectMetadata. */
  private static JsonNode rowObject(JsonNode item, String includeObject) {
    if ("None".equals(includeObject)) {
      return null;
    }
    if ("Object".equals(includeObject)) {
      return item;
    }
    var partial =
        JSON.createObjectNode()
            .put("kind", "PartialObjectMetadata")
            .put("apiVersion", "meta.k8s.io/v1");
    partial.set("metadata", item.path("metadata").deepCopy());
    return partial;
  }

  static List<Column> columns(ResourceType type, String version) {
    var name =
        new Column(
            "Name",
            "string",
            "name",
            0,
            "Name must be unique within a namespace.",
            (o, now) -> o.path("metadata").path("name").asText());
    var cols = new ArrayList<Column>();
    cols.add(name);
    if (type.custom()) {
      var declared = type.columns().getOrDefault(version, List.of());
      if (declared.isEmpty()) {
        cols.add(
            new Column(
                "Age",
                "date",
                "",
                0,
                "CreationTimestamp is a timestamp representing the server time when this object"
                    + " was created.",
                (o, now) -> Ages.since(creation(o), now)));
      }
      for (var c : declared) {
        cols.add(
            new Column(
                c.name(),
                c.type(),
                c.format(),
                c.priority(),
                c.description(),
                (o, now) -> customCell(o, c, now)));
      }
      return cols;
    }
    var builtin = BuiltinColumns.forKind(type.group(), type.kind());
    if (builtin != null) {
      if (BuiltinColumns.nameLast(type.group(), type.kind())) {
        return builtin; // events: kubectl shows LAST SEEN first and the name only with -o wide
      }
      cols.addAll(builtin);
      return cols;
    }
    cols.add(
        new Column(
            "Created At",
            "date",
            "",
            0,
            "CreationTimestamp is a timestamp representing the server time when this object was"
                + " created.",
            (o, now) -> creation(o)));
    return cols;
  }

  static String creation(JsonNode o) {
    return o.path("metadata").path("creationTimestamp").asText(null);
  }

  /** As the API server's CRD table convertor: first result only; dates as ages. */
  private static Object customCell(JsonNode o, ResourceType.PrinterColumn c, Instant now) {
    var value = KubeJsonPath.first(o, c.jsonPath());
    if (value.isEmpty()) {
      return null;
    }
    JsonNode v = value.get();
    return switch (c.type()) {
      case "date" -> v.isTextual() ? Ages.since(v.asText(), now) : null;
      case "integer" -> v.isIntegralNumber() ? v.asLong() : null;
      case "number" -> v.isNumber() ? v.asDouble() : null;
      case "boolean" -> v.isBoolean() ? v.asBoolean() : null;
      default -> v.isValueNode() ? v.asText() : v.toString();
    };
  }
}

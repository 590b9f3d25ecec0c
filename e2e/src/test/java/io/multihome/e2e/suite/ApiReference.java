package io.multihome.e2e.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Renders docs/api-reference.md from the CRDs in deploy/crds (themselves generated from the
 * annotated classes): per kind its group, scope, short names, versions, kubectl columns and every
 * field with its type and description. {@link ApiReferenceTest} fails when the committed file
 * differs and rewrites it with {@code -Dmultihome.updateApiReference=true}.
 */
final class ApiReference {
  static final String REGENERATE_COMMAND =
      "mvn -B -o -q -pl e2e -am test -Dtest=ApiReferenceTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dmultihome.updateApiReference=true";

  private static final YAMLMapper YAML = new YAMLMapper();

  private ApiReference() {}

  static String render(Path crdDir) throws IOException {
    List<JsonNode> crds = new ArrayList<>();
    try (Stream<Path> files = Files.list(crdDir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        crds.add(YAML.readTree(f.toFile()));
      }
    }
    // Kinds in a fixed order: by group, then kind.
    crds.sort(
        (a, b) -> {
          int g = a.at("/spec/group").asText().compareTo(b.at("/spec/group").asText());
          return g != 0
              ? g
              : a.at("/spec/names/kind").asText().compareTo(b.at("/spec/names/kind").asText());
        });
    var out = new StringBuilder();
    out.append("# API reference\n\n");
    out.append(
        "<!-- Generated from deploy/crds by e2e/src/test/java/io/multihome/e2e/suite/"
            + "ApiReference.java. Do not edit; regenerate with:\n     ");
    out.append(REGENERATE_COMMAND).append(" -->\n\n");
    out.append(
        "Every custom resource multihome installs (`kubectl apply -k deploy/`), generated from the"
            + " CRDs in\n`deploy/crds`. Field types are the OpenAPI types the API server"
            + " validates; `object (free-form)`\nmeans the server keeps any content"
            + " (`x-kubernetes-preserve-unknown-fields`), which the\ncontroller or agent"
            + " then checks itself (see [desired-state.md](desired-state.md)).\n\n");
    for (var crd : crds) {
      String kind = crd.at("/spec/names/kind").asText();
      out.append("- [")
          .append(kind)
          .append("](#")
          .append(kind.toLowerCase())
          .append(") (`")
          .append(crd.at("/spec/group").asText())
          .append("`)\n");
    }
    for (var crd : crds) {
      renderCrd(crd, out);
    }
    return out.toString();
  }

  private static void renderCrd(JsonNode crd, StringBuilder out) {
    var spec = crd.path("spec");
    String kind = spec.at("/names/kind").asText();
    out.append("\n## ").append(kind).append("\n\n");
    out.append("| | |\n|---|---|\n");
    out.append("| Group | `").append(spec.path("group").asText()).append("` |\n");
    out.append("| Scope | ").append(spec.path("scope").asText()).append(" |\n");
    out.append("| Plural | `").append(spec.at("/names/plural").asText()).append("` |\n");
    var shortNames = new ArrayList<String>();
    spec.at("/names/shortNames").forEach(n -> shortNames.add("`" + n.asText() + "`"));
    out.append("| Short names | ")
        .append(shortNames.isEmpty() ? "—" : String.join(", ", shortNames))
        .append(" |\n");
    var versions = new ArrayList<String>();
    for (var v : spec.path("versions")) {
      var flags = new ArrayList<String>();
      if (v.path("storage").asBoolean()) {
        flags.add("storage");
      }
      if (!v.path("served").asBoolean()) {
        flags.add("not served");
      }
      if (v.path("deprecated").asBoolean()) {
        flags.add("deprecated");
      }
      if (v.at("/subresources/status").isObject()) {
        flags.add("status subresource");
      }
      versions.add("`" + v.path("name").asText() + "` (" + String.join(", ", flags) + ")");
    }
    out.append("| Versions | ").append(String.join("; ", versions)).append(" |\n");

    JsonNode previousSchema = null;
    String previousName = null;
    for (var v : spec.path("versions")) {
      String name = v.path("name").asText();
      var schema = v.at("/schema/openAPIV3Schema");
      out.append("\n### ")
          .append(kind)
          .append(" ")
          .append(spec.path("group").asText())
          .append("/")
          .append(name)
          .append("\n\n");
      if (v.path("additionalPrinterColumns").size() > 0) {
        out.append("`kubectl get` columns:\n\n| Column | Type | JSONPath |\n|---|---|---|\n");
        for (var c : v.path("additionalPrinterColumns")) {
          out.append("| ")
              .append(c.path("name").asText())
              .append(" | ")
              .append(c.path("type").asText())
              .append(" | `")
              .append(c.path("jsonPath").asText().replace("|", "\\|"))
              .append("` |\n");
        }
        out.append('\n');
      }
      if (schema.equals(previousSchema)) {
        out.append("Fields: the same as `").append(previousName).append("`.\n");
        continue;
      }
      out.append("| Field | Type | Description |\n|---|---|---|\n");
      var rows = new ArrayList<String>();
      fields("", schema, rows);
      rows.forEach(r -> out.append(r).append('\n'));
      previousSchema = schema;
      previousName = name;
    }
  }

  /** One row per property below {@code node}, depth first, paths like {@code spec.a[].b}. */
  private static void fields(String prefix, JsonNode node, List<String> rows) {
    var required = new ArrayList<String>();
    node.path("required").forEach(r -> required.add(r.asText()));
    var names = new ArrayList<String>();
    node.path("properties").fieldNames().forEachRemaining(names::add);
    for (var name : names) {
      var child = node.path("properties").path(name);
      String path = prefix.isEmpty() ? name : prefix + "." + name;
      String description = child.path("description").asText("");
      if (required.contains(name)) {
        description = description.isEmpty() ? "Required." : "Required. " + description;
      }
      rows.add(
          "| `"
              + path
              + "` | "
              + type(child)
              + " | "
              + description.replace("|", "\\|").replace("\n", " ")
              + " |");
      descend(path, child, rows);
    }
  }

  private static void descend(String path, JsonNode child, List<String> rows) {
    if (child.has("properties")) {
      fields(path, child, rows);
    }
    var items = child.path("items");
    if (items.has("properties")) {
      fields(path + "[]", items, rows);
    }
    var values = child.path("additionalProperties");
    if (values.has("properties")) {
      fields(path + "{}", values, rows);
    }
  }

  private static String type(JsonNode n) {
    if (n.path("x-kubernetes-int-or-string").asBoolean()) {
      return "integer or string";
    }
    String t = n.path("type").asText("");
    if (t.equals("array")) {
      return "array of " + type(n.path("items"));
    }
    if (t.equals("object") && n.has("additionalProperties")) {
      return "map of " + type(n.path("additionalProperties"));
    }
    if (t.equals("object") && n.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      return "object (free-form)";
    }
    if (n.has("enum")) {
      var values = new ArrayList<String>();
      n.path("enum").forEach(e -> values.add("`" + e.asText() + "`"));
      return t + ", one of " + String.join(", ", values);
    }
    return t.isEmpty() ? "any" : t;
  }
}

package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Custom resources against their CRD's {@code openAPIV3Schema}, as the API server treats them:
 * unknown fields pruned ({@code fieldValidation=Strict} refuses them with 400, the default Warn
 * names them in Warning headers), defaults filled in, then the object validated (networknt's
 * json-schema-validator, OpenAPI 3.0 dialect) and refused with 422 and one field-path message per
 * error, worded as the API server words them.
 */
final class CrdSchemas implements Admission {
  /** OpenAPI 3.0 plus the Kubernetes extensions, which pruning handles, not validation. */
  private static final JsonMetaSchema KUBERNETES =
      JsonMetaSchema.builder(OpenApi30.getInstance())
          .keywords(
              java.util.stream.Stream.of(
                      "x-kubernetes-preserve-unknown-fields",
                      "x-kubernetes-int-or-string",
                      "x-kubernetes-embedded-resource",
                      "x-kubernetes-list-type",
                      "x-kubernetes-list-map-keys",
                      "x-kubernetes-map-type",
                      "x-kubernetes-validations")
                  .map(k -> (com.networknt.schema.Keyword) new NonValidationKeyword(k))
                  .toList())
          .build();

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V4,
          b -> b.metaSchema(KUBERNETES).defaultMetaSchemaIri(KUBERNETES.getIri()));

  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder()
          .pathType(PathType.JSON_PATH)
          .nullableKeywordEnabled(true)
          .formatAssertionsEnabled(false)
          .build();

  private final Map<JsonNode, JsonSchema> compiled = new ConcurrentHashMap<>();

  @Override
  public Optional<ApiResponse> admit(Write w) {
    if (!w.type().custom()) {
      return Optional.empty();
    }
    JsonNode schema = w.type().schemas().get(w.version());
    if (schema == null) {
      return Optional.empty();
    }
    var pruned = SchemaPruner.pruneAndDefault(w.object(), schema);
    if (!pruned.isEmpty()) {
      var unknown = pruned.stream().map(p -> "unknown field \"" + p + "\"").toList();
      if ("Strict".equals(w.fieldValidation())) {
        return Optional.of(
            ApiResponse.status(
                400,
                "BadRequest",
                w.type().kind()
                    + " in version \""
                    + w.version()
                    + "\" cannot be handled as a "
                    + w.type().kind()
                    + ": strict decoding error: "
                    + String.join(", ", unknown)));
      }
      if (!"Ignore".equals(w.fieldValidation())) {
        w.warnings().addAll(unknown);
      }
    }
    var errors = validate(w.object(), schema);
    if (errors.isEmpty()) {
      return Optional.empty();
    }
    String name = w.object().path("metadata").path("name").asText("");
    return Optional.of(invalid(w.type(), name, errors));
  }

  /** One field error: the path as the API server prints it and the rest of the message. */
  record FieldError(String field, String reason, String detail) {
    String message() {
      return field + ": " + detail;
    }
  }

  List<FieldError> validate(JsonNode object, JsonNode schema) {
    var validator = compiled.computeIfAbsent(schema, s -> FACTORY.getSchema(s, CONFIG));
    var out = new ArrayList<FieldError>();
    for (ValidationMessage m : validator.validate(object)) {
      out.add(describe(m));
    }
    out.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::detail));
    return out.stream().distinct().toList();
  }

  /** A 422 Invalid Status naming every field, as the API server answers. */
  static ApiResponse invalid(ResourceType type, String name, List<FieldError> errors) {
    String list =
        errors.size() == 1
            ? errors.get(0).message()
            : "[" + String.join(", ", errors.stream().map(FieldError::message).toList()) + "]";
    var s =
        ApiResponse.statusNode(
            422, "Invalid", type.qualifiedKind() + " \"" + name + "\" is invalid: " + list);
    var details = s.putObject("details").put("name", name).put("group", type.group());
    details.put("kind", type.kind());
    var causes = details.putArray("causes");
    for (var e : errors) {
      causes
          .addObject()
          .put("reason", e.reason())
          .put("message", e.detail())
          .put("field", e.field());
    }
    return ApiResponse.json(422, s);
  }

  static FieldError describe(ValidationMessage m) {
    String path = fieldPath(m.getInstanceLocation().toString());
    JsonNode value = m.getInstanceNode();
    Object[] args = m.getArguments() == null ? new Object[0] : m.getArguments();
    String where = path.isEmpty() ? "<root>" : path;
    switch (m.getType()) {
      case "required":
        String field = path.isEmpty() ? m.getProperty() : path + "." + m.getProperty();
        return new FieldError(field, "FieldValueRequired", "Required value");
      case "type":
        return new FieldError(
            where,
            "FieldValueTypeInvalid",
            "Invalid value: \""
                + typeName(value)
                + "\": "
                + where
                + " in body must be of type "
                + expectedType(m)
                + ": \""
                + typeName(value)
                + "\"");
      case "enum":
        var allowed = new ArrayList<String>();
        m.getSchemaNode().forEach(v -> allowed.add(show(v)));
        return new FieldError(
            where,
            "FieldValueNotSupported",
            "Unsupported value: "
                + show(value)
                + ": supported values: "
                + String.join(", ", allowed));
      case "minimum":
      case "exclusiveMinimum":
        return invalid(where, value, "should be greater than or equal to " + bound(m));
      case "maximum":
      case "exclusiveMaximum":
        return invalid(where, value, "should be less than or equal to " + bound(m));
      case "pattern":
        return invalid(where, value, "should match '" + m.getSchemaNode().asText() + "'");
      case "minLength":
        return invalid(where, value, "should be at least " + bound(m) + " chars long");
      case "maxLength":
        return new FieldError(
            where, "FieldValueTooLong", "Too long: may not be more than " + bound(m) + " bytes");
      case "minItems":
        return invalid(where, value, "should have at least " + bound(m) + " items");
      case "maxItems":
        return new FieldError(
            where,
            "FieldValueTooMany",
            "Too many: " + value.size() + ": must have at most " + bound(m) + " items");
      default:
        return new FieldError(
            where,
            "FieldValueInvalid",
            "Invalid value: " + show(value) + ": " + stripPath(m, args));
    }
  }

  private static FieldError invalid(String where, JsonNode value, String rule) {
    return new FieldError(
        where,
        "FieldValueInvalid",
        "Invalid value: " + show(value) + ": " + where + " in body " + rule);
  }

  private static String bound(ValidationMessage m) {
    JsonNode s = m.getSchemaNode();
    if (s != null && s.isNumber() && s.asDouble() == Math.rint(s.asDouble())) {
      return String.valueOf(s.asLong());
    }
    return s == null ? "?" : s.asText();
  }

  private static String stripPath(ValidationMessage m, Object[] args) {
    String msg = m.getMessage();
    int colon = msg.indexOf(": ");
    return colon >= 0 && msg.startsWith("$") ? msg.substring(colon + 2) : msg;
  }

  private static String expectedType(ValidationMessage m) {
    JsonNode s = m.getSchemaNode();
    return s != null && s.isTextual() ? s.asText() : String.valueOf(m.getArguments()[1]);
  }

  /** {@code $.spec.a[0]['b.c']} to {@code spec.a[0][b.c]}. */
  static String fieldPath(String jsonPath) {
    String p = jsonPath.startsWith("$") ? jsonPath.substring(1) : jsonPath;
    if (p.startsWith(".")) {
      p = p.substring(1);
    }
    return p.replaceAll("\\['([^']*)'\\]", "[$1]");
  }

  static String typeName(JsonNode v) {
    if (v == null || v.isNull()) {
      return "null";
    }
    if (v.isTextual()) {
      return "string";
    }
    if (v.isIntegralNumber()) {
      return "integer";
    }
    if (v.isNumber()) {
      return "number";
    }
    if (v.isBoolean()) {
      return "boolean";
    }
    return v.isArray() ? "array" : "object";
  }

  static String show(JsonNode v) {
    if (v == null || v.isNull()) {
      return "null";
    }
    if (v.isTextual()) {
      return "\"" + v.asText().replace("\"", "\\\"") + "\"";
    }
    if (v.isValueNode()) {
      return v.asText();
    }
    return "\"" + typeName(v) + "\"";
  }
}

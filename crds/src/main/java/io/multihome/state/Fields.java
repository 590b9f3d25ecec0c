package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the keys of one JSON/YAML object at a known path. Every getter marks its key as known;
 * {@link #finish} turns the keys nobody asked for into problems (or {@link Extras}). A value that
 * is a capture template is recorded in the context and read as null. Type errors become problems
 * and the value reads as null, so one pass finds every mistake.
 */
final class Fields {

  private final JsonNode node;
  private final String path;
  private final ParseContext ctx;
  private final Set<String> known = new LinkedHashSet<>();
  private Map<String, String> canonical = Map.of();

  private Fields(JsonNode node, String path, ParseContext ctx) {
    this.node = node;
    this.path = path;
    this.ctx = ctx;
  }

  /** The object at {@code path}, or null (with a problem) when {@code node} is not an object. */
  static Fields of(JsonNode node, String path, ParseContext ctx) {
    if (node == null) {
      return null;
    }
    if (node.isNull()) {
      // Keys holding null read as absent before they get here; a null list element does not.
      ctx.problem(path, "must be a mapping, not null (an empty list item?)");
      return null;
    }
    if (node.isTextual() && ctx.template(path, node.textValue())) {
      return null;
    }
    if (!node.isObject()) {
      ctx.problem(path, "must be a mapping, not " + describe(node));
      return null;
    }
    return new Fields(node, path, ctx);
  }

  String path() {
    return path;
  }

  /** The path of {@code key}; an alias ({@code ports}) is named by its canonical key. */
  String path(String key) {
    return Problem.child(path, canonical.getOrDefault(key, key));
  }

  boolean has(String key) {
    var v = node.get(key);
    return v != null && !v.isNull();
  }

  /** The raw value of {@code key} or of its {@code alias}, marking both known. */
  JsonNode value(String key) {
    known.add(key);
    ctx.saw(
        path,
        canonical.getOrDefault(key, key),
        ModelFields.Shape.SCALAR,
        ModelFields.Category.FIELD);
    var v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      var t = Template.of(v.textValue());
      if (t != null) {
        ctx.templates.put(path(key), t);
        return null;
      }
    }
    return v;
  }

  /** The key actually used among {@code key} and {@code alias}; a problem when both are. */
  String alias(String key, String alias) {
    known.add(key);
    known.add(alias);
    if (canonical.isEmpty()) {
      canonical = new java.util.HashMap<>();
    }
    canonical.put(alias, key);
    ctx.saw(path, alias, ModelFields.Shape.SCALAR, ModelFields.Category.ALIAS);
    if (node.has(alias)) {
      // nmstate's own show prints both spellings (group-forward-mask and group-fwd-mask) with
      // one value: only different values are a conflict.
      if (node.has(key) && !node.get(key).equals(node.get(alias))) {
        ctx.problem(
            Problem.child(path, alias),
            "'" + alias + "' and '" + key + "' are the same setting with different values");
      }
      return alias;
    }
    return key;
  }

  /** Reports {@code message} at {@code key}'s path. */
  void problem(String key, String message) {
    ctx.problem(path(key), message);
  }

  void require(String key, String why) {
    known.add(key);
    if (!has(key)) {
      ctx.problem(path(key), "is required" + (why == null ? "" : " " + why));
    }
  }

  String string(String key) {
    var v = value(key);
    if (v == null) {
      return null;
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    ctx.problem(path(key), "must be a string, not " + describe(v));
    return null;
  }

  Boolean bool(String key) {
    var v = value(key);
    if (v == null) {
      return null;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    // nmstate also reads "true"/"false" written as strings.
    if (v.isTextual() && (v.textValue().equals("true") || v.textValue().equals("false"))) {
      return Boolean.valueOf(v.textValue());
    }
    ctx.problem(path(key), "must be true or false, not " + describe(v));
    return null;
  }

  Integer integer(String key) {
    var l = longValue(key);
    if (l == null) {
      return null;
    }
    if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
      ctx.problem(path(key), l + " is too large");
      return null;
    }
    return l.intValue();
  }

  Long longValue(String key) {
    var v = value(key);
    return v == null ? null : toLong(v, path(key));
  }

  Long toLong(JsonNode v, String at) {
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.longValue();
    }
    // nmstate accepts numbers written as strings ("1500"), and hex for marks ("0x10").
    if (v.isTextual()) {
      var s = v.textValue().strip();
      try {
        if (s.startsWith("0x") || s.startsWith("0X")) {
          return Long.parseLong(s.substring(2), 16);
        }
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    ctx.problem(at, "must be an integer, not " + describe(v));
    return null;
  }

  <E extends Enum<E> & Wire> E choice(String key, Class<E> type) {
    var v = value(key);
    return v == null ? null : ctx.choice(v, path(key), type);
  }

  Fields object(String key) {
    var v = value(key);
    ctx.saw(
        path,
        canonical.getOrDefault(key, key),
        ModelFields.Shape.OBJECT,
        ModelFields.Category.FIELD);
    return of(v, path(key), ctx);
  }

  /** The elements of the list at {@code key}; null when absent, a template or not a list. */
  List<JsonNode> list(String key) {
    var v = value(key);
    ctx.saw(
        path, canonical.getOrDefault(key, key), ModelFields.Shape.LIST, ModelFields.Category.FIELD);
    if (v == null) {
      return null;
    }
    if (!v.isArray()) {
      ctx.problem(path(key), "must be a list, not " + describe(v));
      return null;
    }
    var out = new ArrayList<JsonNode>(v.size());
    v.forEach(out::add);
    return out;
  }

  /** A list of strings; a template element reads as null. */
  List<String> strings(String key) {
    var items = list(key);
    ctx.saw(path, key, ModelFields.Shape.SCALAR_LIST, ModelFields.Category.FIELD);
    if (items == null) {
      return null;
    }
    var out = new ArrayList<String>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(ctx.string(items.get(i), Problem.index(path(key), i)));
    }
    return Collections.unmodifiableList(out);
  }

  /** The value of {@code key} kept verbatim, templates included. */
  JsonNode raw(String key) {
    known.add(key);
    return node.get(key);
  }

  /**
   * The value of {@code key} kept verbatim (a string map, a section the model does not type), known
   * to {@link ModelFields} as a raw tree of {@code category}.
   */
  JsonNode verbatim(String key, ModelFields.Category category) {
    ctx.saw(path, key, ModelFields.Shape.RAW, category);
    return raw(key);
  }

  /** The value of {@code key} kept verbatim and ignored on apply (what only a query reports). */
  JsonNode queryOnly(String key) {
    ctx.saw(path, key, ModelFields.Shape.RAW, ModelFields.Category.QUERY_ONLY);
    return raw(key);
  }

  /** Every key of the object in input order, with its value; marks them known. */
  Map<String, JsonNode> all(java.util.Collection<String> documented) {
    for (var key : documented) {
      ctx.saw(path, key, ModelFields.Shape.SCALAR, ModelFields.Category.FIELD);
    }
    return all();
  }

  Map<String, JsonNode> all() {
    var out = new LinkedHashMap<String, JsonNode>();
    node.fields()
        .forEachRemaining(
            e -> {
              known.add(e.getKey());
              out.put(e.getKey(), e.getValue());
            });
    return out;
  }

  /**
   * Ends the object: keys in {@code unsupported} and {@code queryOnly} are kept as {@link Extras};
   * any other unread key is a problem.
   */
  Extras finish(Set<String> unsupported, Set<String> queryOnly) {
    return finish(unsupported, queryOnly, Set.of());
  }

  /** Like {@link #finish(Set, Set)}; keys in {@code kept} are valid and kept verbatim. */
  Extras finish(Set<String> unsupported, Set<String> queryOnly, Set<String> kept) {
    if (ctx.schema != null) {
      kept.forEach(k -> ctx.saw(path, k, ModelFields.Shape.RAW, ModelFields.Category.KEPT));
      unsupported.forEach(
          k -> ctx.saw(path, k, ModelFields.Shape.RAW, ModelFields.Category.UNSUPPORTED));
      queryOnly.forEach(
          k -> ctx.saw(path, k, ModelFields.Shape.RAW, ModelFields.Category.QUERY_ONLY));
    }
    Map<String, JsonNode> unsup = null;
    Map<String, JsonNode> query = null;
    Map<String, JsonNode> keep = null;
    var it = node.fields();
    while (it.hasNext()) {
      var e = it.next();
      var key = e.getKey();
      if (known.contains(key)) {
        continue;
      }
      if (unsupported.contains(key)) {
        unsup = unsup == null ? new LinkedHashMap<>() : unsup;
        unsup.put(key, e.getValue());
      } else if (kept.contains(key)) {
        keep = keep == null ? new LinkedHashMap<>() : keep;
        keep.put(key, e.getValue());
      } else if (queryOnly.contains(key)) {
        query = query == null ? new LinkedHashMap<>() : query;
        query.put(key, e.getValue());
      } else {
        var more = new java.util.ArrayList<String>(unsupported);
        more.addAll(kept);
        ctx.unknownField(path(key), key, known, more);
      }
    }
    if (unsup == null && query == null && keep == null) {
      return Extras.NONE;
    }
    return new Extras(
        unsup == null ? Map.of() : unsup,
        query == null ? Map.of() : query,
        keep == null ? Map.of() : keep);
  }

  Extras finish() {
    return finish(Set.of(), Set.of());
  }

  static String describe(JsonNode v) {
    if (v.isTextual()) {
      return "'" + v.textValue() + "'";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    return v.toString();
  }
}

package io.multihome.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Every key the desired-state model accepts, by schema path ({@code interfaces[].bridge.options.
 * group-addr}: list positions written {@code []}), learnt from the parser itself rather than listed
 * by hand: {@link #enumerate} parses a skeleton document, adds an empty object or list wherever the
 * parser asked for one, and repeats until the parser asks for nothing new. So a key added to the
 * parser is enumerated without anyone listing it, and whoever applies states (the engine) can be
 * checked against the complete list.
 */
public final class ModelFields {

  /** How the parser reads a key. */
  public enum Shape {
    SCALAR,
    SCALAR_LIST,
    OBJECT,
    LIST,
    /** Kept verbatim (a raw tree). */
    RAW
  }

  /** What the model does with a key. */
  public enum Category {
    /** Read into the typed model: an appliable setting. */
    FIELD,
    /** Another spelling of a {@code FIELD} (written back by its canonical name). */
    ALIAS,
    /** Reported by nmstate's show only; nmstate ignores it on apply. */
    QUERY_ONLY,
    /** Valid nmstate that validation reports as not supported yet. */
    UNSUPPORTED,
    /** Valid nmstate kept verbatim: validation accepts it, the engine covers it or refuses it. */
    KEPT
  }

  /** One accepted key. */
  public record Field(String path, Shape shape, Category category) {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static volatile Map<String, Field> cached;
  private static final Map<InterfaceType, Map<String, Field>> BY_KIND =
      new java.util.concurrent.ConcurrentHashMap<>();

  private ModelFields() {}

  /** {@code interfaces[3].ipv4.address[0].ip} → {@code interfaces[].ipv4.address[].ip}. */
  public static String schemaPath(String path) {
    if (path.indexOf('[') < 0) {
      return path;
    }
    // Called for every key of large states: a scan, not a regular expression.
    var sb = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      sb.append(c);
      if (c == '[') {
        int close = path.indexOf(']', i);
        boolean digits = close > i + 1;
        for (int j = i + 1; j < close && digits; j++) {
          digits = Character.isDigit(path.charAt(j));
        }
        if (digits) {
          i = close - 1;
        }
      }
    }
    return sb.toString();
  }

  /** Every key the parser accepts, by schema path, sorted. */
  public static Map<String, Field> enumerate() {
    var c = cached;
    if (c == null) {
      c = Collections.unmodifiableMap(new TreeMap<>(discover()));
      cached = c;
    }
    return c;
  }

  /**
   * The keys the parser reads for a document whose one interface is of {@code kind} (the top-level
   * keys included): which keys belong to which kind, learnt the same way as {@link #enumerate}.
   */
  public static Map<String, Field> enumerate(InterfaceType kind) {
    if (!kind.supported()) {
      throw new IllegalArgumentException(kind.wire() + " is kept as a raw tree, it has no keys");
    }
    return BY_KIND.computeIfAbsent(
        kind, k -> Collections.unmodifiableMap(new TreeMap<>(discover(List.of(k)))));
  }

  /** Interface types the model keeps only as raw trees (validation refuses them). */
  public static List<InterfaceType> unsupportedTypes() {
    var out = new ArrayList<InterfaceType>();
    for (var t : InterfaceType.values()) {
      if (!t.supported()) {
        out.add(t);
      }
    }
    return out;
  }

  private static Map<String, Field> discover() {
    var kinds = new ArrayList<InterfaceType>();
    for (var t : InterfaceType.values()) {
      if (t.supported()) {
        kinds.add(t);
      }
    }
    return discover(kinds);
  }

  private static Map<String, Field> discover(List<InterfaceType> kinds) {
    var doc = NODES.objectNode();
    var ifaces = doc.putArray("interfaces");
    int n = 0;
    for (var t : kinds) {
      ifaces.addObject().put("name", "x" + n++).put("type", t.wire());
    }
    Map<String, Field> seen = new LinkedHashMap<>();
    for (int round = 0; round < 64; round++) {
      var schema = new LinkedHashMap<String, Field>();
      StateParser.parse(doc, new ParseContext(schema));
      if (schema.equals(seen)) {
        return schema;
      }
      seen = schema;
      for (var f : schema.values()) {
        if (f.category() == Category.FIELD
            && (f.shape() == Shape.OBJECT || f.shape() == Shape.LIST)) {
          grow(doc, f.path().split("\\."), 0, f.shape());
        }
      }
    }
    throw new IllegalStateException("the parser's schema did not settle");
  }

  /** Makes sure the object or list at {@code segments} exists under every list element. */
  private static void grow(JsonNode node, String[] segments, int i, Shape shape) {
    if (!(node instanceof ObjectNode obj)) {
      return;
    }
    var seg = segments[i];
    boolean each = seg.endsWith("[]");
    var key = each ? seg.substring(0, seg.length() - 2) : seg;
    boolean last = i == segments.length - 1;
    var child = obj.get(key);
    if (child == null || child.isNull()) {
      if (last && shape == Shape.LIST || each) {
        child = obj.putArray(key).addObject();
        child = obj.get(key);
      } else {
        child = obj.putObject(key);
      }
    }
    if (last) {
      return;
    }
    if (child instanceof ArrayNode arr) {
      arr.forEach(e -> grow(e, segments, i + 1, shape));
    } else {
      grow(child, segments, i + 1, shape);
    }
  }

  /**
   * Calls {@code visit(concretePath, node)} for every key of the written tree {@code tree} (objects
   * and lists, then their elements); list elements are visited by position.
   */
  public static void walk(JsonNode tree, BiConsumer<String, JsonNode> visit) {
    walk("", tree, visit);
  }

  private static void walk(String path, JsonNode node, BiConsumer<String, JsonNode> visit) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                var at = Problem.child(path, e.getKey());
                visit.accept(at, e.getValue());
                walk(at, e.getValue(), visit);
              });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(Problem.index(path, i), node.get(i), visit);
      }
    }
  }
}

package io.multihome.api.read;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Turns what would be a Jackson exception into a {@link ReadProblem} and an absent value: unknown
 * properties are skipped (and noted), values of the wrong type or outside an enum read as null. The
 * problems of one read are collected in the {@link Collected} found under {@link #ATTRIBUTE}.
 */
final class ProblemRecorder extends DeserializationProblemHandler {
  static final Object ATTRIBUTE = ProblemRecorder.class;

  /** What one read collected. */
  static final class Collected {
    final List<ReadProblem> problems = new ArrayList<>();
    final List<String> ignored = new ArrayList<>();

    /**
     * Where the object sat in the stream it was buffered from (null: it was the root). A parser
     * over the buffer starts with a copy of that position; paths stop below it.
     */
    final JsonStreamContext outside;

    Collected(JsonStreamContext outside) {
      this.outside = outside;
    }
  }

  private static Collected collected(DeserializationContext ctxt) {
    var c = ctxt.getAttribute(ATTRIBUTE);
    if (c instanceof Collected collected) {
      return collected;
    }
    throw new IllegalStateException("lenient read without a collector");
  }

  @Override
  public boolean handleUnknownProperty(
      DeserializationContext ctxt,
      JsonParser p,
      JsonDeserializer<?> deserializer,
      Object beanOrClass,
      String propertyName)
      throws IOException {
    var path = path(p.getParsingContext(), p.currentToken(), collected(ctxt).outside);
    if (!path.equals(propertyName) && !path.endsWith("." + propertyName)) {
      path = path.isEmpty() ? propertyName : path + "." + propertyName;
    }
    collected(ctxt).ignored.add(path);
    p.skipChildren();
    return true;
  }

  @Override
  public Object handleWeirdStringValue(
      DeserializationContext ctxt, Class<?> targetType, String value, String failureMsg)
      throws IOException {
    var p = ctxt.getParser();
    var t = p == null ? null : p.currentToken();
    if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
      // A structure where a scalar belongs reaches here with its first character as "text".
      record(ctxt, p, "expected " + describe(targetType) + ", got " + describe(t, p));
      p.skipChildren();
      return null;
    }
    record(ctxt, p, "\"" + value + "\" is not " + describe(targetType));
    return null;
  }

  @Override
  public Object handleWeirdNumberValue(
      DeserializationContext ctxt, Class<?> targetType, Number value, String failureMsg) {
    record(ctxt, ctxt.getParser(), value + " is not " + describe(targetType));
    return null;
  }

  @Override
  public Object handleWeirdNativeValue(
      DeserializationContext ctxt, JavaType targetType, Object value, JsonParser p) {
    record(ctxt, p, "expected " + describe(targetType.getRawClass()));
    return null;
  }

  @Override
  public Object handleUnexpectedToken(
      DeserializationContext ctxt,
      JavaType targetType,
      JsonToken t,
      JsonParser p,
      String failureMsg)
      throws IOException {
    record(ctxt, p, "expected " + describe(targetType.getRawClass()) + ", got " + describe(t, p));
    p.skipChildren();
    return null;
  }

  @Override
  public Object handleMissingInstantiator(
      DeserializationContext ctxt,
      Class<?> instClass,
      ValueInstantiator valueInsta,
      JsonParser p,
      String msg)
      throws IOException {
    record(ctxt, p, "expected " + describe(instClass) + ", got " + describe(p.currentToken(), p));
    p.skipChildren();
    return null;
  }

  private static void record(DeserializationContext ctxt, JsonParser p, String reason) {
    var c = collected(ctxt);
    var path = p == null ? "" : path(p.getParsingContext(), p.currentToken(), c.outside);
    c.problems.add(new ReadProblem(path, reason));
  }

  /** The manifest path, relative to the object read, of the value the parser is at. */
  static String path(JsonStreamContext context, JsonToken token, JsonStreamContext outside) {
    var ctx = context;
    // At the start of a structure the parser is already inside it; the name is its parent's.
    if (ctx != null
        && ctx.getParent() != null
        && (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)) {
      ctx = ctx.getParent();
    }
    var parts = new ArrayDeque<String>();
    for (var c = ctx;
        c != null && !c.inRoot() && (outside == null || c.getParent() != outside);
        c = c.getParent()) {
      if (c.inArray()) {
        parts.push("[" + Math.max(c.getCurrentIndex(), 0) + "]");
      } else if (c.getCurrentName() != null) {
        parts.push("." + c.getCurrentName());
      }
    }
    var out = String.join("", parts);
    return out.startsWith(".") ? out.substring(1) : out;
  }

  static String describe(Class<?> type) {
    if (type.isEnum()) {
      var allowed = new ArrayList<String>();
      for (var constant : type.getEnumConstants()) {
        allowed.add("\"" + wireName((Enum<?>) constant) + "\"");
      }
      return "one of " + String.join(", ", allowed);
    }
    if (type == String.class || type == Character.class || type == char.class) {
      return "a string";
    }
    if (type == Integer.class
        || type == int.class
        || type == Long.class
        || type == long.class
        || type == Short.class
        || type == short.class) {
      return "an integer";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean (true or false)";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a map";
    }
    return "an object";
  }

  private static String describe(JsonToken t, JsonParser p) {
    if (t == null) {
      return "nothing";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "a list";
      case VALUE_STRING -> "\"" + text(p) + "\"";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> text(p);
      case VALUE_TRUE -> "true";
      case VALUE_FALSE -> "false";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }

  private static String text(JsonParser p) {
    try {
      var s = p.getText();
      return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    } catch (IOException e) {
      return "?";
    }
  }

  /** The value an enum constant has in manifests ({@code @JsonProperty}, else its name). */
  static String wireName(Enum<?> constant) {
    try {
      var annotation =
          constant.getDeclaringClass().getField(constant.name()).getAnnotation(JsonProperty.class);
      return annotation == null ? constant.name() : annotation.value();
    } catch (NoSuchFieldException e) {
      return constant.name();
    }
  }
}

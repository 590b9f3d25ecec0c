package io.multihome.api.read;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way every component reads the project's custom resources, wherever they come from
 * (informer lists and watches, gets, test fixtures): put on a CR class with
 * {@code @JsonDeserialize(using = LenientResourceDeserializer.class)}, so it holds for every client
 * and every ObjectMapper without configuring them.
 *
 * <p>No object can make a read fail. Unknown fields are skipped (an API server with the CRD prunes
 * them). A value of the wrong type or outside an enum reads as absent and becomes a {@link
 * ReadProblem} with its field path. Anything else that throws (a custom deserializer of a nested
 * type) removes that field and reads again; an object that cannot be read at all keeps its
 * metadata. The object carries the outcome as its {@link ReadReport}: components reconcile valid
 * objects and report invalid ones (status condition and Warning event), instead of an informer
 * dying on the first bad object and taking the operator with it.
 */
public final class LenientResourceDeserializer extends JsonDeserializer<Object>
    implements ContextualDeserializer {
  private static final Logger LOG = LoggerFactory.getLogger(LenientResourceDeserializer.class);
  private static final int MAX_REREADS = 32;
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  /** One mapper per CR class; each has the mix-in that lifts this deserializer off its class. */
  private static final Map<Class<?>, ObjectMapper> MAPPERS = new ConcurrentHashMap<>();

  /** Plain bean deserialization: overrides the class's {@code @JsonDeserialize(using = ...)}. */
  @JsonDeserialize
  private abstract static class PlainBean {}

  private final JavaType type;

  public LenientResourceDeserializer() {
    this(null);
  }

  /** For {@link LenientSerialization}: reads {@code type}, a class without the annotation. */
  LenientResourceDeserializer(JavaType type) {
    this.type = type;
  }

  @Override
  public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
    var t = ctxt.getContextualType();
    if (t == null && property != null) {
      t = property.getType();
    }
    return t == null || t.equals(type) ? this : new LenientResourceDeserializer(t);
  }

  @Override
  public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (type == null) {
      throw JsonMappingException.from(p, "lenient read without a target type");
    }
    Class<?> raw = type.getRawClass();
    var mapper = MAPPERS.computeIfAbsent(raw, LenientResourceDeserializer::mapperFor);
    var outside = p.getParsingContext() == null ? null : p.getParsingContext().getParent();
    TokenBuffer buffer = ctxt.bufferAsCopyOfValue(p);
    var collected = new ProblemRecorder.Collected(outside);
    Object value;
    try (var parser = buffer.asParserOnFirstToken()) {
      value = read(mapper, raw, collected, parser);
    } catch (IOException | RuntimeException first) {
      value = rereadWithout(mapper, raw, buffer, collected, first);
    }
    if (value instanceof LenientlyRead l) {
      l.readReport(new ReadReport(collected.problems, collected.ignored));
    } else if (!collected.problems.isEmpty() && value instanceof HasMetadata h) {
      logOnce(h, collected.problems);
    }
    return value;
  }

  /**
   * A kind of the API (Pod, Service, ...) has nowhere to carry the report: it is logged, once per
   * version of the object (informers and copies read the same version again and again).
   */
  private static void logOnce(HasMetadata h, List<ReadProblem> problems) {
    var meta = h.getMetadata() == null ? new ObjectMeta() : h.getMetadata();
    var name =
        meta.getNamespace() == null ? meta.getName() : meta.getNamespace() + "/" + meta.getName();
    if (LOGGED.size() > 4096) {
      LOGGED.clear(); // bounded: a repeat line now and then is fine
    }
    if (LOGGED.add(h.getKind() + " " + name + "@" + meta.getResourceVersion())) {
      LOG.warn(
          "{} {} has fields that cannot be read, read as absent: {}",
          h.getKind(),
          name,
          ReadReport.describe(problems));
    }
  }

  private static Object read(
      ObjectMapper mapper, Class<?> raw, ProblemRecorder.Collected collected, JsonParser parser)
      throws IOException {
    return mapper
        .readerFor(raw)
        .withAttribute(ProblemRecorder.ATTRIBUTE, collected)
        .readValue(parser);
  }

  /** Drops each field a read throws on (recording it) and reads the rest again. */
  private static Object rereadWithout(
      ObjectMapper mapper,
      Class<?> raw,
      TokenBuffer buffer,
      ProblemRecorder.Collected collected,
      Exception first)
      throws IOException {
    JsonNode tree;
    try (var parser = buffer.asParser()) {
      tree = mapper.readTree(parser);
    }
    var dropped = new ArrayList<ReadProblem>();
    Exception failure = first;
    for (int i = 0; i < MAX_REREADS && tree instanceof ObjectNode; i++) {
      var problem = problemOf(failure);
      if (problem.path().isEmpty() || !remove(tree, pathOf(failure))) {
        break;
      }
      dropped.add(problem);
      collected.problems.clear();
      collected.ignored.clear();
      try {
        var value =
            mapper
                .readerFor(raw)
                .withAttribute(ProblemRecorder.ATTRIBUTE, collected)
                .readValue(tree);
        collected.problems.addAll(0, dropped);
        return value;
      } catch (IOException | RuntimeException e) {
        failure = e;
      }
    }
    // Unreadable as a whole: keep who it is, so it can be reported and skipped.
    collected.problems.clear();
    collected.ignored.clear();
    collected.problems.addAll(dropped);
    collected.problems.add(problemOf(failure));
    return skeleton(mapper, raw, tree);
  }

  private static ReadProblem problemOf(Exception e) {
    var path = pathOf(e);
    String message =
        e instanceof JsonMappingException m && m.getOriginalMessage() != null
            ? m.getOriginalMessage()
            : String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    var reason = (newline < 0 ? message : message.substring(0, newline)).strip();
    // "Cannot construct instance of `X`, problem: why" says why after the Java noise.
    var why = reason.indexOf(", problem: ");
    if (reason.startsWith("Cannot construct instance of") && why > 0) {
      reason = reason.substring(why + ", problem: ".length());
    }
    return new ReadProblem(String.join("", path).replaceFirst("^\\.", ""), reason);
  }

  /** The failing field's path as ".name" and "[index]" steps. */
  private static List<String> pathOf(Exception e) {
    var out = new ArrayList<String>();
    if (e instanceof JsonMappingException m) {
      for (var ref : m.getPath()) {
        if (ref.getFieldName() != null) {
          out.add("." + ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          out.add("[" + ref.getIndex() + "]");
        }
      }
    }
    return out;
  }

  private static boolean remove(JsonNode tree, List<String> steps) {
    JsonNode node = tree;
    for (int i = 0; i < steps.size() - 1 && node != null; i++) {
      node = step(node, steps.get(i));
    }
    if (steps.isEmpty() || node == null) {
      return false;
    }
    var last = steps.get(steps.size() - 1);
    if (last.startsWith(".") && node instanceof ObjectNode o) {
      return o.remove(last.substring(1)) != null;
    }
    if (last.startsWith("[") && node instanceof ArrayNode a) {
      int index = Integer.parseInt(last.substring(1, last.length() - 1));
      return index < a.size() && a.remove(index) != null;
    }
    return false;
  }

  private static JsonNode step(JsonNode node, String step) {
    return step.startsWith(".")
        ? node.get(step.substring(1))
        : node.get(Integer.parseInt(step.substring(1, step.length() - 1)));
  }

  private static Object skeleton(ObjectMapper mapper, Class<?> raw, JsonNode tree)
      throws IOException {
    Object value;
    try {
      value = raw.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IOException("cannot create an empty " + raw.getName(), e);
    }
    if (value instanceof HasMetadata h && tree != null && tree.get("metadata") != null) {
      try {
        h.setMetadata(mapper.treeToValue(tree.get("metadata"), ObjectMeta.class));
      } catch (IOException | RuntimeException e) {
        var meta = new ObjectMeta();
        meta.setName(tree.path("metadata").path("name").asText(null));
        meta.setNamespace(tree.path("metadata").path("namespace").asText(null));
        meta.setUid(tree.path("metadata").path("uid").asText(null));
        meta.setResourceVersion(tree.path("metadata").path("resourceVersion").asText(null));
        h.setMetadata(meta);
      }
    }
    return value;
  }

  private static ObjectMapper mapperFor(Class<?> raw) {
    var mapper = new ObjectMapper();
    // Same modules and features as a fabric8 client's mapper (it configures the one it is given).
    new KubernetesSerialization(mapper, false);
    mapper.addMixIn(raw, PlainBean.class);
    mapper.addHandler(new ProblemRecorder());
    return mapper;
  }
}

package io.multihome.state;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML 1.2 (one or more {@code ---} separated documents, core schema as nmstate reads it:
 * {@link Yaml12}) or JSON into trees, and turns syntax errors into one-line messages with line and
 * column instead of exceptions. Writing stays with Jackson's YAML generator, quoting every string a
 * YAML 1.2 or 1.1 reader would type otherwise ({@link YamlQuoting}).
 */
public final class Documents {

  /** Big enough for desired states with thousands of interfaces. */
  private static final int MAX_DOCUMENT_CHARS = 64 * 1024 * 1024;

  static final YAMLMapper YAML = yamlMapper();
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private Documents() {}

  /** The documents of {@code text}, or a syntax error. Empty documents are left out. */
  public static Parsed read(String text) {
    var trimmed = text.stripLeading();
    if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) {
      try {
        return new Parsed(Yaml12.read(text, MAX_DOCUMENT_CHARS), null);
      } catch (Yaml12.SyntaxError e) {
        return new Parsed(List.of(), e.getMessage());
      }
    }
    ObjectMapper mapper = JSON;
    var docs = new ArrayList<JsonNode>();
    // One value per document; reading values one by one (rather than readValues) keeps a
    // top-level list a list instead of unwrapping its elements into documents.
    try (var parser = mapper.createParser(text)) {
      while (parser.nextToken() != null) {
        JsonNode node = mapper.readTree(parser);
        if (node != null && !node.isNull() && !node.isMissingNode()) {
          docs.add(node);
        }
      }
    } catch (JsonProcessingException e) {
      return new Parsed(docs, syntaxError(e));
    } catch (IOException | RuntimeException e) {
      // Jackson wraps some parser failures in unchecked exceptions; still bad input, not a bug.
      return new Parsed(docs, "cannot read the document: " + firstLine(e.getMessage()));
    }
    return new Parsed(docs, null);
  }

  /** Exactly one document of {@code text}; for tests and callers holding a single state. */
  static JsonNode readSingle(String text) throws IOException {
    var parsed = read(text);
    if (parsed.error() != null) {
      throw new IOException(parsed.error());
    }
    if (parsed.documents().size() != 1) {
      throw new IOException("expected one document, found " + parsed.documents().size());
    }
    return parsed.documents().get(0);
  }

  /** Documents read from one text, and the syntax error that stopped reading, if any. */
  public record Parsed(List<JsonNode> documents, String error) {}

  private static String syntaxError(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
      // SnakeYAML knows where the problem is (Jackson reports where the context began) and
      // says what it is on its second line; one line with both is what a person needs.
      var mark = m.getProblemMark();
      var what = m.getProblem() == null ? firstLine(m.getMessage()) : m.getProblem();
      if (m.getContext() != null) {
        what = what + " (" + m.getContext() + ")";
      }
      return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": " + what;
    }
    var loc = e.getLocation();
    var message = firstLine(e.getOriginalMessage());
    if (e instanceof JsonParseException && message.startsWith("Duplicate field")) {
      message = "duplicate key " + message.substring("Duplicate field ".length());
    }
    if (loc == null || loc.getLineNr() < 1) {
      return "syntax error: " + message;
    }
    return "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": " + message;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }

  private static YAMLMapper yamlMapper() {
    var loader = new LoaderOptions();
    loader.setCodePointLimit(MAX_DOCUMENT_CHARS);
    var factory =
        YAMLFactory.builder()
            .loaderOptions(loader)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .stringQuotingChecker(new YamlQuoting())
            .build();
    var mapper = new YAMLMapper(factory);
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return mapper;
  }
}

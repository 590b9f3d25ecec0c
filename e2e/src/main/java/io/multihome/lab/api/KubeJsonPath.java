package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes' JSONPath as CRDs write it in {@code additionalPrinterColumns} ({@code
 * .status.conditions[?(@.status=="True")].type}, {@code
 * .metadata.annotations.sriovnetwork\.openshift\.io/desired-state}), evaluated by Jayway JsonPath
 * after translating the Kubernetes spelling ({@code \.} escapes, no leading {@code $}).
 */
final class KubeJsonPath {
  private static final Configuration CONF =
      Configuration.builder()
          .jsonProvider(new JacksonJsonNodeJsonProvider())
          .mappingProvider(new JacksonMappingProvider())
          .options(Option.ALWAYS_RETURN_LIST, Option.SUPPRESS_EXCEPTIONS)
          .build();

  private static final ConcurrentHashMap<String, JsonPath> COMPILED = new ConcurrentHashMap<>();

  private KubeJsonPath() {}

  /** The first value {@code expression} selects in {@code object}; empty when none (or null). */
  static Optional<JsonNode> first(JsonNode object, String expression) {
    var path = COMPILED.computeIfAbsent(expression, e -> JsonPath.compile(translate(e)));
    JsonNode result = path.read(object, CONF);
    if (result == null || !result.isArray() || result.isEmpty() || result.get(0).isNull()) {
      return Optional.empty();
    }
    return Optional.of(result.get(0));
  }

  /**
   * {@code .a.b\.c/d[0]} to {@code $.a['b.c/d'][0]}: segments split at unescaped dots outside
   * brackets; a segment with characters a dotted name cannot hold is bracket-quoted.
   */
  static String translate(String k8s) {
    String e = k8s.trim();
    if (e.startsWith("{") && e.endsWith("}")) {
      e = e.substring(1, e.length() - 1);
    }
    if (e.startsWith("$")) {
      e = e.substring(1);
    }
    var out = new StringBuilder("$");
    int i = 0;
    while (i < e.length()) {
      char c = e.charAt(i);
      if (c == '[') {
        int depth = 0;
        int j = i;
        for (; j < e.length(); j++) {
          if (e.charAt(j) == '[') {
            depth++;
          } else if (e.charAt(j) == ']' && --depth == 0) {
            break;
          }
        }
        out.append(e, i, Math.min(j + 1, e.length()));
        i = j + 1;
      } else if (c == '.') {
        var name = new StringBuilder();
        i++;
        while (i < e.length() && e.charAt(i) != '.' && e.charAt(i) != '[') {
          if (e.charAt(i) == '\\' && i + 1 < e.length()) {
            name.append(e.charAt(i + 1));
            i += 2;
          } else {
            name.append(e.charAt(i++));
          }
        }
        String n = name.toString();
        if (n.matches("[A-Za-z_][A-Za-z0-9_]*") || n.equals("*")) {
          out.append('.').append(n);
        } else {
          out.append("['").append(n.replace("'", "\\'")).append("']");
        }
      } else {
        throw new IllegalArgumentException("unexpected '" + c + "' in JSONPath " + k8s);
      }
    }
    return out.toString();
  }
}

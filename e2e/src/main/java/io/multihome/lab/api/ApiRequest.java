package io.multihome.lab.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request to the lab's API, as the pipeline sees it.
 *
 * @param method upper case ({@code GET}, {@code PATCH}, …)
 * @param path the path without the query string
 * @param query decoded query parameters, in order
 * @param headers header names in lower case (the last value wins)
 * @param body the request body (empty when none)
 */
public record ApiRequest(
    String method,
    String path,
    Map<String, List<String>> query,
    Map<String, String> headers,
    byte[] body) {

  /** Splits {@code uri} ({@code /path?query}) into path and decoded parameters. */
  public static ApiRequest of(String method, String uri, Map<String, String> headers, byte[] body) {
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    var query = new LinkedHashMap<String, List<String>>();
    if (q >= 0) {
      for (String pair : uri.substring(q + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String k = decode(eq < 0 ? pair : pair.substring(0, eq));
        String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
        query.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
      }
    }
    var lower = new LinkedHashMap<String, String>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    return new ApiRequest(
        method.toUpperCase(Locale.ROOT), path, query, lower, body == null ? new byte[0] : body);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The first value of query parameter {@code name}, or null. */
  public String param(String name) {
    var values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public boolean flag(String name) {
    String v = param(name);
    return v != null && (v.isEmpty() || v.equals("true") || v.equals("1"));
  }

  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The media type of the body without parameters, lower case; empty when absent. */
  public String contentType() {
    String ct = header("content-type");
    return ct == null ? "" : ct.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }

  /**
   * What the client accepts, in order: each entry's media type and its parameters ({@code as},
   * {@code g}, {@code v}). An absent header accepts JSON.
   */
  public List<Accept> accepts() {
    String h = header("accept");
    var result = new ArrayList<Accept>();
    if (h == null || h.isBlank()) {
      result.add(new Accept("*/*", Map.of()));
      return result;
    }
    for (String part : h.split(",")) {
      String[] bits = part.trim().split(";");
      var params = new LinkedHashMap<String, String>();
      for (int i = 1; i < bits.length; i++) {
        int eq = bits[i].indexOf('=');
        if (eq > 0) {
          params.put(bits[i].substring(0, eq).trim(), bits[i].substring(eq + 1).trim());
        }
      }
      result.add(new Accept(bits[0].trim().toLowerCase(Locale.ROOT), params));
    }
    return result;
  }

  /** One entry of an Accept header. */
  public record Accept(String mediaType, Map<String, String> params) {
    /** JSON (or anything): the lab answers every request in JSON. */
    public boolean json() {
      return mediaType.equals("application/json")
          || mediaType.equals("*/*")
          || mediaType.equals("application/*");
    }

    /** A {@code meta.k8s.io} Table (v1 or v1beta1) in JSON. */
    public boolean table() {
      return json() && "Table".equals(params.get("as")) && "meta.k8s.io".equals(params.get("g"));
    }
  }
}

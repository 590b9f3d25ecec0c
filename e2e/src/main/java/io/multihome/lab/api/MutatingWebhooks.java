package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;

/**
 * Registered {@code admissionregistration.k8s.io/v1} MutatingWebhookConfigurations, called as the
 * API server calls them: for each write its rules match (operations, groups, versions, resources,
 * scope) and whose namespace and object selectors accept, an AdmissionReview v1 POSTed over HTTPS
 * to the webhook's {@code url} or Service (trusting only its {@code caBundle}, the certificate
 * checked against {@code <service>.<namespace>.svc}); a returned base64 JSONPatch is applied; a
 * denial becomes the client's error ({@code admission webhook "x" denied the request: …}); a call
 * that fails is an error under {@code failurePolicy: Fail} and skipped under {@code Ignore}.
 *
 * <p>The lab's webhook servers listen on loopback ports, not behind Service IPs: {@link
 * #routeService} says where a Service's webhook server really is.
 */
public final class MutatingWebhooks implements Admission {
  static final String PATH = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations";

  private final LabStore store;
  private final Map<String, InetSocketAddress> routes = new ConcurrentHashMap<>();

  MutatingWebhooks(LabStore store) {
    this.store = store;
  }

  /** Webhook calls to Service {@code namespace/name} port {@code port} go to {@code target}. */
  public void routeService(String namespace, String name, int port, InetSocketAddress target) {
    routes.put(namespace + "/" + name + ":" + port, target);
  }

  @Override
  public Optional<ApiResponse> admit(Write w) {
    var configs = store.list(PATH);
    if (configs.isEmpty()) {
      return Optional.empty();
    }
    configs.sort(Comparator.comparing(c -> c.path("metadata").path("name").asText()));
    for (var config : configs) {
      for (var hook : config.path("webhooks")) {
        if (!matches(hook, w)) {
          continue;
        }
        var refused = call(hook, w);
        if (refused.isPresent()) {
          return refused;
        }
      }
    }
    return Optional.empty();
  }

  private boolean matches(JsonNode hook, Write w) {
    boolean ruleMatch = false;
    String resource =
        w.subresource() == null ? w.type().plural() : w.type().plural() + "/" + w.subresource();
    for (var rule : hook.path("rules")) {
      ruleMatch |=
          listed(rule.path("operations"), w.operation().name())
              && listed(rule.path("apiGroups"), w.type().group())
              && listed(rule.path("apiVersions"), w.version())
              && resourceListed(rule.path("resources"), resource)
              && scopeMatches(rule.path("scope").asText("*"), w.type().namespaced());
    }
    if (!ruleMatch) {
      return false;
    }
    if (!LabelSelectors.matches(
        hook.path("objectSelector"), w.object().path("metadata").path("labels"))) {
      return false;
    }
    if (w.type().namespaced() && hook.has("namespaceSelector")) {
      var ns = store.get("/api/v1/namespaces/" + w.namespace());
      JsonNode labels = ns == null ? null : ns.path("metadata").path("labels");
      return LabelSelectors.matches(hook.path("namespaceSelector"), labels);
    }
    return true;
  }

  private static boolean listed(JsonNode list, String value) {
    for (var v : list) {
      if (v.asText().equals("*") || v.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean resourceListed(JsonNode list, String resource) {
    for (var v : list) {
      String r = v.asText();
      if (r.equals(resource) || r.equals("*/*")) {
        return true;
      }
      if (r.equals("*") && !resource.contains("/")) {
        return true;
      }
      if (r.startsWith("*/") && resource.endsWith(r.substring(1))) {
        return true;
      }
    }
    return false;
  }

  private static boolean scopeMatches(String scope, boolean namespaced) {
    return scope.equals("*") || scope.equals(namespaced ? "Namespaced" : "Cluster");
  }

  private Optional<ApiResponse> call(JsonNode hook, Write w) {
    String name = hook.path("name").asText();
    boolean ignore = "Ignore".equals(hook.path("failurePolicy").asText("Fail"));
    String uid = UUID.randomUUID().toString();
    var review = review(uid, w);
    JsonNode answer;
    String target = "";
    try {
      var endpoint = endpoint(hook.path("clientConfig"));
      target = endpoint.display;
      answer = post(endpoint, review, hook.path("timeoutSeconds").asInt(10));
    } catch (IOException | RuntimeException e) {
      if (ignore) {
        return Optional.empty();
      }
      return Optional.of(
          ApiResponse.status(
              500,
              "InternalError",
              "Internal error occurred: failed calling webhook \""
                  + name
                  + "\": failed to call webhook: Post \""
                  + target
                  + "\": "
                  + e.getMessage()));
    }
    var response = answer.path("response");
    if (!uid.equals(response.path("uid").asText())) {
      return ignore
          ? Optional.empty()
          : Optional.of(
              ApiResponse.status(
                  500,
                  "InternalError",
                  "Internal error occurred: failed calling webhook \""
                      + name
                      + "\": expected response.uid=\""
                      + uid
                      + "\", got \""
                      + response.path("uid").asText()
                      + "\""));
    }
    response.path("warnings").forEach(x -> w.warnings().add(x.asText()));
    if (!response.path("allowed").asBoolean()) {
      return Optional.of(denied(name, response.path("status")));
    }
    if (response.hasNonNull("patch")) {
      try {
        var patch =
            ApiContext.JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
        var patched = JsonPatch.apply(patch, w.object());
        w.object().removeAll();
        w.object().setAll((ObjectNode) patched);
      } catch (IOException | RuntimeException e) {
        return Optional.of(
            ApiResponse.status(
                500,
                "InternalError",
                "Internal error occurred: JSON patch from webhook \""
                    + name
                    + "\": "
                    + e.getMessage()));
      }
    }
    return Optional.empty();
  }

  /** As the API server's webhook error: code ≥ 400, the webhook's message after its name. */
  static ApiResponse denied(String name, JsonNode status) {
    int code = Math.max(400, status.path("code").asInt(400));
    String deniedBy = "admission webhook \"" + name + "\" denied the request";
    String message =
        !status.path("message").asText("").isEmpty()
            ? deniedBy + ": " + status.path("message").asText()
            : !status.path("reason").asText("").isEmpty()
                ? deniedBy + ": " + status.path("reason").asText()
                : deniedBy + " without explanation";
    return ApiResponse.status(code, status.path("reason").asText(""), message);
  }

  private static ObjectNode review(String uid, Write w) {
    var review =
        ApiContext.JSON
            .createObjectNode()
            .put("apiVersion", "admission.k8s.io/v1")
            .put("kind", "AdmissionReview");
    var req = review.putObject("request").put("uid", uid);
    var kind =
        ApiContext.JSON
            .createObjectNode()
            .put("group", w.type().group())
            .put("version", w.version())
            .put("kind", w.type().kind());
    var resource =
        ApiContext.JSON
            .createObjectNode()
            .put("group", w.type().group())
            .put("version", w.version())
            .put("resource", w.type().plural());
    req.set("kind", kind);
    req.set("resource", resource);
    req.set("requestKind", kind.deepCopy());
    req.set("requestResource", resource.deepCopy());
    if (w.subresource() != null) {
      req.put("subResource", w.subresource());
    }
    req.put("name", w.object().path("metadata").path("name").asText(""));
    if (w.namespace() != null) {
      req.put("namespace", w.namespace());
    }
    req.put("operation", w.operation().name());
    var user = req.putObject("userInfo").put("username", "system:admin");
    user.putArray("groups").add("system:masters").add("system:authenticated");
    req.set("object", w.object().deepCopy());
    req.set("oldObject", w.old() == null ? ApiContext.JSON.nullNode() : w.old().deepCopy());
    req.put("dryRun", w.dryRun());
    req.putObject("options")
        .put("kind", w.operation() == Operation.CREATE ? "CreateOptions" : "UpdateOptions")
        .put("apiVersion", "meta.k8s.io/v1");
    return review;
  }

  private record Endpoint(URI uri, String verifyHost, byte[] caBundle, String display) {}

  private Endpoint endpoint(JsonNode cc) throws IOException {
    byte[] ca =
        cc.hasNonNull("caBundle") ? Base64.getDecoder().decode(cc.path("caBundle").asText()) : null;
    if (cc.hasNonNull("url")) {
      var uri = URI.create(cc.path("url").asText());
      return new Endpoint(uri, uri.getHost(), ca, uri.toString());
    }
    var svc = cc.path("service");
    String ns = svc.path("namespace").asText();
    String name = svc.path("name").asText();
    int port = svc.path("port").asInt(443);
    String path = svc.path("path").asText("/");
    String host = name + "." + ns + ".svc";
    String display = "https://" + host + ":" + port + path;
    var route = routes.get(ns + "/" + name + ":" + port);
    if (route == null) {
      throw new IOException(
          "service \""
              + ns
              + "/"
              + name
              + "\" port "
              + port
              + " has no webhook server the lab knows of");
    }
    var uri = URI.create("https://" + route.getHostString() + ":" + route.getPort() + path);
    return new Endpoint(uri, host, ca, display);
  }

  private static JsonNode post(Endpoint e, JsonNode body, int timeoutSeconds) throws IOException {
    var url =
        URI.create(
                e.uri + (e.uri.getQuery() == null ? "?" : "&") + "timeout=" + timeoutSeconds + "s")
            .toURL();
    var conn = (HttpsURLConnection) url.openConnection();
    try {
      conn.setSSLSocketFactory(sslContext(e.caBundle).getSocketFactory());
      conn.setHostnameVerifier((host, session) -> certificateNames(session, e.verifyHost));
      conn.setConnectTimeout(timeoutSeconds * 1000);
      conn.setReadTimeout(timeoutSeconds * 1000);
      conn.setRequestMethod("POST");
      conn.setDoOutput(true);
      conn.setRequestProperty("Content-Type", "application/json");
      conn.setRequestProperty("Accept", "application/json");
      try (var out = conn.getOutputStream()) {
        out.write(body.toString().getBytes(StandardCharsets.UTF_8));
      }
      int code = conn.getResponseCode();
      if (code != 200) {
        throw new IOException("the webhook answered HTTP " + code);
      }
      try (var in = conn.getInputStream()) {
        return ApiContext.JSON.readTree(in);
      }
    } finally {
      conn.disconnect();
    }
  }

  /** The server's certificate must name {@code host} (DNS SAN, or IP SAN for an address). */
  private static boolean certificateNames(SSLSession session, String host) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      var cert = (X509Certificate) chain[0];
      var names = cert.getSubjectAlternativeNames();
      if (names == null) {
        return false;
      }
      for (List<?> san : names) {
        String value = String.valueOf(san.get(1));
        if (value.equalsIgnoreCase(host)
            || (value.startsWith("*.")
                && host.endsWith(value.substring(1))
                && host.indexOf('.') == host.length() - value.length() + 1)) {
          return true;
        }
      }
      return false;
    } catch (Exception ex) {
      return false;
    }
  }

  private static SSLContext sslContext(byte[] caBundle) throws IOException {
    try {
      var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (caBundle == null) {
        tmf.init((KeyStore) null);
      } else {
        var ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        var certs =
            new ArrayList<>(
                CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(caBundle)));
        for (int i = 0; i < certs.size(); i++) {
          ks.setCertificateEntry("ca" + i, certs.get(i));
        }
        tmf.init(ks);
      }
      var ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("caBundle: " + e.getMessage(), e);
    }
  }
}

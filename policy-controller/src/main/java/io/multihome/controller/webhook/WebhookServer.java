package io.multihome.controller.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK's HTTPS server answering {@code POST /mutate} with AdmissionReviews, plus {@code
 * /healthz} and {@code /readyz}. TLS 1.2 and 1.3 only; the key material comes from a {@link
 * ServerKeyManager}, so certificates can be swapped while serving. The API server keeps its
 * connections open, so after the first handshake a review costs one request on a warm connection.
 */
final class WebhookServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookServer.class);
  static final String PATH = "/mutate";

  /** Upstream reads 1 MiB; the API server allows objects up to about 1.5 MiB, plus the review. */
  static final int MAX_BODY = 3 * 1024 * 1024;

  static {
    // The JDK server writes a response's headers and body as two TLS records; with Nagle's
    // algorithm the body then waits for the client's delayed ACK (40 ms on Linux) on every
    // review. The server reads this once, when the first HttpServer of the JVM starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpsServer server;
  private final ExecutorService executor;
  private final ResourceInjector injector;

  WebhookServer(
      InetSocketAddress bind,
      ServerKeyManager keys,
      ResourceInjector injector,
      BooleanSupplier ready,
      int threads)
      throws IOException, GeneralSecurityException {
    this.injector = injector;
    var tls = SSLContext.getInstance("TLS");
    tls.init(new KeyManager[] {keys}, null, null);
    server = HttpsServer.create(bind, 128);
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            var p = tls.getDefaultSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            params.setSSLParameters(p);
          }
        });
    var n = new AtomicInteger();
    executor =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              var t = new Thread(r, "webhook-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext(PATH, this::mutate);
    server.createContext("/healthz", ex -> reply(ex, 200, "text/plain", "ok"));
    server.createContext(
        "/readyz",
        ex ->
            reply(
                ex,
                ready.getAsBoolean() ? 200 : 503,
                "text/plain",
                ready.getAsBoolean() ? "ok" : "not ready"));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void mutate(HttpExchange ex) throws IOException {
    try (ex) {
      if (!PATH.equals(ex.getRequestURI().getPath())) {
        reply(ex, 404, "text/plain", "not found");
        return;
      }
      if (!"POST".equals(ex.getRequestMethod())) {
        reply(ex, 405, "text/plain", "Invalid HTTP verb requested");
        return;
      }
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      if (type == null || !type.split(";")[0].strip().equals("application/json")) {
        reply(
            ex,
            415,
            "text/plain",
            "Invalid Content-Type='" + type + "', expected 'application/json'");
        return;
      }
      byte[] body = readBody(ex.getRequestBody());
      if (body == null) {
        reply(ex, 413, "text/plain", "request body larger than " + MAX_BODY + " bytes");
        return;
      }
      if (body.length == 0) {
        reply(ex, 400, "text/plain", "Error reading HTTP request: empty body");
        return;
      }
      AdmissionReviews.Request request;
      try {
        request = AdmissionReviews.read(body);
      } catch (AdmissionReviews.BadReview e) {
        reply(ex, 400, "text/plain", e.getMessage());
        return;
      }
      Admission decision =
          "Pod".equals(request.kind()) && "CREATE".equals(request.operation())
              ? injector.decide(request.object(), request.namespace())
              : new Admission.Allow(PodPatch.empty(), "not a pod creation");
      if (decision instanceof Admission.Deny deny) {
        log.info("denied pod in {}: {}", request.namespace(), deny.message());
      }
      byte[] out = AdmissionReviews.write(request.uid(), decision);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
    } catch (RuntimeException e) {
      // A bug, not the pod's fault: the API server applies the webhook's failurePolicy.
      log.warn("admission review failed", e);
      reply(ex, 500, "text/plain", "internal error: " + e);
    }
  }

  /** The body, or null when it is longer than {@link #MAX_BODY}. */
  private static byte[] readBody(InputStream in) throws IOException {
    byte[] data = in.readNBytes(MAX_BODY + 1);
    return data.length > MAX_BODY ? null : data;
  }

  private static void reply(HttpExchange ex, int code, String type, String text)
      throws IOException {
    byte[] out = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, out.length);
    ex.getResponseBody().write(out);
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

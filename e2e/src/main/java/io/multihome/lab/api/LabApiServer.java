package io.multihome.lab.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.multihome.api.read.LenientClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's Kubernetes API server: fabric8's CRUD store behind a pipeline that answers kubectl and
 * the project's components as a kube-apiserver would — discovery and OpenAPI, Tables, watches
 * streamed over HTTP or WebSocket, merge/strategic/JSON patches, namespaces, CRD schemas, mutating
 * webhooks, Service cluster IPs and pods/log. Listens on 127.0.0.1 (plain HTTP) on a free port.
 */
public final class LabApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LabApiServer.class);

  /**
   * @param serviceRange where Services get their IPv4 cluster IPs
   * @param serviceRangeV6 where dual-stack and IPv6 Services get their IPv6 cluster IPs (null: an
   *     IPv4-only cluster)
   * @param watchHistory how many changes are kept for watches that resume from a resourceVersion
   */
  public record Options(String serviceRange, String serviceRangeV6, int watchHistory) {
    public static final String DEFAULT_SERVICE_RANGE = "198.18.240.0/22";
    public static final String DEFAULT_SERVICE_RANGE_V6 = "2001:db8:240::/112";

    public static Options defaults() {
      return new Options(DEFAULT_SERVICE_RANGE, DEFAULT_SERVICE_RANGE_V6, 20_000);
    }
  }

  private final Vertx vertx;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final ApiContext ctx;
  private final Router router;
  private final Namespaces namespaces;
  private final MutatingWebhooks webhooks;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile PodLogs podLogs;
  private HttpServer server;
  private int port;

  private LabApiServer(Options options) {
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    this.workers =
        Executors.newFixedThreadPool(
            8,
            r -> {
              var t = new Thread(r, "lab-api");
              t.setDaemon(true);
              return t;
            });
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, "lab-api-timers");
              t.setDaemon(true);
              return t;
            });
    var registry = new ResourceRegistry();
    var hub = new WatchHub(options.watchHistory());
    var lock = new ReentrantReadWriteLock();
    var holder = new ApiContext[1];
    var store = new LabStore(change -> Changes.apply(holder[0], change));
    var defaults =
        new BuiltinDefaults(
            options.serviceRange(),
            options.serviceRangeV6(),
            () -> store.list("/api/v1/services").stream().map(o -> o).toList());
    this.webhooks = new MutatingWebhooks(store);
    var admissions = List.of(defaults, webhooks, new PodUpdates(), new CrdSchemas());
    this.ctx = new ApiContext(registry, store, lock, hub, admissions, defaults, () -> podLogs);
    holder[0] = ctx;
    this.namespaces = new Namespaces(ctx);
    this.router =
        new Router(
            ctx,
            new Reads(ctx),
            new Writes(ctx, namespaces),
            namespaces,
            new Watches(ctx, timers),
            new Discovery(registry),
            new OpenApi(registry));
  }

  /** Starts a server on a free loopback port. */
  public static LabApiServer start(Options options) {
    var s = new LabApiServer(options);
    try {
      s.listen();
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private void listen() {
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setMaxWebSocketFrameSize(64 * 1024 * 1024)
                .setMaxWebSocketMessageSize(64 * 1024 * 1024));
    server.requestHandler(this::onRequest);
    try {
      server = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the lab API server did not start", e);
    }
    port = server.actualPort();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /**
   * A client of this server (namespace {@code default}; no kubeconfig is read). It reads the API's
   * own kinds leniently, as the processes' clients do ({@link LenientClient}): the lab's components
   * use it as it is.
   */
  public KubernetesClient createClient() {
    return LenientClient.builder().withConfig(clientConfig()).build();
  }

  /** The configuration {@link #createClient} uses, for a client with other settings. */
  public Config clientConfig() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withNamespace("default")
        .withHttp2Disable(true)
        .build();
  }

  /** The kubelet side of {@code kubectl logs}. */
  public void setPodLogs(PodLogs logs) {
    this.podLogs = logs;
  }

  /** The mutating-webhook caller (to route webhook Services to where their servers listen). */
  public MutatingWebhooks webhooks() {
    return webhooks;
  }

  /** Registers a CRD as if created through the API (discovery, tables, schema at once). */
  public void addCrd(CustomResourceDefinition crd) {
    var r =
        router.route(
            ApiRequest.of(
                "POST",
                "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                java.util.Map.of("Content-Type", "application/json"),
                ApiContext.JSON
                    .valueToTree(crd)
                    .toString()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    if (!r.ok()) {
      throw new IllegalStateException("CRD " + crd.getMetadata().getName() + ": " + r.bodyText());
    }
  }

  private void onRequest(HttpServerRequest req) {
    var headers = new LinkedHashMap<String, String>();
    req.headers().forEach(e -> headers.put(e.getKey(), e.getValue()));
    if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
      var apiRequest = ApiRequest.of(req.method().name(), req.uri(), headers, null);
      req.toWebSocket()
          .onSuccess(ws -> workers.execute(() -> router.webSocket(apiRequest, ws)))
          .onFailure(e -> log.debug("websocket upgrade: {}", e.toString()));
      return;
    }
    req.body()
        .onSuccess(
            body ->
                workers.execute(
                    () -> {
                      var apiRequest =
                          ApiRequest.of(
                              req.method().name(),
                              req.uri(),
                              headers,
                              body == null ? null : body.getBytes());
                      try {
                        router.http(apiRequest, req.response());
                      } catch (RuntimeException e) {
                        log.warn("{} {}: {}", req.method(), req.uri(), e.toString(), e);
                        if (!req.response().headWritten()) {
                          Router.send(
                              req.response(),
                              ApiResponse.status(500, "InternalError", e.toString()));
                        }
                      }
                    }))
        .onFailure(e -> req.response().setStatusCode(400).end());
  }

  static Buffer buffer(byte[] bytes) {
    return Buffer.buffer(bytes);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    namespaces.close();
    timers.shutdownNow();
    workers.shutdownNow();
    try {
      if (server != null) {
        server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("closing the lab API server: {}", e.toString());
    }
  }
}

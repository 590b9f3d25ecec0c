package io.multihome.controller.nncp;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;

/**
 * The benchmarks' mock API server: fabric8's, in CRUD mode over HTTPS as
 * {@code @EnableKubernetesMockClient(crud = true)} sets it up, with either the stock dispatcher
 * ({@code -Dbench.mock=stock}) or the same dispatcher plus a by-name index ({@code
 * -Dbench.mock=indexed}, the default; see {@link IndexedCrudDispatcher}).
 */
final class BenchMockServer implements AutoCloseable {
  final String kind;
  final IndexedCrudDispatcher indexed;
  final KubernetesMockServer server;
  final KubernetesClient client;

  BenchMockServer() {
    this(System.getProperty("bench.mock", "indexed"));
  }

  BenchMockServer(String kind) {
    this.kind = kind;
    indexed =
        switch (kind) {
          case "indexed" -> new IndexedCrudDispatcher();
          case "stock" -> null;
          default ->
              throw new IllegalArgumentException("bench.mock: indexed or stock, not " + kind);
        };
    var dispatcher = indexed != null ? indexed : new KubernetesMixedDispatcher(new HashMap<>());
    server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            new HashMap<>(),
            dispatcher,
            true);
    server.init();
    client = server.createClient();
  }

  /** For the BENCH line: which mock, and how often the index answered. */
  String describe() {
    return indexed == null
        ? "mock=stock"
        : "mock=indexed indexedLookups=%d scans=%d indexConsistent=%s"
            .formatted(indexed.indexedLookups.get(), indexed.scans.get(), indexed.consistent());
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}

package io.multihome.controller.nncp;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** What the controller benchmarks share: their size and a fresh bench mock server per run. */
abstract class MockBenchBase {
  static final int NODES = Integer.getInteger("bench.nodes", 1000);
  static final int POLICIES = Integer.getInteger("bench.policies", 10);
  KubernetesClient client;
  BenchMockServer mock;

  @BeforeEach
  void startMock() {
    mock = new BenchMockServer();
    client = mock.client;
  }

  @AfterEach
  void stopMock() {
    mock.close();
  }
}

package io.multihome.lab.api;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.multihome.lab.Lab;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A lab API server with the project's CRDs (deploy/crds) and namespaces default, kube-system. */
final class LabApiFixture implements AutoCloseable {
  final LabApiServer server;
  final KubernetesClient client;
  final Path dir;

  LabApiFixture() throws IOException {
    server = LabApiServer.start(LabApiServer.Options.defaults());
    // Without retries: these tests check the server's answer to each request, and fabric8 would
    // retry an expected 5xx ten times with a growing back-off (seconds per request).
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(server.clientConfig()).withRequestRetryBackoffLimit(0).build())
            .build();
    dir = Files.createTempDirectory("mh-labapi-");
    Path crds = repoRoot().resolve("deploy/crds");
    try (Stream<Path> files = Files.list(crds)) {
      for (var f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          client.apiextensions().v1().customResourceDefinitions().load(in).create();
        }
      }
    }
    for (var ns : new String[] {"default", "kube-system", "sriov-network-operator"}) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
  }

  /** The real kubectl against this server. */
  Kubectl kubectl() throws IOException {
    return new Kubectl(dir, server.url());
  }

  /** Ready nodes of these names, as the lab registers its nodes. */
  void readyNodes(String... names) {
    for (var node : names) {
      client.nodes().resource(Lab.readyNode(node)).create();
    }
  }

  static Path repoRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("deploy/crds"))) {
        return p;
      }
    }
    throw new IllegalStateException("no deploy/crds above " + Path.of("").toAbsolutePath());
  }

  @Override
  public void close() throws IOException {
    client.close();
    server.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}

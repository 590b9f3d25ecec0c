package io.multihome.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.multihome.lab.Lab;
import io.multihome.lab.LabScenario;
import io.multihome.lab.kubelet.SandboxInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Pods, events and kubectl against a lab, for the workload E2E tests. */
final class LabPods {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Lab lab;
  private final String namespace;
  private Path kubeconfig;

  LabPods(Lab lab, String namespace) {
    this.lab = lab;
    this.namespace = namespace;
  }

  static Container container(String name, String... command) {
    var b = new ContainerBuilder().withName(name).withImage("registry.invalid/lab:1");
    if (command.length > 0) {
      b.withCommand(command);
    }
    return b.build();
  }

  /** A pod with {@code containers}, on {@code node} (null: for the scheduler). */
  PodBuilder pod(String name, String node, Container... containers) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .withContainers(containers)
        .endSpec();
  }

  Pod create(Pod pod) {
    return lab.client().pods().inNamespace(namespace).resource(pod).create();
  }

  Pod get(String name) {
    return lab.client().pods().inNamespace(namespace).withName(name).get();
  }

  void delete(String name) {
    lab.client().pods().inNamespace(namespace).withName(name).delete();
  }

  static Optional<PodCondition> condition(Pod pod, String type) {
    if (pod == null || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  /**
   * The pod's condition {@code type}; an {@link AssertionError} while it has none, which an await
   * retries (Awaitility ends the wait at once on any other exception).
   */
  static PodCondition existingCondition(Pod pod, String type) {
    return condition(pod, type)
        .orElseThrow(() -> new AssertionError("no " + type + " condition yet on " + name(pod)));
  }

  /** The pod's first container status; an {@link AssertionError} while the kubelet wrote none. */
  static ContainerStatus firstContainerStatus(Pod pod) {
    var statuses =
        pod == null || pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
    if (statuses == null || statuses.isEmpty()) {
      throw new AssertionError("no container status yet on " + name(pod));
    }
    return statuses.get(0);
  }

  private static String name(Pod pod) {
    return pod == null ? "(no pod)" : pod.getMetadata().getName();
  }

  static boolean ready(Pod pod) {
    return condition(pod, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** Events about object {@code name} with {@code reason}, oldest first. */
  List<Event> events(String name, String reason) {
    return lab.client().v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .sorted(Comparator.comparing(e -> e.getMetadata().getName()))
        .toList();
  }

  /** kubectl against the lab; returns the finished process (output merged into stdout). */
  Process kubectl(String... args) throws IOException {
    if (kubeconfig == null) {
      kubeconfig = lab.writeKubeconfig();
    }
    var cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  /** Runs kubectl to the end (at most 90 s); exit code and output. */
  String kubectlOk(String... args) throws IOException, InterruptedException {
    var p = kubectl(args);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
    assertThat(p.exitValue()).as("kubectl " + String.join(" ", args) + ": " + out).isZero();
    return out;
  }

  /**
   * A seed manifest as a file kubectl can read: the copy under {@code
   * src/test/resources/seed-examples} (copied unchanged from the project's shared seed examples).
   */
  static Path seedFile(String path) {
    var url = LabPods.class.getResource("/seed-examples/" + path);
    assertThat(url).as("seed example " + path).isNotNull();
    try {
      return Path.of(url.toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code kubectl apply -f} of a seed manifest, unchanged; kubectl's output. */
  String applySeed(String path, String... more) throws IOException, InterruptedException {
    var args = new ArrayList<>(List.of("apply", "-f", seedFile(path).toString()));
    args.addAll(List.of(more));
    return kubectlOk(args.toArray(String[]::new));
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  /** The pod's sandbox once ADD answered, asserted successful. */
  SandboxInfo sandbox(String podNamespace, String name) throws InterruptedException {
    var s = lab.runtime().awaitSandbox(podNamespace, name, E2ELab.WAIT);
    assertThat(s).as("sandbox of " + name).isPresent();
    assertThat(s.get().ok()).as(name + ": " + s.get().result() + " " + s.get().stderr()).isTrue();
    return s.get();
  }

  /** The sandbox of a pod in this namespace, asserted successful. */
  SandboxInfo sandbox(String name) throws InterruptedException {
    return sandbox(namespace, name);
  }

  Map<String, String> annotations(String podNamespace, String pod) {
    return lab.client()
        .pods()
        .inNamespace(podNamespace)
        .withName(pod)
        .get()
        .getMetadata()
        .getAnnotations();
  }

  /** The pod's {@code network-status} entry of {@code network} (asserted present). */
  JsonNode networkStatus(String podNamespace, String pod, String network) throws IOException {
    String status = annotations(podNamespace, pod).get(LabScenario.NETWORK_STATUS);
    assertThat(status).as(pod + " network-status").isNotNull();
    for (var entry : JSON.readTree(status)) {
      if (network.equals(entry.path("name").asText())) {
        return entry;
      }
    }
    throw new AssertionError(pod + " has no " + network + " in " + status);
  }

  /** Whether a named network namespace exists. */
  static boolean netnsExists(String netns) {
    return Files.exists(Path.of("/run/netns", netns));
  }
}

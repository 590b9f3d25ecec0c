package io.multihome.lab.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pod sandboxes as CRI-O makes them: a network namespace, then CNI ADD; when ADD fails the runtime
 * runs DEL for what the plugin may have done and removes the namespace (the kubelet then asks for a
 * new sandbox later). Removing a sandbox is DEL, then the namespace; a DEL that fails keeps the
 * namespace so the DEL can be retried.
 */
final class SandboxManager {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(SandboxManager.class);

  /** A sandbox whose network is (or may be partly) set up. */
  record Active(
      String namespace,
      String pod,
      String uid,
      String node,
      String netns,
      String id,
      int attempt,
      CniRuntime.NetworkConf network,
      CniRuntime.Outcome add,
      boolean hostNetwork) {
    Active withAdd(CniRuntime.Outcome outcome) {
      return new Active(
          namespace, pod, uid, node, netns, id, attempt, network, outcome, hostNetwork);
    }

    CriMessages.SandboxCall call() {
      return new CriMessages.SandboxCall(
          namespace,
          pod,
          CriMessages.sandboxName(namespace, pod, uid, attempt),
          id,
          network.name(),
          network.type());
    }

    CniRuntime.Target target() {
      return new CniRuntime.Target(namespace, pod, uid, netns, id);
    }

    /** The pod's addresses on the cluster network: the ADD result's IPs, one per family. */
    List<String> podIps() {
      var out = new ArrayList<String>();
      try {
        JsonNode result = JSON.readTree(add.stdout());
        boolean v4 = false;
        boolean v6 = false;
        for (var ip : result.path("ips")) {
          String address = ip.path("address").asText().split("/")[0];
          boolean isV6 = address.contains(":");
          if (!address.isEmpty() && (isV6 ? !v6 : !v4)) {
            out.add(address);
            v4 |= !isV6;
            v6 |= isV6;
          }
        }
      } catch (IOException | RuntimeException e) {
        log.debug("ADD result of {}/{} unreadable: {}", namespace, pod, e.toString());
      }
      return out;
    }
  }

  /** What asking for a sandbox gave. */
  sealed interface AddResult {}

  /** The sandbox is up. */
  record Ready(Active sandbox) implements AddResult {}

  /**
   * ADD failed ({@code message} is the kubelet's event text); {@code leftover} is the sandbox whose
   * clean-up DEL failed too, to be retried, else null.
   */
  record Failed(Active attempt, String message, Active leftover) implements AddResult {}

  /** The node has no CNI configuration yet: no sandbox was tried. */
  record NetworkNotReady(String message) implements AddResult {}

  private final LabHost host;
  private final CniRuntime cni;

  SandboxManager(LabHost host, CniRuntime cni) {
    this.host = host;
    this.cni = cni;
  }

  AddResult add(Pod pod, String node, int attempt) throws InterruptedException {
    var m = pod.getMetadata();
    if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
      // No sandbox network: the pod shares the node's namespace, and CNI is not involved.
      var ok = new CniRuntime.Outcome(0, "", "", null);
      return new Ready(
          new Active(
              m.getNamespace(),
              m.getName(),
              m.getUid(),
              node,
              host.nodeNamespace(node),
              hex32() + hex32(),
              attempt,
              null,
              ok,
              true));
    }
    Optional<CniRuntime.NetworkConf> conf;
    try {
      conf = cni.networkConf(node);
    } catch (IOException e) {
      return new NetworkNotReady("network is not ready: " + e.getMessage());
    }
    if (conf.isEmpty()) {
      return new NetworkNotReady(CriMessages.networkNotReady(cni.confDir(node).toString()));
    }
    String id = hex32() + hex32();
    String netns = host.newPodNamespace(m.getNamespace() + "-" + m.getName());
    var pending =
        new Active(
            m.getNamespace(),
            m.getName(),
            m.getUid(),
            node,
            netns,
            id,
            attempt,
            conf.get(),
            null,
            false);
    CniRuntime.Outcome outcome;
    try {
      outcome = cni.exec("ADD", node, conf.get(), pending.target());
    } catch (IOException e) {
      outcome = new CniRuntime.Outcome(-1, "", "", e.toString());
    }
    var active = pending.withAdd(outcome);
    if (outcome.ok()) {
      return new Ready(active);
    }
    log.warn(
        "sandbox {}/{} on {}: ADD failed: {}",
        m.getNamespace(),
        m.getName(),
        node,
        outcome.error());
    String message = CriMessages.failedCreatePodSandbox(active.call(), outcome.error());
    var cleanup = remove(active);
    return new Failed(active, message, cleanup.isPresent() ? active : null);
  }

  /**
   * DEL, then the namespace goes. Empty when done; else the DEL's error (libcni text), and the
   * namespace is kept for the next try.
   */
  Optional<String> remove(Active sandbox) throws InterruptedException {
    if (sandbox.hostNetwork()) {
      return Optional.empty();
    }
    CniRuntime.Outcome outcome;
    try {
      outcome = cni.exec("DEL", sandbox.node(), sandbox.network(), sandbox.target());
    } catch (IOException e) {
      outcome = new CniRuntime.Outcome(-1, "", "", e.toString());
    }
    if (!outcome.ok()) {
      log.warn(
          "sandbox {}/{}: DEL failed: {}", sandbox.namespace(), sandbox.pod(), outcome.error());
      return Optional.of(outcome.error());
    }
    deleteNamespace(sandbox);
    return Optional.empty();
  }

  /** On lab exit: one DEL, and the namespace goes whatever it answered. */
  void forceRemove(Active sandbox) {
    try {
      remove(sandbox);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      deleteNamespace(sandbox);
    }
  }

  private static String hex32() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private void deleteNamespace(Active sandbox) {
    if (sandbox.hostNetwork()) {
      return;
    }
    try {
      host.deleteNamespace(sandbox.netns());
    } catch (RuntimeException e) {
      log.warn("deleting {}: {}", sandbox.netns(), e.toString());
    }
  }
}

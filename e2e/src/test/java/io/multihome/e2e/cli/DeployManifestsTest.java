package io.multihome.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.multihome.controller.webhook.WebhookConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No cluster is available, so the install manifests are checked by reading them: every file
 * kustomize lists exists and parses, and the facts the design depends on hold (RBAC per role,
 * DaemonSet security context, node name from the downward API, probes).
 */
class DeployManifestsTest {
  static final YAMLMapper YAML = new YAMLMapper();
  static Path deploy;
  static List<JsonNode> docs = new ArrayList<>();

  @BeforeAll
  static void load() throws IOException {
    var here = Path.of("").toAbsolutePath();
    deploy =
        Files.isDirectory(here.resolve("deploy"))
            ? here.resolve("deploy")
            : here.resolveSibling("deploy");
    var kustomization = YAML.readTree(deploy.resolve("kustomization.yaml").toFile());
    for (var r : kustomization.path("resources")) {
      var file = deploy.resolve(r.asText());
      assertThat(file).as("kustomization resource").exists();
      try (var parser = YAML.getFactory().createParser(file.toFile())) {
        var it = YAML.readValues(parser, JsonNode.class);
        while (it.hasNext()) {
          var doc = it.next();
          if (doc != null && !doc.isEmpty()) {
            docs.add(doc);
          }
        }
      }
    }
  }

  static JsonNode find(String kind, String name) {
    return docs.stream()
        .filter(
            d ->
                kind.equals(d.path("kind").asText())
                    && name.equals(d.path("metadata").path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  /** "group/resource" -> verbs, flattened over the rules. */
  static Set<String> grants(JsonNode role) {
    var out = new TreeSet<String>();
    for (var rule : role.path("rules")) {
      for (var g : rule.path("apiGroups")) {
        for (var r : rule.path("resources")) {
          for (var v : rule.path("verbs")) {
            out.add(g.asText() + "/" + r.asText() + ":" + v.asText());
          }
        }
      }
    }
    return out;
  }

  @Test
  void everyManifestParsesAndTheKindsAreThere() throws IOException {
    var kinds = docs.stream().map(d -> d.path("kind").asText()).toList();
    assertThat(kinds)
        .contains("Namespace", "CustomResourceDefinition", "ServiceAccount", "ClusterRole")
        .contains("ClusterRoleBinding", "Role", "RoleBinding", "Deployment", "DaemonSet");
    assertThat(kinds.stream().filter("CustomResourceDefinition"::equals).count()).isEqualTo(10);
    try (Stream<Path> crds = Files.list(deploy.resolve("crds"))) {
      assertThat(crds.count()).as("every generated CRD is installed").isEqualTo(10);
    }
    assertThat(find("Namespace", "multihome")).isNotNull();
    for (var d : docs) {
      var ns = d.path("metadata").path("namespace");
      if (!ns.isMissingNode()) {
        assertThat(ns.asText()).as(d.path("metadata").path("name").asText()).isEqualTo("multihome");
      }
    }
  }

  @Test
  void agentCannotTouchPoliciesOrDeleteAnything() {
    var cluster = grants(find("ClusterRole", "multihome-agent"));
    assertThat(cluster)
        .containsExactlyInAnyOrder(
            "nmstate.io/nodenetworkconfigurationenactments:get",
            "nmstate.io/nodenetworkconfigurationenactments:list",
            "nmstate.io/nodenetworkconfigurationenactments:watch",
            "nmstate.io/nodenetworkconfigurationenactments/status:update",
            "nmstate.io/nodenetworkstates:get",
            "nmstate.io/nodenetworkstates:list",
            "nmstate.io/nodenetworkstates:watch",
            "nmstate.io/nodenetworkstates:create",
            "nmstate.io/nodenetworkstates/status:update",
            "/nodes:get",
            "/nodes:list",
            "/nodes:watch",
            "/nodes/status:patch",
            "/pods:get",
            "/pods:list",
            "/pods:watch",
            "/pods:patch",
            "/events:create",
            "k8s.cni.cncf.io/network-attachment-definitions:get",
            "k8s.cni.cncf.io/network-attachment-definitions:list",
            "k8s.cni.cncf.io/network-attachment-definitions:watch",
            "sriovnetwork.openshift.io/sriovnetworknodestates:get",
            "sriovnetwork.openshift.io/sriovnetworknodestates:list",
            "sriovnetwork.openshift.io/sriovnetworknodestates:watch",
            "sriovnetwork.openshift.io/sriovnetworknodestates/status:update",
            // whereabouts-compatible IPAM (docs/ipam.md)
            "whereabouts.cni.cncf.io/ippools:get",
            "whereabouts.cni.cncf.io/ippools:list",
            "whereabouts.cni.cncf.io/ippools:create",
            "whereabouts.cni.cncf.io/ippools:update",
            "whereabouts.cni.cncf.io/overlappingrangeipreservations:get",
            "whereabouts.cni.cncf.io/overlappingrangeipreservations:list",
            "whereabouts.cni.cncf.io/overlappingrangeipreservations:create",
            "whereabouts.cni.cncf.io/overlappingrangeipreservations:delete",
            // the Service proxy (docs/services.md)
            "/services:get",
            "/services:list",
            "/services:watch",
            "discovery.k8s.io/endpointslices:get",
            "discovery.k8s.io/endpointslices:list",
            "discovery.k8s.io/endpointslices:watch");
    assertThat(cluster)
        .as("the only delete: an address reservation the agent frees")
        .noneMatch(
            g ->
                g.contains("policies")
                    || (g.endsWith(":delete") && !g.contains("overlappingrangeipreservations"))
                    || g.contains("*"));
    var leases = grants(find("Role", "multihome-agent-leases"));
    assertThat(leases)
        .containsExactlyInAnyOrder(
            "coordination.k8s.io/leases:get",
            "coordination.k8s.io/leases:create",
            "coordination.k8s.io/leases:update");
    assertThat(
            find("RoleBinding", "multihome-agent-leases")
                .path("subjects")
                .get(0)
                .path("name")
                .asText())
        .isEqualTo("multihome-agent");
  }

  @Test
  void controllerHasWhatItUsesAndNoWildcards() {
    var cluster = grants(find("ClusterRole", "multihome-controller"));
    assertThat(cluster)
        .contains(
            "nmstate.io/nodenetworkconfigurationpolicies:watch",
            "nmstate.io/nodenetworkconfigurationpolicies/status:patch",
            "nmstate.io/nodenetworkconfigurationpolicies/finalizers:update",
            "nmstate.io/nodenetworkconfigurationenactments:create",
            "nmstate.io/nodenetworkconfigurationenactments:delete",
            "nmstate.io/nodenetworkconfigurationenactments/status:update",
            "k8s.cni.cncf.io/network-attachment-definitions:create",
            "sriovnetwork.openshift.io/sriovnetworknodestates:delete",
            "/events:create",
            "/nodes:watch",
            "/services:watch",
            "/pods:watch",
            "discovery.k8s.io/endpointslices:create",
            "discovery.k8s.io/endpointslices:delete");
    assertThat(cluster)
        .noneMatch(g -> g.contains("*"))
        .doesNotContain(
            "nmstate.io/nodenetworkconfigurationpolicies:delete",
            "nmstate.io/nodenetworkconfigurationpolicies:create",
            "nmstate.io/nodenetworkstates:update",
            "/nodes:update");
    assertThat(grants(find("Role", "multihome-controller-leases")))
        .containsExactlyInAnyOrder(
            "coordination.k8s.io/leases:get",
            "coordination.k8s.io/leases:list",
            "coordination.k8s.io/leases:watch");
  }

  @Test
  void agentDaemonSetRunsOnTheHostNetworkWithOnlyTheCapabilitiesItNeeds() {
    var spec = find("DaemonSet", "multihome-agent").path("spec").path("template").path("spec");
    assertThat(spec.path("hostNetwork").asBoolean()).isTrue();
    assertThat(spec.path("serviceAccountName").asText()).isEqualTo("multihome-agent");
    var c = spec.path("containers").get(0);
    var sc = c.path("securityContext");
    assertThat(sc.path("privileged").asBoolean(true)).isFalse();
    assertThat(sc.path("capabilities").path("add").toString())
        .isEqualTo("[\"NET_ADMIN\",\"SYS_ADMIN\",\"NET_RAW\"]");
    assertThat(sc.path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");
    var env = c.path("env").get(0);
    assertThat(env.path("name").asText()).isEqualTo("NODE_NAME");
    assertThat(env.path("valueFrom").path("fieldRef").path("fieldPath").asText())
        .isEqualTo("spec.nodeName");
    assertThat(c.path("args").toString())
        .contains("agent", "--node=$(NODE_NAME)", "--state-dir=/var/lib/multihome");
    assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
    assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
    assertThat(c.path("readinessProbe").path("httpGet").path("port").asInt()).isEqualTo(8089);
    var state = spec.path("volumes").get(0);
    assertThat(state.path("hostPath").path("path").asText()).isEqualTo("/var/lib/multihome");
    assertThat(c.path("volumeMounts").get(0).path("mountPath").asText())
        .isEqualTo("/var/lib/multihome");
  }

  /** mountPath -> hostPath of the volume mounted there. */
  static java.util.Map<String, String> hostMounts(JsonNode podSpec, JsonNode container) {
    var hostPaths = new java.util.HashMap<String, String>();
    for (var v : podSpec.path("volumes")) {
      if (v.has("hostPath")) {
        hostPaths.put(v.path("name").asText(), v.path("hostPath").path("path").asText());
      }
    }
    var out = new java.util.TreeMap<String, String>();
    for (var m : container.path("volumeMounts")) {
      var host = hostPaths.get(m.path("name").asText());
      if (host != null) {
        out.put(m.path("mountPath").asText(), host);
      }
    }
    return out;
  }

  static JsonNode mount(JsonNode container, String mountPath) {
    for (var m : container.path("volumeMounts")) {
      if (m.path("mountPath").asText().equals(mountPath)) {
        return m;
      }
    }
    throw new AssertionError("no mount at " + mountPath);
  }

  /** The CNI daemon sees the host's CNI paths where the runtime's requests name them. */
  @Test
  void agentMountsTheHostPathsOfTheCniDaemon() {
    var spec = find("DaemonSet", "multihome-agent").path("spec").path("template").path("spec");
    var agent = spec.path("containers").get(0);
    var mounts = hostMounts(spec, agent);
    for (String path :
        List.of(
            "/etc/cni/net.d",
            "/etc/cni/multus/net.d",
            "/opt/cni/bin",
            "/run/multihome",
            "/var/lib/kubelet/device-plugins",
            "/var/lib/cni",
            "/run/netns",
            "/run/k8s.cni.cncf.io/devinfo",
            "/run/cni",
            "/var/lib/multihome")) {
      assertThat(mounts).as("host path mounted at the same place").containsEntry(path, path);
    }
    assertThat(mount(agent, "/var/lib/kubelet/device-plugins").path("readOnly").asBoolean())
        .isTrue();
    assertThat(mount(agent, "/opt/cni/bin").path("readOnly").asBoolean()).isTrue();
    assertThat(mount(agent, "/etc/cni/net.d").path("readOnly").asBoolean())
        .as("00-multihome.conflist is written there")
        .isFalse();
    assertThat(mount(agent, "/run/netns").path("mountPropagation").asText())
        .as("sandboxes created after the agent started")
        .isEqualTo("HostToContainer");
  }

  @Test
  void initContainerInstallsTheShimIntoTheHostsCniBinDir() throws IOException {
    var spec = find("DaemonSet", "multihome-agent").path("spec").path("template").path("spec");
    var init = spec.path("initContainers").get(0);
    assertThat(init.path("name").asText()).isEqualTo("install-cni");
    assertThat(init.path("image").asText()).isEqualTo("multihome/agent");
    var command = new ArrayList<String>();
    init.path("command").forEach(c -> command.add(c.asText()));
    assertThat(command)
        .containsExactly(
            "sh",
            "/usr/share/multihome-cni/multihome-cni-install",
            "/usr/share/multihome-cni",
            "/host/opt/cni/bin",
            "/opt/multihome");
    var mounts = hostMounts(spec, init);
    assertThat(mounts).containsEntry("/host/opt/cni/bin", "/opt/cni/bin");
    // The AppCDS archive records the jar's path: it must be made at the path the runtime uses.
    assertThat(mounts).containsEntry("/opt/multihome", "/opt/multihome");
    assertThat(init.path("securityContext").path("capabilities").path("add").isMissingNode())
        .isTrue();
    // The image ships what the script installs, from where the build puts it.
    var dockerfile = Files.readString(deploy.resolve("images/agent.Dockerfile"));
    assertThat(dockerfile)
        .contains("/usr/share/multihome-cni/jre")
        .contains("agent/target/agent-*-cni-shim.jar /usr/share/multihome-cni/lib/")
        .contains("agent/src/main/dist/multihome-cni agent/src/main/dist/multihome-cni-install");
    var dist = deploy.resolveSibling("agent/src/main/dist");
    assertThat(dist.resolve("multihome-cni")).exists();
    assertThat(dist.resolve("multihome-cni-install")).exists();
  }

  @Test
  void controllerDeploymentRunsTheControllerSubcommandUnprivileged() {
    var spec = find("Deployment", "multihome-controller").path("spec");
    assertThat(spec.path("replicas").asInt()).isEqualTo(1);
    var pod = spec.path("template").path("spec");
    assertThat(pod.path("serviceAccountName").asText()).isEqualTo("multihome-controller");
    assertThat(pod.path("hostNetwork").asBoolean(false)).isFalse();
    var c = pod.path("containers").get(0);
    assertThat(c.path("args").toString()).isEqualTo("[\"controller\"]");
    assertThat(c.path("securityContext").path("capabilities").path("add").isMissingNode()).isTrue();
  }

  @Test
  void dockerfilesStartTheLauncherFromTheE2eClassPath() throws IOException {
    for (var image : List.of("agent", "controller")) {
      var text = Files.readString(deploy.resolve("images/" + image + ".Dockerfile"));
      assertThat(text)
          .contains("FROM debian:")
          .contains("openjdk-17-jre-headless")
          .contains("COPY e2e/target/lib/ /opt/multihome/lib/")
          .contains("io.multihome.agent.cli.Main")
          .contains("CMD [\"" + image + "\"]");
    }
  }

  /**
   * The agent image carries the programs the agent's services run on the node: wpa_supplicant and
   * wpa_cli for 802.1X and MACsec Key Agreement, libreswan's pluto with the NSS tools for ipsec,
   * nft for the Service proxy. Without them the engine refuses those documents on every node.
   */
  @Test
  void theAgentImageInstallsWhatTheAgentsServicesRun() throws IOException {
    var dockerfile = Files.readString(deploy.resolve("images/agent.Dockerfile"));
    var install =
        // One instruction per line: continuation lines joined.
        java.util.Arrays.stream(dockerfile.replace("\\\n", " ").split("\n"))
            .filter(l -> l.contains("apt-get install") && l.contains("openjdk-17-jre-headless"))
            .findFirst()
            .orElseThrow();
    assertThat(install.split("\\s+"))
        .contains("wpasupplicant", "libreswan", "libnss3-tools", "nftables");
  }

  /** The resources injection webhook: what the API server needs to call the controller. */
  @Test
  void theWebhookConfigurationReachesTheControllersHttpsPort() {
    var mwc =
        find("MutatingWebhookConfiguration", WebhookConfig.CONFIGURATION).path("webhooks").get(0);
    assertThat(mwc.path("admissionReviewVersions").toString()).isEqualTo("[\"v1\"]");
    assertThat(mwc.path("sideEffects").asText()).isEqualTo("None");
    assertThat(mwc.path("failurePolicy").asText()).isEqualTo("Ignore");
    var service = mwc.path("clientConfig").path("service");
    assertThat(service.path("name").asText()).isEqualTo(WebhookConfig.SERVICE);
    assertThat(service.path("namespace").asText()).isEqualTo("multihome");
    assertThat(service.path("path").asText()).isEqualTo("/mutate");
    assertThat(mwc.path("clientConfig").has("caBundle"))
        .as("the controller writes it; an empty one in the manifest would be re-applied over it")
        .isFalse();
    var rule = mwc.path("rules").get(0);
    assertThat(rule.path("operations").toString()).isEqualTo("[\"CREATE\"]");
    assertThat(rule.path("apiGroups").toString()).isEqualTo("[\"\"]");
    assertThat(rule.path("resources").toString()).isEqualTo("[\"pods\"]");
    var excluded = mwc.path("namespaceSelector").path("matchExpressions").get(0);
    assertThat(excluded.path("key").asText()).isEqualTo("kubernetes.io/metadata.name");
    assertThat(excluded.path("operator").asText()).isEqualTo("NotIn");
    assertThat(excluded.path("values").toString())
        .as("the controller's own namespace, or it could not start without itself")
        .contains("\"multihome\"")
        .contains("\"kube-system\"");

    var svc = find("Service", WebhookConfig.SERVICE).path("spec");
    assertThat(svc.path("ports").get(0).path("port").asInt())
        .isEqualTo(service.path("port").asInt(443));
    assertThat(svc.path("ports").get(0).path("targetPort").asText()).isEqualTo("https-webhook");
    var pod = find("Deployment", "multihome-controller").path("spec").path("template");
    assertThat(svc.path("selector").path("app.kubernetes.io/name").asText())
        .isEqualTo(pod.path("metadata").path("labels").path("app.kubernetes.io/name").asText());
    var c = pod.path("spec").path("containers").get(0);
    var port = c.path("ports").get(0);
    assertThat(port.path("name").asText()).isEqualTo("https-webhook");
    assertThat(port.path("containerPort").asInt()).isEqualTo(WebhookConfig.DEFAULT_PORT);
    assertThat(c.path("readinessProbe").path("httpGet").path("scheme").asText()).isEqualTo("HTTPS");
    assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
    assertThat(c.path("env").toString()).contains("POD_NAMESPACE").contains("metadata.namespace");
  }

  @Test
  void controllerMayOnlyTouchItsOwnWebhookConfigurationAndReadsTheCnoNetwork() {
    var role = find("ClusterRole", "multihome-controller");
    JsonNode webhookRule = null;
    for (var rule : role.path("rules")) {
      if (rule.path("resources").toString().contains("mutatingwebhookconfigurations")) {
        webhookRule = rule;
      }
    }
    assertThat(webhookRule).isNotNull();
    assertThat(webhookRule.path("resourceNames").toString())
        .isEqualTo("[\"" + WebhookConfig.CONFIGURATION + "\"]");
    assertThat(webhookRule.path("verbs").toString()).isEqualTo("[\"get\",\"update\"]");
    assertThat(grants(role))
        .contains(
            "operator.openshift.io/networks:watch",
            "operator.openshift.io/networks/status:update",
            "/namespaces:watch",
            "k8s.cni.cncf.io/network-attachment-definitions:delete")
        .doesNotContain("operator.openshift.io/networks:update");
  }
}

package io.multihome.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.multihome.agent.cni.daemon.CniRequest;
import io.multihome.agent.cni.exec.ProcessPluginExecutor;
import io.multihome.agent.cni.nad.NamespacePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delegation rules with scripted fake plugins that log every call (command, ifname, stdin): order,
 * rollback, prevResult, runtimeConfig, verification, STATUS/GC. No namespaces needed.
 */
class DelegationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  // One script, behaviour by name: "fakeip" returns a result, "chain" passes prevResult on,
  // "fail" fails ADD. Every call is appended to calls.log as JSON.
  private static final String PLUGIN =
      """
      #!/usr/bin/env python3
      import json, os, sys
      name = os.path.basename(sys.argv[0])
      cfg = json.load(sys.stdin)
      state = os.environ["CNI_PATH"] + "/../state/" + os.environ.get("CNI_CONTAINERID", "") + ".json"
      with open(os.environ["CNI_PATH"] + "/calls.log", "a") as log:
          log.write(json.dumps({"plugin": name, "cmd": os.environ["CNI_COMMAND"],
                                "stateExists": os.path.exists(state), "cniArgs": os.environ.get("CNI_ARGS"),
                                "ifname": os.environ.get("CNI_IFNAME"), "config": cfg}) + "\\n")
      cmd = os.environ["CNI_COMMAND"]
      if cmd == "DEL" and name == "faildel":
          print(json.dumps({"cniVersion": "1.0.0", "code": 7, "msg": "bad config: no rate"})); sys.exit(1)
      if cmd != "ADD":
          sys.exit(0)
      if name == "fail":
          print(json.dumps({"cniVersion": "1.0.0", "code": 100, "msg": "boom"})); sys.exit(1)
      if name == "chain":
          print(json.dumps(cfg["prevResult"])); sys.exit(0)
      devinfo = cfg.get("runtimeConfig", {}).get("CNIDeviceInfoFile")
      if devinfo and not os.path.exists(devinfo):
          os.makedirs(os.path.dirname(devinfo), exist_ok=True)
          with open(devinfo, "w") as f:
              json.dump({"type": "vhost-user", "version": "1.1.0", "vhost-user":
                         {"mode": "client", "path": "/var/run/" + os.environ["CNI_IFNAME"] + "/vhost.sock"}}, f)
      print(json.dumps({"cniVersion": cfg["cniVersion"],
          "interfaces": [{"name": os.environ["CNI_IFNAME"], "mac": "02:00:00:00:00:01",
                          "sandbox": os.environ["CNI_NETNS"]}],
          "ips": [{"address": "198.18.5.5/24", "interface": 0}],
          "routes": [{"dst": "0.0.0.0/0", "gw": "198.18.5.1"}],
          "dns": {"nameservers": ["198.18.5.53"]}}))
      """;

  @TempDir Path tmp;
  private Path bin;
  private CniHarness h;

  @BeforeEach
  void setUp() throws Exception {
    bin = tmp.resolve("bin");
    Files.createDirectories(bin);
    Path script = bin.resolve("fakeip");
    Files.writeString(script, PLUGIN);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(bin.resolve("chain"), script);
    Files.createSymbolicLink(bin.resolve("fail"), script);
    Files.createSymbolicLink(bin.resolve("faildel"), script);
    h = harness(NamespacePolicy.open());
  }

  // Interfaces "present" in the fake pod namespace, and default routes set.
  private final Set<String> existing = new java.util.concurrent.ConcurrentSkipListSet<>();
  private final List<String> routeCalls = new java.util.concurrent.CopyOnWriteArrayList<>();

  private final PodNetns fakeNetns =
      new PodNetns() {
        @Override
        public Set<String> linkNames(String netns) {
          return Set.copyOf(existing);
        }

        @Override
        public void replaceDefaultRoute(String netns, String gateway, String ifname) {
          routeCalls.add(gateway + " dev " + ifname);
        }

        @Override
        public void removeDefaultRoutes(String netns, String ifname) {
          routeCalls.add("no default dev " + ifname);
        }
      };

  private CniHarness harness(NamespacePolicy policy) throws Exception {
    return new CniHarness(
        tmp,
        new ProcessPluginExecutor(null, Duration.ofSeconds(30)),
        List.of(bin),
        """
        {"cniVersion":"1.1.0","name":"cluster","plugins":[{"type":"fakeip"},{"type":"chain"}]}
        """,
        policy,
        fakeNetns);
  }

  private List<JsonNode> calls() throws Exception {
    Path log = bin.resolve("calls.log");
    var out = new ArrayList<JsonNode>();
    if (Files.exists(log)) {
      for (String line : Files.readAllLines(log)) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }

  private List<String> summary() throws Exception {
    return calls().stream()
        .map(
            c ->
                c.path("cmd").asText()
                    + " "
                    + c.path("plugin").asText()
                    + " "
                    + c.path("ifname").asText())
        .toList();
  }

  private String add(String pod, String annotation) throws Exception {
    h.pod("apps", pod, "u", annotation);
    var env = h.env("ADD", "cid-" + pod, "/run/netns/fake", "apps", pod);
    env.put("CNI_PATH", bin.toString());
    var r = h.service.handle(new CniRequest(env, Files.readAllBytes(h.pluginConfigFile)));
    return r.exitCode() + " " + r.text();
  }

  @Test
  void clusterFirstThenSelectedInOrderWithPrevResultChaining() throws Exception {
    h.nads.put("apps", "a", "{\"cniVersion\":\"1.0.0\",\"type\":\"fakeip\"}");
    h.nads.put(
        "other",
        "b",
        "{\"cniVersion\":\"1.0.0\",\"name\":\"bee\",\"plugins\":[{\"type\":\"fakeip\"}]}");
    assertThat(add("p", "a,other/b@x9")).startsWith("0 ");
    assertThat(summary())
        .containsExactly("ADD fakeip eth0", "ADD chain eth0", "ADD fakeip net1", "ADD fakeip x9");
    var calls = calls();
    assertThat(
            calls
                .get(1)
                .path("config")
                .path("prevResult")
                .path("ips")
                .get(0)
                .path("address")
                .asText())
        .isEqualTo("198.18.5.5/24");
    assertThat(calls.get(0).path("config").has("prevResult")).isFalse();
    // NAD name injected when spec.config has none; own name kept otherwise.
    assertThat(calls.get(2).path("config").path("name").asText()).isEqualTo("a");
    assertThat(calls.get(3).path("config").path("name").asText()).isEqualTo("bee");
    assertThat(calls.get(2).path("config").path("args").path("cni").path("labels").isMissingNode())
        .isTrue();
    var status = JSON.readTree(h.published.get("apps/p"));
    assertThat(status.get(1).path("name").asText()).isEqualTo("apps/a");
    assertThat(status.get(2).path("name").asText()).isEqualTo("other/b");
    assertThat(status.get(2).path("interface").asText()).isEqualTo("x9");
    assertThat(status.get(2).path("dns").path("nameservers").get(0).asText())
        .isEqualTo("198.18.5.53");
  }

  @Test
  void deviceInfoFileWrittenByThePluginIsPublishedAndRemovedByDel() throws Exception {
    h.nads.put(
        "apps",
        "a",
        "{\"cniVersion\":\"1.0.0\",\"type\":\"fakeip\",\"capabilities\":{\"CNIDeviceInfoFile\":true}}");
    h.nads.put("apps", "b", "{\"cniVersion\":\"1.0.0\",\"type\":\"fakeip\"}");
    assertThat(add("p", "a,b")).startsWith("0 ");
    Path file = h.deviceInfoRoot.resolve("cni/apps-a-cid-p-net1-device.json");
    var calls = calls();
    assertThat(calls.get(2).path("config").path("runtimeConfig").path("CNIDeviceInfoFile").asText())
        .isEqualTo(file.toString());
    assertThat(calls.get(3).path("config").has("runtimeConfig"))
        .as("only a plugin declaring the capability gets the path")
        .isFalse();
    var status = JSON.readTree(h.published.get("apps/p"));
    assertThat(status.get(1).path("device-info"))
        .isEqualTo(
            JSON.readTree(
                "{\"type\":\"vhost-user\",\"version\":\"1.1.0\",\"vhost-user\":"
                    + "{\"mode\":\"client\",\"path\":\"/var/run/net1/vhost.sock\"}}"));
    assertThat(status.get(2).has("device-info")).isFalse();
    assertThat(status.get(0).has("device-info")).isFalse();
    assertThat(file).exists();

    var env = h.env("DEL", "cid-p", "/run/netns/fake", "apps", "p");
    env.put("CNI_PATH", bin.toString());
    var del = h.service.handle(new CniRequest(env, Files.readAllBytes(h.pluginConfigFile)));
    assertThat(del.exitCode()).as(del.text()).isZero();
    assertThat(file).doesNotExist();
  }

  @Test
  void devicePluginDeviceInfoIsCopiedForTheAttachmentsDevice() throws Exception {
    Path dp = h.deviceInfoRoot.resolve("dp");
    Files.createDirectories(dp);
    String published =
        "{\"type\":\"pci\",\"version\":\"1.1.0\",\"pci\":{\"pci-address\":\"0000:03:00.2\","
            + "\"pf-pci-address\":\"0000:03:00.0\"}}";
    Files.writeString(dp.resolve("intel.com-sriov_a-0000:03:00.2-device.json"), published);
    Files.writeString(dp.resolve("intel.com-sriov_a-0000:03:00.3-device.json"), "{}");
    h.nads.put(
        "apps",
        "a",
        "{\"cniVersion\":\"1.0.0\",\"type\":\"fakeip\",\"capabilities\":{\"CNIDeviceInfoFile\":true}}");
    assertThat(add("p", "[{\"name\":\"a\",\"deviceID\":\"0000:03:00.2\"}]")).startsWith("0 ");
    Path file = h.deviceInfoRoot.resolve("cni/apps-a-cid-p-net1-device.json");
    assertThat(JSON.readTree(file.toFile())).isEqualTo(JSON.readTree(published));
    var status = JSON.readTree(h.published.get("apps/p"));
    assertThat(status.get(1).path("device-info")).isEqualTo(JSON.readTree(published));
  }

  @Test
  void addFailureDeletesWhatWasAddedInReverseIncludingTheFailedOne() throws Exception {
    h.nads.put("apps", "a", "{\"cniVersion\":\"1.0.0\",\"type\":\"fakeip\"}");
    h.nads.put(
        "apps",
        "bad",
        "{\"cniVersion\":\"1.0.0\",\"plugins\":[{\"type\":\"fakeip\"},{\"type\":\"fail\"}]}");
    String out = add("p", "a,bad");
    assertThat(out)
        .startsWith("1 ")
        .contains("error adding container to network \\\"apps/bad\\\" (net2)")
        .contains("boom");
    assertThat(summary())
        .containsExactly(
            "ADD fakeip eth0",
            "ADD chain eth0",
            "ADD fakeip net1",
            "ADD fakeip net2",
            "ADD fail net2",
            "DEL fail net2",
            "DEL fakeip net2",
            "DEL fakeip net1",
            "DEL chain eth0",
            "DEL fakeip eth0");
    assertThat(h.published).isEmpty();
    assertThat(Files.list(h.stateDir).toList()).as("clean rollback removes the state").isEmpty();
  }

  @Test
  void aFailingDelDeletesTheOthersRemovesTheStateAndARepeatedDelIsANoOp() throws Exception {
    var failures = new DeleteFailures();
    h.service.setEvents(failures);
    h.nads.put("apps", "a", "{\"cniVersion\":\"1.0.0\",\"type\":\"fakeip\"}");
    h.nads.put(
        "apps",
        "shaped",
        "{\"cniVersion\":\"1.0.0\",\"plugins\":[{\"type\":\"fakeip\"},{\"type\":\"faildel\"}]}");
    assertThat(add("p", "a,shaped,a")).startsWith("0 ");
    int before = calls().size();

    var first = del("p");
    assertThat(first).startsWith("1 ").contains("\"code\":7");
    assertThat(first)
        .contains("completed with errors")
        .contains("network apps/shaped (net2)")
        .contains("bad config: no rate");
    // Every attachment was asked, in reverse, the failing one's other plugins included.
    assertThat(summary().subList(before, summary().size()))
        .containsExactly(
            "DEL fakeip net3",
            "DEL faildel net2",
            "DEL fakeip net2",
            "DEL fakeip net1",
            "DEL chain eth0",
            "DEL fakeip eth0");
    assertThat(Files.list(h.stateDir).toList()).as("state removed anyway").isEmpty();
    assertThat(failures.reported)
        .singleElement()
        .asString()
        .startsWith("p net2 apps/shaped: ")
        .contains("bad config: no rate");

    int afterFirst = calls().size();
    assertThat(del("p")).isEqualTo("0 ");
    assertThat(calls()).as("a repeated DEL asks no plugin").hasSize(afterFirst);
  }

  @Test
  void aFailingDelDuringRollbackIsReportedAndTheStateIsStillRemoved() throws Exception {
    var failures = new DeleteFailures();
    h.service.setEvents(failures);
    h.nads.put("apps", "shaped", "{\"cniVersion\":\"1.0.0\",\"type\":\"faildel\"}");
    h.nads.put("apps", "bad", "{\"cniVersion\":\"1.0.0\",\"type\":\"fail\"}");
    assertThat(add("p", "shaped,bad")).startsWith("1 ").contains("boom");
    assertThat(failures.reported).singleElement().asString().startsWith("p net1 apps/shaped: ");
    assertThat(Files.list(h.stateDir).toList()).isEmpty();
    int after = calls().size();
    assertThat(del("p")).isEqualTo("0 ");
    assertThat(calls())
        .as("the runtime's DEL after a rolled-back ADD asks no plugin")
        .hasSize(after);
  }

  private String del(String pod) throws Exception {
    var env = h.env("DEL", "cid-" + pod, "/run/netns/fake", "apps", pod);
    env.put("CNI_PATH", bin.toString());
    var r = h.service.handle(new CniRequest(env, Files.readAllBytes(h.pluginConfigFile)));
    return r.exitCode() + " " + r.text();
  }

  @Test
  void typeWithPathSeparatorIsRejectedBeforeAnythingRuns() throws Exception {
    h.nads.put("apps", "evil", "{\"cniVersion\":\"1.0.0\",\"type\":\"../../bin/sh\"}");
    String out = add("p", "evil");
    assertThat(out).startsWith("1 ").contains("\"code\":7").contains("CVE-2021-20206");
    assertThat(calls()).isEmpty();
  }

  @Test
  void requestedIpAndMacMustBeHonouredByThePlugin() throws Exception {
    h.nads.put(
        "apps",
        "a",
        "{\"cniVersion\":\"1.0.0\",\"type\":\"fakeip\",\"capabilities\":{\"ips\":true}}");
    String out = add("p", "[{\"name\":\"a\",\"ips\":[\"198.18.5.9/24\"]}]");
    assertThat(out)
        .startsWith("1 ")
        .contains("\"code\":101")
        .contains("requested IP 198.18.5.9/24 was not assigned (result has [198.18.5.5/24])");
    assertThat(summary()).last().isEqualTo("DEL fakeip eth0");
    // runtimeConfig.ips only to the plugin that declared the capability; args.cni.ips always.
    var netCall = calls().get(2).path("config");
    assertThat(netCall.path("runtimeConfig").path("ips").get(0).asText())
        .isEqualTo("198.18.5.9/24");
    assertThat(netCall.path("args").path("cni").path("ips").get(0).asText())
        .isEqualTo("198.18.5.9/24");
    assertThat(netCall.has("capabilities")).isFalse();

    String mac = add("q", "[{\"name\":\"a\",\"mac\":\"02:00:00:00:00:99\"}]");
    assertThat(mac)
        .contains(
            "requested MAC 02:00:00:00:00:99 was not applied (result reports 02:00:00:00:00:01)");
    assertThat(
            add("r", "[{\"name\":\"a\",\"ips\":[\"198.18.5.5\"],\"mac\":\"02:00:00:00:00:01\"}]"))
        .startsWith("0 ");
  }

  @Test
  void capabilityRequestsFailWhenNoPluginDeclaresThem() throws Exception {
    h.nads.put("apps", "a", "{\"cniVersion\":\"1.0.0\",\"type\":\"fakeip\"}");
    assertThat(
            add(
                "p",
                "[{\"name\":\"a\",\"portMappings\":[{\"containerPort\":80,\"hostPort\":8080}]}]"))
        .contains("requests \\\"portMappings\\\" but no plugin");
    assertThat(add("q", "[{\"name\":\"a\",\"bandwidth\":{\"ingressRate\":1000}}]"))
        .contains("requests \\\"bandwidth\\\" but no plugin");
    assertThat(add("r", "[{\"name\":\"a\",\"infiniband-guid\":\"00:11:22:33:44:55:66:77\"}]"))
        .contains("requests \\\"infinibandGUID\\\" but no plugin");
    assertThat(calls()).isEmpty();
  }

  @Test
  void interfaceNameCollisionFailsBeforeAnythingRuns() throws Exception {
    h.nads.put("apps", "a", "{\"cniVersion\":\"1.0.0\",\"type\":\"fakeip\"}");
    assertThat(add("p", "a,a@net1"))
        .contains("interface net1 for network apps/a (element 1) is already used");
    assertThat(add("q", "a@eth0")).contains("interface eth0");
    assertThat(calls()).isEmpty();
  }

  @Test
  void missingNadAndNamespaceIsolation() throws Exception {
    assertThat(add("p", "nope"))
        .contains("cannot find a network-attachment-definition (nope) in namespace (apps)");
    h = harness(NamespacePolicy.isolated(Set.of("default")));
    h.nads.put("other", "b", "{\"cniVersion\":\"1.0.0\",\"type\":\"fakeip\"}");
    h.nads.put("default", "g", "{\"cniVersion\":\"1.0.0\",\"type\":\"fakeip\"}");
    assertThat(add("p", "other/b"))
        .contains(
            "namespace isolation is enabled: pod in namespace apps may not use network other/b");
    assertThat(add("q", "default/g")).startsWith("0 ");
  }

  @Test
  void emptySpecConfigFallsBackToTheConfDir() throws Exception {
    Path confDir = tmp.resolve("net.d");
    Files.createDirectories(confDir);
    Files.writeString(confDir.resolve("01-other.conf"), "{\"name\":\"other\",\"type\":\"fail\"}");
    Files.writeString(
        confDir.resolve("50-disk.conflist"),
        "{\"cniVersion\":\"1.0.0\",\"name\":\"disk\",\"plugins\":[{\"type\":\"fakeip\"}]}");
    h.nads.put("apps", "disk", "");
    h.nads.put("apps", "ghost", null);
    assertThat(add("p", "disk")).startsWith("0 ");
    assertThat(summary()).last().isEqualTo("ADD fakeip net1");
    assertThat(add("q", "ghost"))
        .contains("has no spec.config and no network named \\\"ghost\\\" is in");
  }

  @Test
  void defaultNetworkOverrideReplacesTheClusterNetwork() throws Exception {
    h.nads.put("kube-system", "alt", "{\"cniVersion\":\"1.0.0\",\"type\":\"fakeip\"}");
    h.podMap.put(
        "apps/p",
        new io.multihome.agent.cni.daemon.PodSource.Pod(
            "u", java.util.Map.of("v1.multus-cni.io/default-network", "alt")));
    var env = h.env("ADD", "cid-p", "/run/netns/fake", "apps", "p");
    env.put("CNI_PATH", bin.toString());
    assertThat(
            h.service
                .handle(new CniRequest(env, Files.readAllBytes(h.pluginConfigFile)))
                .exitCode())
        .isZero();
    assertThat(summary()).containsExactly("ADD fakeip eth0");
    assertThat(JSON.readTree(h.published.get("apps/p")).get(0).path("name").asText())
        .isEqualTo("kube-system/alt");
  }

  @Test
  void checkStatusAndGcFollowSpec11() throws Exception {
    h.nads.put("apps", "a", "{\"cniVersion\":\"1.1.0\",\"type\":\"fakeip\"}");
    assertThat(add("p", "a")).startsWith("0 ");
    assertThat(add("gone", "a")).startsWith("0 ");
    var env = h.env("CHECK", "cid-p", "/run/netns/fake", "apps", "p");
    env.put("CNI_PATH", bin.toString());
    byte[] config = Files.readAllBytes(h.pluginConfigFile);
    assertThat(h.service.handle(new CniRequest(env, config)).exitCode()).isZero();
    assertThat(calls().stream().filter(c -> c.path("cmd").asText().equals("CHECK")).toList())
        .hasSize(3)
        .allMatch(c -> c.path("config").has("prevResult"));

    env.put("CNI_COMMAND", "STATUS");
    assertThat(h.service.handle(new CniRequest(env, config)).exitCode()).isZero();
    assertThat(summary()).contains("STATUS fakeip null", "STATUS chain null");

    var gcConfig = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(config);
    gcConfig
        .putArray("cni.dev/valid-attachments")
        .addObject()
        .put("containerID", "cid-p")
        .put("ifname", "eth0");
    env.put("CNI_COMMAND", "GC");
    assertThat(h.service.handle(new CniRequest(env, JSON.writeValueAsBytes(gcConfig))).exitCode())
        .isZero();
    var gcCalls = calls().stream().filter(c -> c.path("cmd").asText().equals("GC")).toList();
    var forNad =
        gcCalls.stream()
            .filter(c -> c.path("config").path("name").asText().equals("a"))
            .findFirst()
            .orElseThrow();
    assertThat(forNad.path("config").path("cni.dev/valid-attachments").toString())
        .isEqualTo("[{\"containerID\":\"cid-p\",\"ifname\":\"net1\"}]");
    assertThat(h.stateDir.resolve("cid-gone.json")).doesNotExist();
    assertThat(h.stateDir.resolve("cid-p.json")).exists();
  }

  @Test
  void delWithoutStateRecomputesFromThePodWhenTheApiAnswers() throws Exception {
    h.nads.put("apps", "a", "{\"cniVersion\":\"1.0.0\",\"type\":\"fakeip\"}");
    assertThat(add("p", "a")).startsWith("0 ");
    Files.delete(h.stateDir.resolve("cid-p.json")); // e.g. lost with a wiped /var/lib
    var env = h.env("DEL", "cid-p", "/run/netns/fake", "apps", "p");
    env.put("CNI_PATH", bin.toString());
    assertThat(
            h.service
                .handle(new CniRequest(env, Files.readAllBytes(h.pluginConfigFile)))
                .exitCode())
        .isZero();
    assertThat(summary()).endsWith("DEL fakeip net1", "DEL chain eth0", "DEL fakeip eth0");
  }

  @Test
  void stateFileIsPrivateAndLeavesNoTemporaryFiles() throws Exception {
    h.nads.put("apps", "a", "{\"cniVersion\":\"1.0.0\",\"type\":\"fakeip\"}");
    assertThat(add("p", "a")).startsWith("0 ");
    try (var files = Files.list(h.stateDir)) {
      assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("cid-p.json");
    }
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(h.stateDir.resolve("cid-p.json"))))
        .isEqualTo("rw-------");
    var state = new StateStore(h.stateDir).read("cid-p").orElseThrow();
    assertThat(state.delegates())
        .extracting(Delegate::network)
        .containsExactly("cluster", "apps/a");
    assertThat(state.results()).allMatch(r -> r != null && r.has("ips"));
  }

  @Test
  void existingInterfaceFailsBeforeAnyPluginRuns() throws Exception {
    h.nads.put("apps", "a", "{\"cniVersion\":\"1.0.0\",\"type\":\"fakeip\"}");
    existing.add("net1");
    assertThat(add("p", "a"))
        .contains("cannot add interface net1: it already exists in /run/netns/fake");
    // Checked before anything runs: no plugin is called at all, not even DEL, and no state.
    assertThat(calls()).isEmpty();
    assertThat(h.stateDir).doesNotExist();
  }

  @Test
  void defaultRouteMovesToTheChosenAttachmentInResultsAndStatus() throws Exception {
    h.nads.put("apps", "a", "{\"cniVersion\":\"1.0.0\",\"type\":\"fakeip\"}");
    String out = add("p", "[{\"name\":\"a\",\"default-route\":[\"198.18.5.1\"]}]");
    assertThat(out).startsWith("0 ").doesNotContain("0.0.0.0/0");
    assertThat(routeCalls).containsExactly("198.18.5.1 dev net1");
    var state = new StateStore(h.stateDir).read("cid-p").orElseThrow();
    assertThat(state.results().get(1).path("routes").toString())
        .isEqualTo("[{\"dst\":\"0.0.0.0/0\",\"gw\":\"198.18.5.1\"}]");
    assertThat(
            JSON.readTree(h.published.get("apps/p")).get(1).path("default-route").get(0).asText())
        .isEqualTo("198.18.5.1");
  }

  @Test
  void emptyDefaultRouteKeepsTheAttachmentsOwnGatewayAndClearsTheOthers() throws Exception {
    h.nads.put("apps", "a", "{\"cniVersion\":\"1.0.0\",\"type\":\"fakeip\"}");
    String out = add("p", "[{\"name\":\"a\",\"default-route\":[]}]");
    // The runtime's (cluster network's) result loses its default route, net1 keeps the plugin's.
    assertThat(out).startsWith("0 ").doesNotContain("0.0.0.0/0");
    assertThat(routeCalls).containsExactly("no default dev eth0");
    var state = new StateStore(h.stateDir).read("cid-p").orElseThrow();
    assertThat(state.results().get(1).path("routes").toString())
        .isEqualTo("[{\"dst\":\"0.0.0.0/0\",\"gw\":\"198.18.5.1\"}]");
    assertThat(state.results().get(0).path("routes").toString()).isEqualTo("[]");
    var status = JSON.readTree(h.published.get("apps/p"));
    assertThat(status.get(1).path("default-route").toString()).isEqualTo("[\"198.18.5.1\"]");
    assertThat(status.get(0).has("default-route")).isFalse();
  }

  @Test
  void failingStatusWriteFailsAndUndoesTheAdd() throws Exception {
    h =
        new CniHarness(
            tmp,
            new ProcessPluginExecutor(null, Duration.ofSeconds(30)),
            List.of(bin),
            "{\"cniVersion\":\"1.0.0\",\"name\":\"cluster\",\"plugins\":[{\"type\":\"fakeip\"}]}",
            NamespacePolicy.open(),
            fakeNetns,
            (pod, status) -> {
              throw new IllegalStateException("API refused the update");
            });
    String out = add("p", null);
    assertThat(out)
        .startsWith("1 ")
        .contains("cannot publish network-status of apps/p")
        .contains("API refused");
    assertThat(summary()).containsExactly("ADD fakeip eth0", "DEL fakeip eth0");
    assertThat(h.stateDir.resolve("cid-p.json")).doesNotExist();
  }

  @Test
  void missingEnvironmentIsNamed() throws Exception {
    var env = h.env("ADD", "cid", null, "apps", "p");
    var r = h.service.handle(new CniRequest(env, Files.readAllBytes(h.pluginConfigFile)));
    assertThat(r.text()).contains("\"code\":4").contains("CNI_NETNS is not set");
    env.put("CNI_CONTAINERID", "../etc");
    env.put("CNI_NETNS", "/x");
    assertThat(h.service.handle(new CniRequest(env, Files.readAllBytes(h.pluginConfigFile))).text())
        .contains("CNI_CONTAINERID \\\"../etc\\\" must start");
  }
}

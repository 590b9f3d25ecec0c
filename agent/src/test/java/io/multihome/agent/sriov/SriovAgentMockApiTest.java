package io.multihome.agent.sriov;

import static io.multihome.agent.sriov.SriovAgentFixture.FAST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.multihome.api.sriov.InterfaceExt;
import io.multihome.api.sriov.SriovNetworkNodeState;
import io.multihome.api.sriov.SriovNetworkNodeStateStatus;
import io.multihome.api.sriov.SyncStatus;
import io.multihome.api.sriov.VirtualFunction;
import io.multihome.sriov.sysfs.VfLinkConfigurator;
import io.multihome.sriov.sysfs.fake.FakeKernel;
import io.multihome.sriov.sysfs.fake.FakeNic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against fabric8's CRUD mock API and the fake kernel's sysfs. */
@EnableKubernetesMockClient(crud = true)
class SriovAgentMockApiTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String NODE = "worker-1";
  private static final String INTEL = "0000:3b:00.0";
  private static final String MLX = "0000:5e:00.0";

  KubernetesClient client;
  KubernetesMockServer server;

  @TempDir Path dir;
  private SriovAgentFixture fixture;
  private FakeKernel kernel;
  private final List<String> linkCalls = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger snapshots = new AtomicInteger();
  private SriovAgent agent;
  private Watch watch;
  private final List<SyncStatus> seen = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() throws Exception {
    fixture = new SriovAgentFixture(client);
    kernel = FakeKernel.create(dir.resolve("sys"));
    kernel.addPf(FakeNic.intelXxv710(INTEL, "ens1f0"));
    kernel.addPf(FakeNic.mellanoxConnectX5(MLX, "ens2f0"));
  }

  @AfterEach
  void tearDown() {
    if (watch != null) {
      watch.close();
    }
    if (agent != null) {
      agent.close();
    }
    kernel.close();
  }

  private SriovAgentConfig config() {
    VfLinkConfigurator links =
        new VfLinkConfigurator() {
          @Override
          public void setVfAdminMac(String pfName, int vfId, String mac) {
            linkCalls.add("vf-mac " + pfName + " " + vfId + " " + mac);
          }

          @Override
          public void setLinkUp(String ifName) {
            linkCalls.add("up " + ifName);
          }
        };
    // What netlink would add: an altname on the Intel PF and VLAN 100 on its VF 0.
    LinkInfoSource info =
        () -> {
          snapshots.incrementAndGet();
          return Map.of(
              "ens1f0",
              new LinkDetails(
                  "ens1f0",
                  List.of("enp59s0f0np0"),
                  List.of(new LinkDetails.VfInfo(0, "02:00:00:00:00:aa", 100))));
        };
    return SriovAgentConfig.defaults()
        .withSysfs(kernel.sysfs())
        .withPfStoreDir(dir.resolve("store"))
        .withResyncInterval(Duration.ofMillis(200))
        .withTimeouts(FAST)
        .withVfLinkConfigurator(links)
        .withLinkInfo(info);
  }

  private void start() {
    agent = SriovAgent.start(client, NODE, config());
  }

  /** Records every syncStatus the node state takes, in order. */
  private void recordSyncStatuses() {
    watch =
        fixture
            .state(NODE)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, SriovNetworkNodeState s) {
                    if (s.getStatus() != null && s.getStatus().getSyncStatus() != null) {
                      var last = seen.isEmpty() ? null : seen.get(seen.size() - 1);
                      if (last != s.getStatus().getSyncStatus()) {
                        seen.add(s.getStatus().getSyncStatus());
                      }
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  private SriovNetworkNodeStateStatus awaitSync(SyncStatus wanted) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var s = fixture.status(NODE);
              assertThat(s).isNotNull();
              assertThat(s.getSyncStatus()).isEqualTo(wanted);
            });
    return fixture.status(NODE);
  }

  private static InterfaceExt pf(SriovNetworkNodeStateStatus s, String pci) {
    assertThat(s.getInterfaces()).as("status.interfaces").isNotNull();
    return s.getInterfaces().stream()
        .filter(i -> pci.equals(i.getPciAddress()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no PF " + pci + " in " + s.getInterfaces()));
  }

  @Test
  void publishesDiscoveredPfsWithNetlinkDetailsAndFollowsTheKernel() throws Exception {
    start(); // before the controller created the state: nothing is discovered or written
    await()
        .during(Duration.ofMillis(700)) // more than three refresh periods
        .atMost(Duration.ofSeconds(5))
        .until(() -> snapshots.get() == 0 && fixture.state(NODE).get() == null);
    fixture.createState(NODE, SriovAgentFixture.emptySpec());

    var status = awaitSync(SyncStatus.SUCCEEDED);
    assertThat(status.getLastSyncError()).isEmpty();
    assertThat(status.getInterfaces())
        .extracting(InterfaceExt::getPciAddress)
        .containsExactly(INTEL, MLX);
    InterfaceExt intel = pf(status, INTEL);
    assertThat(intel.getName()).isEqualTo("ens1f0");
    assertThat(intel.getVendor()).isEqualTo("8086");
    assertThat(intel.getDeviceID()).isEqualTo("158b");
    assertThat(intel.getDriver()).isEqualTo("i40e");
    assertThat(intel.getTotalVfs()).isEqualTo(64);
    assertThat(intel.getNumVfs()).isZero();
    assertThat(intel.getAltNames()).containsExactly("enp59s0f0np0");
    assertThat(pf(status, MLX).getAltNames()).isNull();

    // VFs made behind the agent's back (e.g. by hand) show up at the next refresh, with the VLAN
    // only netlink knows.
    kernel.sysfs().write(dir.resolve("sys/bus/pci/devices/" + INTEL + "/sriov_numvfs"), "2");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              InterfaceExt p = pf(fixture.status(NODE), INTEL);
              assertThat(p.getNumVfs()).isEqualTo(2);
              assertThat(p.getVfs())
                  .extracting(VirtualFunction::getName)
                  .containsExactly("ens1f0v0", "ens1f0v1");
              assertThat(p.getVfs().get(0).getVlan()).isEqualTo(100);
              assertThat(p.getVfs().get(1).getVlan()).isNull();
            });
  }

  @Test
  void specIsProvisionedThroughInProgressToSucceeded() {
    fixture.createState(NODE, SriovAgentFixture.emptySpec());
    recordSyncStatuses();
    start();
    awaitSync(SyncStatus.SUCCEEDED);

    fixture.setSpec(NODE, SriovAgentFixture.spec(INTEL, "ens1f0", 4, 9000));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var s = fixture.status(NODE);
              assertThat(s.getSyncStatus()).isEqualTo(SyncStatus.SUCCEEDED);
              assertThat(pf(s, INTEL).getNumVfs()).isEqualTo(4);
            });
    var status = fixture.status(NODE);
    assertThat(status.getLastSyncError()).isEmpty();
    assertThat(pf(status, INTEL).getVfs())
        .extracting(VirtualFunction::getName, VirtualFunction::getMtu, VirtualFunction::getDriver)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ens1f0v0", 9000, "iavf"),
            org.assertj.core.groups.Tuple.tuple("ens1f0v1", 9000, "iavf"),
            org.assertj.core.groups.Tuple.tuple("ens1f0v2", 9000, "iavf"),
            org.assertj.core.groups.Tuple.tuple("ens1f0v3", 9000, "iavf"));
    // The first apply (empty spec) and this one each went InProgress -> Succeeded.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(seen)
                    .containsExactly(
                        SyncStatus.IN_PROGRESS,
                        SyncStatus.SUCCEEDED,
                        SyncStatus.IN_PROGRESS,
                        SyncStatus.SUCCEEDED));
    var vfMacs = pf(status, INTEL).getVfs().stream().map(VirtualFunction::getMac).toList();
    assertThat(linkCalls)
        .containsExactly(
            "vf-mac ens1f0 0 " + vfMacs.get(0),
            "vf-mac ens1f0 1 " + vfMacs.get(1),
            "vf-mac ens1f0 2 " + vfMacs.get(2),
            "vf-mac ens1f0 3 " + vfMacs.get(3),
            "up ens1f0");

    // Fewer VFs: through 0, as the kernel requires.
    fixture.setSpec(NODE, SriovAgentFixture.spec(INTEL, "ens1f0", 2, null));
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(pf(fixture.status(NODE), INTEL).getNumVfs()).isEqualTo(2));
    assertThat(fixture.status(NODE).getSyncStatus()).isEqualTo(SyncStatus.SUCCEEDED);
  }

  /**
   * Issue 14: a spec the model cannot take (a hand edit, or a writer that is not our controller)
   * must neither stop the agent's informer nor be half applied: Failed, naming the fields, a
   * Warning event, nothing changed; the next readable spec is applied.
   */
  @Test
  void aSpecWithFieldsThatCannotBeReadIsNotAppliedAndSaysWhy() {
    fixture.createState(NODE, SriovAgentFixture.emptySpec());
    start();
    awaitSync(SyncStatus.SUCCEEDED);

    var states =
        client
            .genericKubernetesResources(
                ResourceDefinitionContext.fromResourceType(SriovNetworkNodeState.class))
            .inNamespace(SriovAgentFixture.NS);
    var edited = states.withName(NODE).get();
    edited
        .getAdditionalProperties()
        .put(
            "spec",
            Map.of(
                "interfaces",
                List.of(
                    Map.of(
                        "pciAddress", INTEL,
                        "name", "ens1f0",
                        "numVfs", "four",
                        "linkType", "token-ring",
                        "comment", "unknown fields are fine"))));
    states.resource(edited).update();

    var status = awaitSync(SyncStatus.FAILED);
    assertThat(status.getLastSyncError())
        .startsWith("cannot read the spec: ")
        .contains("spec.interfaces[0].numVfs: \"four\" is not an integer")
        .contains("spec.interfaces[0].linkType: \"token-ring\" is not one of")
        .endsWith("; nothing was changed")
        .doesNotContain("comment");
    assertThat(pf(status, INTEL).getNumVfs()).isZero();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace(SriovAgentFixture.NS).list().getItems())
                    .filteredOn(e -> NODE.equals(e.getInvolvedObject().getName()))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getReason()).isEqualTo("InvalidFields");
                          assertThat(e.getMessage()).contains("spec.interfaces[0].numVfs");
                        }));

    // As the controller writes specs: a whole-object update (a patch computed from the lenient
    // copy would leave the fields that copy could not see).
    await()
        .atMost(WAIT)
        .ignoreExceptionsInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
        .until(
            () -> {
              var s = fixture.state(NODE).get();
              s.setSpec(SriovAgentFixture.spec(INTEL, "ens1f0", 2, null));
              return client.resource(s).update() != null;
            });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var s = fixture.status(NODE);
              assertThat(s.getSyncStatus()).isEqualTo(SyncStatus.SUCCEEDED);
              assertThat(s.getLastSyncError()).isEmpty();
              assertThat(pf(s, INTEL).getNumVfs()).isEqualTo(2);
            });
  }

  @Test
  void failingProvisioningEndsFailedWithTheReasonAndIsNeverLeftInProgress() {
    kernel.failNumVfsWrites(INTEL, "Cannot allocate memory");
    fixture.createState(NODE, SriovAgentFixture.spec(INTEL, "ens1f0", 4, null));
    recordSyncStatuses();
    start();

    var status = awaitSync(SyncStatus.FAILED);
    assertThat(status.getLastSyncError())
        .contains("spec.interfaces[0] (" + INTEL + ")")
        .contains("Cannot allocate memory");
    assertThat(pf(status, INTEL).getNumVfs()).isZero();

    // Several refreshes later it is still Failed: no silent retry flips it back to InProgress.
    int after = snapshots.get();
    await().atMost(WAIT).until(() -> snapshots.get() >= after + 3);
    assertThat(fixture.status(NODE).getSyncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(seen).containsExactly(SyncStatus.IN_PROGRESS, SyncStatus.FAILED);

    // A new spec is applied again; the old error is kept while InProgress, cleared on success.
    fixture.setSpec(NODE, SriovAgentFixture.spec(INTEL, "ens1f0", 0, null));
    var fixed = awaitSync(SyncStatus.SUCCEEDED);
    assertThat(fixed.getLastSyncError()).isEmpty();
    assertThat(seen)
        .containsExactly(
            SyncStatus.IN_PROGRESS,
            SyncStatus.FAILED,
            SyncStatus.IN_PROGRESS,
            SyncStatus.SUCCEEDED);
  }

  @Test
  void aHungNumVfsWriteIsBoundedAndEndsFailed() {
    // i40e can block a sriov_numvfs write ("other operation is pending"): bounded, then Failed.
    kernel.hangNumVfsWrites(INTEL);
    fixture.createState(NODE, SriovAgentFixture.spec(INTEL, "ens1f0", 4, null));
    start();

    var status = awaitSync(SyncStatus.FAILED);
    assertThat(status.getLastSyncError())
        .contains("writing 4 to sriov_numvfs did not finish within " + FAST.numVfsWrite());
  }

  @Test
  void anExceptionEscapingTheProvisionerStillEndsFailed() throws Exception {
    // An unreadable PF record makes ConfiguredPfStore.all() throw out of SriovProvisioner.apply.
    Files.createDirectories(dir.resolve("store"));
    Files.writeString(dir.resolve("store/0000:99:00.0.json"), "{not json");
    fixture.createState(NODE, SriovAgentFixture.spec(INTEL, "ens1f0", 2, null));
    start();

    var status = awaitSync(SyncStatus.FAILED);
    assertThat(status.getLastSyncError())
        .startsWith("unexpected error while applying: UncheckedIOException")
        .contains("0000:99:00.0.json");
    assertThat(status.getInterfaces()).hasSize(2);
  }

  @Test
  void statusIsWrittenOnlyWhenItChanges() throws Exception {
    fixture.createState(NODE, SriovAgentFixture.spec(INTEL, "ens1f0", 2, null));
    start();
    awaitSync(SyncStatus.SUCCEEDED);
    String version = fixture.state(NODE).get().getMetadata().getResourceVersion();

    int after = snapshots.get();
    await().atMost(WAIT).until(() -> snapshots.get() >= after + 4);
    assertThat(fixture.state(NODE).get().getMetadata().getResourceVersion()).isEqualTo(version);

    // A real change (the MLX PF gets VFs by hand) is written at the next refresh.
    kernel.sysfs().write(dir.resolve("sys/bus/pci/devices/" + MLX + "/sriov_numvfs"), "1");
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(pf(fixture.status(NODE), MLX).getNumVfs()).isEqualTo(1));
    assertThat(fixture.state(NODE).get().getMetadata().getResourceVersion()).isNotEqualTo(version);
    assertThat(fixture.status(NODE).getSyncStatus()).isEqualTo(SyncStatus.SUCCEEDED);
  }
}

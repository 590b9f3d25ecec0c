package io.multihome.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 5: "DEL always completes" with the reference plugins. A delegate whose DEL the
 * plugin refuses is reported, every other delegate is still deleted, the state goes, and the
 * runtime's next DEL succeeds without asking any plugin again. Before, the state was kept and every
 * DEL failed the same way, forever.
 */
class DelCompletesKernelTest {

  @TempDir Path tmp;
  private KernelFixture k;
  private CniHarness h;
  private final DeleteFailures failures = new DeleteFailures();

  @BeforeEach
  void setUp() throws Exception {
    k = new KernelFixture("mh-cnidel");
    h = CniHarness.referencePlugins(tmp, k);
    h.service.setEvents(failures);
  }

  @AfterEach
  void tearDown() {
    if (k != null) {
      k.close();
    }
  }

  private String bridgeNad(String extraPlugin) {
    return """
        {"cniVersion":"1.0.0","plugins":[
          {"type":"bridge","bridge":"mhdel0",
           "ipam":{"type":"host-local","dataDir":"%s",
                   "ranges":[[{"subnet":"198.18.40.0/24"}]]}}%s]}
        """
        .formatted(tmp.resolve("ipam-blue"), extraPlugin);
  }

  @Test
  void bandwidthRejectingItsConfigOnAddAndDelStillLeavesACleanPodAndNoState() throws Exception {
    // The reference bandwidth plugin refuses a burst without a rate in ADD and in DEL alike.
    h.nads.put("apps", "shaped", bridgeNad(",{\"type\":\"bandwidth\",\"ingressBurst\":100000}"));
    String p1 = k.newNamespace("p1");
    h.pod("apps", "a", "uid-a", "shaped");
    var add = h.call("ADD", "cid-a", KernelFixture.path(p1).toString(), "apps", "a");
    assertThat(add.exitCode()).isEqualTo(1);
    assertThat(CniHarness.text(add)).contains("rate must also be set");

    // The rollback asked every delegate: bridge and host-local undone although bandwidth refused.
    assertThat(k.links(p1)).containsExactly("lo");
    assertThat(leases()).isEmpty();
    assertThat(Files.list(h.stateDir).toList()).isEmpty();
    assertThat(failures.reported)
        .singleElement()
        .asString()
        .startsWith("a net1 apps/shaped: ")
        .contains("rate must also be set");

    // The runtime's DEL after the failed sandbox set-up: success, nothing asked again.
    var del = h.call("DEL", "cid-a", KernelFixture.path(p1).toString(), "apps", "a");
    assertThat(del.exitCode()).as(CniHarness.text(del)).isZero();
    assertThat(h.call("DEL", "cid-a", null, "apps", "a").exitCode()).isZero();
    assertThat(failures.reported).hasSize(1);
  }

  @Test
  void aDelegateWhoseDelFailsDoesNotStopTheOthersAndTheRepeatedDelSucceeds() throws Exception {
    h.nads.put("apps", "blue", bridgeNad(""));
    String p1 = k.newNamespace("p1");
    h.pod("apps", "b", "uid-b", "blue");
    var add = h.call("ADD", "cid-b", KernelFixture.path(p1).toString(), "apps", "b");
    assertThat(add.exitCode()).as(CniHarness.text(add)).isZero();
    assertThat(k.links(p1)).contains("eth0", "net1");

    // host-local can no longer open its store: blue's DEL (bridge runs IPAM DEL first) fails.
    Path store = tmp.resolve("ipam-blue");
    Files.move(store, tmp.resolve("ipam-blue.moved"));
    Files.writeString(store, "not a directory");

    var del = h.call("DEL", "cid-b", KernelFixture.path(p1).toString(), "apps", "b");
    assertThat(del.exitCode()).isEqualTo(1);
    assertThat(CniHarness.text(del))
        .contains("network apps/blue (net1)")
        .contains("a repeated DEL succeeds");
    // The cluster network, asked after the failing one (reverse order), was deleted.
    assertThat(k.links(p1)).doesNotContain("eth0");
    assertThat(leases("ipam-cluster")).isEmpty();
    assertThat(Files.list(h.stateDir).toList()).as("state removed").isEmpty();
    assertThat(failures.reported).singleElement().asString().startsWith("b net1 apps/blue: ");

    // Kubelet retries: a no-op success, no plugin asked (a re-run would fail and warn again).
    var again = h.call("DEL", "cid-b", KernelFixture.path(p1).toString(), "apps", "b");
    assertThat(again.exitCode()).as(CniHarness.text(again)).isZero();
    assertThat(failures.reported).hasSize(1);
  }

  private List<Path> leases() throws Exception {
    return leases("ipam-blue");
  }

  private List<Path> leases(String dirName) throws Exception {
    Path dir = tmp.resolve(dirName);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().matches("[0-9a-f.:]+"))
          .toList();
    }
  }
}

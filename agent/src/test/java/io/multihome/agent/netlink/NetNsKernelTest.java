package io.multihome.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multihome.agent.netlink.LinkKind.Bridge;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class NetNsKernelTest {

  @Test
  void socketStaysInTargetNamespaceAndCallerIsNotMoved() throws Exception {
    Path before = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net"));
    try (var ns = new ThrowawayNetns();
        var byPath = NetNs.path(NetNs.NAMED_DIR + ns.name);
        var nl = RtNetlink.open(byPath)) {
      nl.links().add(LinkSpec.of("br-path", Bridge.defaults()));
      // visible through the other connection to the same namespace, from this thread
      assertThat(ns.nl.links().find("br-path")).isPresent();
      String inside =
          byPath.call(() -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString());
      assertThat(inside).isNotEqualTo(before.toString());
    }
    assertThat(Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net"))).isEqualTo(before);
  }

  @Test
  void opensByPidOfAProcessInside() throws Exception {
    try (var ns = new ThrowawayNetns()) {
      ns.nl.links().add(LinkSpec.of("br-pid", Bridge.defaults()));
      Process p = new ProcessBuilder("ip", "netns", "exec", ns.name, "sleep", "30").start();
      try {
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(10))
            .until(
                () ->
                    !Files.readSymbolicLink(Path.of("/proc/" + p.pid() + "/ns/net"))
                        .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net"))));
        try (var byPid = NetNs.pid((int) p.pid());
            var nl = RtNetlink.open(byPid)) {
          assertThat(nl.links().find("br-pid")).isPresent();
        }
      } finally {
        p.destroy();
        p.waitFor();
      }
    }
  }

  @Test
  void unknownNamespaceIsAReadableError() {
    assertThatThrownBy(() -> NetNs.named("mh-nl-does-not-exist"))
        .isInstanceOf(NetlinkException.class)
        .hasMessage(
            "netns open /var/run/netns/mh-nl-does-not-exist: ENOENT: No such file or directory");
    assertThatThrownBy(() -> NetNs.named("../etc")).hasMessageContaining("netns name: invalid");
  }
}

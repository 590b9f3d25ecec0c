package io.multihome.agent.cni.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.multihome.agent.cni.exec.CniCommand;
import io.multihome.agent.cni.exec.CniInvocation;
import io.multihome.agent.cni.exec.PluginExecutor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DhcpSocketInjectorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SOCKET = Path.of("/tmp/lab-node1/dhcp.sock");

  private static String inject(String config) {
    return new String(
        DhcpSocketInjector.inject(config.getBytes(StandardCharsets.UTF_8), SOCKET),
        StandardCharsets.UTF_8);
  }

  @Test
  void dhcpIpamGetsTheNodesSocket() throws Exception {
    String out =
        inject("{\"type\":\"host-device\",\"device\":\"eth1\",\"ipam\":{\"type\":\"dhcp\"}}");
    var ipam = JSON.readTree(out).path("ipam");
    assertThat(ipam.path("daemonSocketPath").asText()).isEqualTo(SOCKET.toString());
    assertThat(ipam.path("type").asText()).isEqualTo("dhcp");
    assertThat(JSON.readTree(out).path("device").asText()).isEqualTo("eth1");
  }

  @Test
  void anExplicitSocketOtherIpamAndNonDhcpConfigsAreLeftAlone() {
    for (String config :
        List.of(
            "{\"type\":\"macvlan\",\"ipam\":{\"type\":\"dhcp\",\"daemonSocketPath\":\"/run/x.sock\"}}",
            "{\"type\":\"macvlan\",\"ipam\":{\"type\":\"host-local\",\"note\":\"dhcp\"}}",
            "{\"type\":\"dhcp\"}",
            "{\"type\":\"bridge\"}",
            "not json \"dhcp\"")) {
      assertThat(inject(config)).isEqualTo(config);
    }
  }

  @Test
  void theWrapperRewritesWhatThePluginReadsAndOnlyForAnotherSocket() throws Exception {
    var seen = new ArrayList<String>();
    PluginExecutor recorder =
        (type, invocation, stdin) -> {
          seen.add(new String(stdin, StandardCharsets.UTF_8));
          return new byte[0];
        };
    assertThat(DhcpSocketInjector.wrap(recorder, null)).isSameAs(recorder);
    assertThat(DhcpSocketInjector.wrap(recorder, DhcpDaemonSupervisor.DEFAULT_SOCKET))
        .isSameAs(recorder);
    var invocation = new CniInvocation(CniCommand.ADD, "c", "/run/netns/p", "net1", "", List.of());
    DhcpSocketInjector.wrap(recorder, SOCKET)
        .exec(
            "macvlan",
            invocation,
            "{\"ipam\":{\"type\":\"dhcp\"}}".getBytes(StandardCharsets.UTF_8));
    assertThat(seen.get(0)).contains("\"daemonSocketPath\":\"" + SOCKET + "\"");
  }
}

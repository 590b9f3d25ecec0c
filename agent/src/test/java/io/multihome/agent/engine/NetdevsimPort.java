package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.multihome.testkit.KernelTier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

/**
 * A netdevsim device with one port made inside a test namespace and renamed (the kernel-VM tier:
 * the development kernel lacks netdevsim, and the test is skipped naming it). Its driver has what a
 * veth lacks: ring parameters, coalescing, pause frames, an SR-IOV VF table.
 */
final class NetdevsimPort implements AutoCloseable {
  final int id;
  final String name;

  private NetdevsimPort(int id, String name) {
    this.id = id;
    this.name = name;
  }

  static NetdevsimPort create(EngineNetns ns, String name, String why) throws Exception {
    KernelTier.require(
        Files.exists(Path.of("/sys/bus/netdevsim/new_device")),
        "netdevsim (module netdevsim), " + why);
    int id = 10_000 + new SecureRandom().nextInt(1_000_000);
    // netdevsim creates the port in the writer's namespace: write from inside the test's.
    ns.sh("sh", "-c", "echo '" + id + " 1' > /sys/bus/netdevsim/new_device");
    var port = new NetdevsimPort(id, name);
    try {
      String found = null;
      for (var l : new ObjectMapper().readTree(ns.ip("-j", "-d", "link", "show"))) {
        if (l.path("parentdev").asText().equals("netdevsim" + id)) {
          found = l.path("ifname").asText();
        }
      }
      assertThat(found).as("netdevsim%d's port", id).isNotNull();
      ns.ip("link", "set", found, "name", name);
      return port;
    } catch (Exception | AssertionError e) {
      port.close();
      throw e;
    }
  }

  @Override
  public void close() {
    EngineNetns.run(List.of("sh", "-c", "echo " + id + " > /sys/bus/netdevsim/del_device"));
  }
}

package io.multihome.kernelvm;

import java.security.SecureRandom;

/**
 * A netdevsim device with one port created inside a test namespace, so its port netdev (the "PF")
 * is born there; deleted when the namespace closes. VFs are only entries in the port's VF table:
 * {@code sriov_numvfs} lives on the bus device, not on a PCI function.
 */
final class Netdevsim {
  static final String BUS = "/sys/bus/netdevsim";
  private static final SecureRandom RANDOM = new SecureRandom();

  final int id;
  final String port;

  private Netdevsim(int id, String port) {
    this.id = id;
    this.port = port;
  }

  /** Creates the device in {@code netns}; its deletion is registered on the namespace's close. */
  static Netdevsim create(TestNetns netns) {
    // Device ids are global on the bus; a random one keeps parallel or leftover runs apart.
    int id = 10_000 + RANDOM.nextInt(1_000_000);
    // netdevsim creates the port netdev in the writer's namespace, so write from inside it.
    netns.sh("echo '" + id + " 1' > " + BUS + "/new_device").orFail();
    // Registered first so it runs before the namespace goes: a deleted namespace would hand the
    // port netdev back to the root namespace.
    netns.onClose(
        () -> Commands.run("sh", "-c", "echo " + id + " > " + BUS + "/del_device").orFail());
    for (var link : netns.ipJson("-d", "link", "show")) {
      if (link.path("parentdev").asText().equals("netdevsim" + id)) {
        return new Netdevsim(id, link.path("ifname").asText());
      }
    }
    throw new AssertionError("netdevsim" + id + " has no port netdev in " + netns.name());
  }

  String numVfsFile() {
    return BUS + "/devices/netdevsim" + id + "/sriov_numvfs";
  }

  void setNumVfs(int n) {
    Commands.run("sh", "-c", "echo " + n + " > " + numVfsFile()).orFail();
  }

  int numVfs() {
    return Integer.parseInt(Commands.run("cat", numVfsFile()).orFail().stdout().strip());
  }
}

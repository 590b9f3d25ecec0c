package io.multihome.agent.cni;

import io.multihome.agent.cni.exec.CniException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link PodNetns} with iproute2 run inside the pod namespace through {@code nsenter --net}. */
public final class IpCommandPodNetns implements PodNetns {

  private record Outcome(int exit, String output) {}

  @Override
  public java.util.Set<String> linkNames(String netns) throws CniException {
    var outcome = ip(netns, List.of("-o", "link", "show"), null);
    if (outcome.exit() != 0) {
      throw new CniException(
          CniException.IO_FAILURE, "cannot list interfaces in " + netns + ": " + outcome.output());
    }
    var names = new java.util.HashSet<String>();
    for (String line : outcome.output().split("\n")) {
      // "2: eth0@if5: <BROADCAST,...>" — the name sits between the first ": " and '@' or ':'.
      String[] parts = line.split(": ", 3);
      if (parts.length >= 2) {
        names.add(parts[1].split("@")[0]);
      }
    }
    return names;
  }

  @Override
  public void replaceDefaultRoute(String netns, String gateway, String ifname) throws CniException {
    boolean v6 = gateway.contains(":");
    // One batch so the flush and the add run back to back. onlink: a chained sbr may have moved
    // the subnet route to its own table, and the gateway is on this attachment's link anyway.
    String batch =
        "route flush exact "
            + (v6 ? "::/0" : "0.0.0.0/0")
            + "\nroute add default via "
            + gateway
            + " dev "
            + ifname
            + " onlink\n";
    var outcome = ip(netns, List.of(v6 ? "-6" : "-4", "-batch", "-"), batch);
    if (outcome.exit() != 0) {
      throw new CniException(
          CniException.IO_FAILURE,
          "cannot set default route via " + gateway + " dev " + ifname + ": " + outcome.output());
    }
  }

  @Override
  public void removeDefaultRoutes(String netns, String ifname) throws CniException {
    for (String family : List.of("-4", "-6")) {
      String prefix = family.equals("-4") ? "0.0.0.0/0" : "::/0";
      var outcome =
          ip(netns, List.of(family, "route", "flush", "exact", prefix, "dev", ifname), null);
      if (outcome.exit() != 0) {
        throw new CniException(
            CniException.IO_FAILURE,
            "cannot remove the default routes via " + ifname + ": " + outcome.output());
      }
    }
  }

  private static Outcome ip(String netns, List<String> args, String stdin) throws CniException {
    var command = new ArrayList<>(List.of("nsenter", "--net=" + netns, "--", "ip"));
    command.addAll(args);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.US_ASCII));
        }
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new CniException(CniException.TRY_AGAIN_LATER, "ip " + args + " timed out");
      }
      return new Outcome(p.exitValue(), out);
    } catch (IOException e) {
      throw new CniException(CniException.IO_FAILURE, "cannot run ip: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CniException(CniException.TRY_AGAIN_LATER, "interrupted running ip");
    }
  }
}

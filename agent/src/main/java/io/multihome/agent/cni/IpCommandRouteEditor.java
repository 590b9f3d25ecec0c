package io.multihome.agent.cni;

import io.multihome.agent.cni.exec.CniException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link PodRouteEditor} with iproute2 run inside the pod namespace. One {@code ip -batch} call so
 * the flush and the add happen back to back.
 */
public final class IpCommandRouteEditor implements PodRouteEditor {

  @Override
  public void replaceDefaultRoute(String netns, String gateway, String ifname) throws CniException {
    boolean v6 = gateway.contains(":");
    String family = v6 ? "-6" : "-4";
    String batch =
        "route flush exact "
            + (v6 ? "::/0" : "0.0.0.0/0")
            + "\nroute add default via "
            + gateway
            + " dev "
            + ifname
            // onlink: a chained sbr may have moved the subnet route to its own table, and the
            // gateway is on this attachment's link by definition.
            + " onlink\n";
    try {
      Process p =
          new ProcessBuilder(
                  List.of("nsenter", "--net=" + netns, "--", "ip", family, "-batch", "-"))
              .redirectErrorStream(true)
              .start();
      try (var in = p.getOutputStream()) {
        in.write(batch.getBytes(StandardCharsets.US_ASCII));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new CniException(
            CniException.IO_FAILURE,
            "cannot set default route via " + gateway + " dev " + ifname + ": " + out);
      }
    } catch (IOException e) {
      throw new CniException(CniException.IO_FAILURE, "cannot run ip: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CniException(CniException.TRY_AGAIN_LATER, "interrupted setting default route");
    }
  }
}

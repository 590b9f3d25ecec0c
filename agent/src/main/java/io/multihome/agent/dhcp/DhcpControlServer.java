package io.multihome.agent.dhcp;

import io.multihome.agent.control.JsonSocketServer;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link DhcpControl} on the agent's unix socket, so that {@code multihome apply} on the
 * node hands its DHCP interfaces to the running agent's {@link DhcpService}. One thread per
 * connection (an {@code await} blocks until its lease comes); connections are rare.
 */
public final class DhcpControlServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DhcpControlServer.class);

  private final JsonSocketServer server;

  private DhcpControlServer(JsonSocketServer server) {
    this.server = server;
  }

  /** Listens on {@code <stateDir>/dhcp/<label>.sock} for {@code service}'s target. */
  public static DhcpControlServer start(DhcpService service, Path stateDir) throws IOException {
    return new DhcpControlServer(
        new JsonSocketServer(
            DhcpControl.socket(stateDir, service.target()),
            DhcpControl.JSON,
            "DHCP",
            false,
            request -> DhcpControl.answer(service, request),
            log));
  }

  public Path socket() {
    return server.socket();
  }

  @Override
  public void close() {
    server.close();
  }
}

package io.multihome.agent.dot1x;

import io.multihome.agent.control.JsonSocketServer;
import io.multihome.agent.engine.PortAuth;
import io.multihome.agent.engine.Target;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link SupplicantControl} on the agent's supplicant socket: one thread per connection (an
 * {@code await} blocks until the port is authenticated); connections are rare. Errors are answered
 * by their class and message, never with a request's content (it may hold secrets).
 */
public final class SupplicantControlServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SupplicantControlServer.class);

  private final JsonSocketServer server;

  private SupplicantControlServer(JsonSocketServer server) {
    this.server = server;
  }

  /** Listens on {@code <stateDir>/8021x/<label>.sock} for {@code target}. */
  public static SupplicantControlServer start(PortAuth service, Target target, Path stateDir)
      throws IOException {
    return new SupplicantControlServer(
        new JsonSocketServer(
            SupplicantControl.socket(stateDir, target),
            SupplicantControl.JSON,
            "supplicant",
            true,
            request -> SupplicantControl.answer(service, request),
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

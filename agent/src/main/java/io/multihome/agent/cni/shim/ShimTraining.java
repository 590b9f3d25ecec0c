package io.multihome.agent.cni.shim;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * The install-time training run for the shim's AppCDS archive (multihome-cni-install): one ADD
 * through {@link CniShim#run} against a socket served here, so every class of the real request and
 * response path is loaded, as {@code main} loads it (environment, stdin, stdout). Never run by the
 * container runtime.
 */
public final class ShimTraining {

  private static final byte[] ANSWER =
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
          .getBytes(StandardCharsets.US_ASCII);

  private ShimTraining() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("multihome-cni-training");
    Path socket = dir.resolve("cni.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Thread daemon = new Thread(() -> answerOne(server), "training-daemon");
      daemon.setDaemon(true); // never keeps the JVM alive if the request did not arrive
      daemon.start();
      var env = new HashMap<>(System.getenv());
      env.put("CNI_COMMAND", "ADD");
      env.put(CniShim.SOCKET_ENV, socket.toString());
      int code = CniShim.run(env, System.in.readAllBytes(), System.out);
      System.out.flush();
      if (code != 0) {
        throw new IllegalStateException("training request failed");
      }
      daemon.join();
    } finally {
      Files.deleteIfExists(socket);
      Files.delete(dir);
    }
  }

  private static void answerOne(ServerSocketChannel server) {
    try (SocketChannel client = server.accept()) {
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (client.read(buffer) > 0 && !requestComplete(buffer)) {
        // keep reading until the (small) body is in
      }
      ByteBuffer answer = ByteBuffer.wrap(ANSWER);
      while (answer.hasRemaining()) {
        client.write(answer);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The shim sends head and body and then waits: done once the body's length has arrived. */
  private static boolean requestComplete(ByteBuffer buffer) {
    String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
    int split = text.indexOf("\r\n\r\n");
    int at = text.indexOf("Content-Length: ");
    if (split < 0 || at < 0) {
      return false;
    }
    int length = Integer.parseInt(text.substring(at + 16, text.indexOf('\r', at)));
    return buffer.position() - (split + 4) >= length;
  }
}

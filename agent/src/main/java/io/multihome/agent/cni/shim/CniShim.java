package io.multihome.agent.cni.shim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code multihome-cni} binary the container runtime execs. It forwards CNI_* + stdin to the
 * agent daemon over a unix socket (one HTTP/1.1 POST, JSON body) and prints the answer. JDK-only,
 * no logging, no JSON library: every class loaded here costs start-up time on each pod sandbox. For
 * the same reason strings are built with StringBuilder: javac compiles {@code +} to invokedynamic,
 * whose bootstrap spins method handles at start-up (~tens of ms on a loaded node).
 */
public final class CniShim {

  /** Overrides the socket path (the wrapper script sets it from its install-time default). */
  public static final String SOCKET_ENV = "MULTIHOME_CNI_SOCKET";

  public static final String DEFAULT_SOCKET = "/run/multihome/cni.sock";

  /**
   * Overrides the IPAM socket: where the shim sends calls when it runs as {@code whereabouts} (a
   * main plugin exec'ing it as its IPAM). A separate socket, so IPAM calls made while an ADD holds
   * one of the attachment daemon's request slots never wait for a slot themselves.
   */
  public static final String IPAM_SOCKET_ENV = "MULTIHOME_IPAM_SOCKET";

  public static final String DEFAULT_IPAM_SOCKET = "/run/multihome/ipam.sock";

  /** The name it is installed under as an IPAM plugin (the runtime finds it by {@code type}). */
  public static final String WHEREABOUTS = "whereabouts";

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CniShim() {}

  /**
   * {@code args[0]}: the name the wrapper was exec'ed as ({@code multihome-cni} or {@code
   * whereabouts}); the wrapper passes it because the JVM cannot see its own argv[0].
   */
  public static void main(String[] args) throws IOException {
    byte[] stdin = System.in.readAllBytes();
    int code = run(args.length > 0 ? args[0] : "", System.getenv(), stdin, System.out);
    System.out.flush();
    System.exit(code);
  }

  /** One CNI call as {@code multihome-cni}; returns the exit code. */
  public static int run(Map<String, String> env, byte[] stdin, PrintStream out) {
    return run("", env, stdin, out);
  }

  /**
   * One CNI call; {@code invokedAs} {@code whereabouts} makes it the IPAM plugin. Returns the exit
   * code. Public for in-process measurement in tests.
   */
  public static int run(String invokedAs, Map<String, String> env, byte[] stdin, PrintStream out) {
    boolean ipam = WHEREABOUTS.equals(invokedAs);
    String command = env.getOrDefault("CNI_COMMAND", "");
    if (command.equals("VERSION")) {
      // Answered locally so the runtime can probe the plugin even while the daemon is down.
      out.print(
          ipam
              ? "{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"0.1.0\",\"0.2.0\","
                  + "\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}"
              : "{\"cniVersion\":\"1.0.0\",\"supportedVersions\":"
                  + "[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}");
      return 0;
    }
    String socket =
        ipam
            ? env.getOrDefault(IPAM_SOCKET_ENV, DEFAULT_IPAM_SOCKET)
            : env.getOrDefault(SOCKET_ENV, DEFAULT_SOCKET);
    try {
      byte[] response = post(Path.of(socket), requestBody(env, stdin));
      return printResponse(response, out);
    } catch (IOException e) {
      String msg =
          new StringBuilder("multihome agent unreachable at ")
              .append(socket)
              .append(": ")
              .append(e.getMessage())
              .toString();
      out.print(
          new StringBuilder("{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":")
              .append(quote(msg))
              .append('}'));
      return 1;
    }
  }

  static String requestBody(Map<String, String> env, byte[] stdin) {
    var json = new StringBuilder("{\"env\":{");
    boolean first = true;
    for (var e : new TreeMap<>(env).entrySet()) {
      if (!e.getKey().startsWith("CNI_")) {
        continue; // the daemon needs nothing else; keeps secrets in the env out of the request
      }
      json.append(first ? "" : ",")
          .append(quote(e.getKey()))
          .append(':')
          .append(quote(e.getValue()));
      first = false;
    }
    json.append("},\"config\":").append(quote(new String(stdin, StandardCharsets.UTF_8)));
    return json.append('}').toString();
  }

  static byte[] post(Path socket, String body) throws IOException {
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    String head =
        new StringBuilder(
                "POST /cni HTTP/1.1\r\nHost: multihome\r\nContent-Type: application/json\r\n")
            .append("Content-Length: ")
            .append(payload.length)
            .append("\r\nConnection: close\r\n\r\n")
            .toString();
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      writeAll(channel, head.getBytes(StandardCharsets.US_ASCII));
      writeAll(channel, payload);
      var received = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        received.write(buffer.array(), 0, buffer.limit());
        buffer.clear();
      }
      return received.toByteArray();
    }
  }

  /** Prints the body; exit 0 for HTTP 200, 1 otherwise (the body is then a CNI error object). */
  static int printResponse(byte[] response, PrintStream out) throws IOException {
    String text = new String(response, StandardCharsets.UTF_8);
    int split = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 ") || split < 0) {
      throw new IOException("malformed response from the agent");
    }
    int status = Integer.parseInt(text.substring(9, 12));
    out.print(text.substring(split + 4));
    return status == 200 ? 0 : 1;
  }

  static String quote(String s) {
    var out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static void writeAll(SocketChannel channel, byte[] data) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(data);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}

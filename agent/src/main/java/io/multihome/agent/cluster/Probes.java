package io.multihome.agent.cluster;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The default probes (gateway ping, DNS via the node's resolvers, API-server reachability), all run
 * from inside the node's network namespace with short timeouts.
 */
public final class Probes {
  private Probes() {}

  /** One probe per default gateway and resolver, plus the API server when its URL is known. */
  public static List<NodeProbe> defaults(
      NodeNetwork net, String apiServerUrl, String dnsName, Duration timeout) {
    var facts = net.facts();
    var out = new ArrayList<NodeProbe>();
    for (var gw : facts.defaultGateways()) {
      out.add(new GatewayPing(net, gw, timeout));
    }
    for (var r : facts.resolvers()) {
      out.add(new DnsQuery(net, r, dnsName, timeout));
    }
    if (apiServerUrl != null) {
      var uri = URI.create(apiServerUrl);
      int port = uri.getPort() > 0 ? uri.getPort() : "http".equals(uri.getScheme()) ? 80 : 443;
      out.add(new ApiServerConnect(net, uri.getHost(), port, timeout));
    }
    return out;
  }

  /** ICMP echo to a default gateway (InetAddress.isReachable uses ICMP when run as root). */
  record GatewayPing(NodeNetwork net, InetAddress gateway, Duration timeout) implements NodeProbe {
    @Override
    public String name() {
      return "gateway-ping";
    }

    @Override
    public String target() {
      return "ping " + gateway.getHostAddress();
    }

    @Override
    public String check() throws Exception {
      boolean ok = net.inNodeNamespace(() -> gateway.isReachable((int) timeout.toMillis()));
      return ok ? null : "default gateway " + gateway.getHostAddress() + " does not answer ping";
    }
  }

  /**
   * One DNS query (type A) to a resolver; any well-formed answer with our id counts, NXDOMAIN
   * included: the probe asks whether the resolver is reachable, not whether an external name exists
   * (upstream's probe of a public name fails on air-gapped clusters: knm#1164, #1360).
   */
  record DnsQuery(NodeNetwork net, InetAddress resolver, String name, Duration timeout)
      implements NodeProbe {
    @Override
    public String name() {
      return "dns";
    }

    @Override
    public String target() {
      return "dns " + resolver.getHostAddress() + " " + name;
    }

    @Override
    public String check() throws Exception {
      return net.inNodeNamespace(this::query);
    }

    private String query() throws Exception {
      int id = ThreadLocalRandom.current().nextInt(1 << 16);
      byte[] q = encode(id, name);
      try (var socket = new DatagramSocket()) {
        socket.setSoTimeout((int) timeout.toMillis());
        socket.send(new DatagramPacket(q, q.length, new InetSocketAddress(resolver, 53)));
        var buf = new byte[512];
        var reply = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(reply);
        } catch (java.net.SocketTimeoutException e) {
          return "resolver " + resolver.getHostAddress() + " did not answer";
        }
        if (reply.getLength() < 12 || ((buf[0] & 0xff) << 8 | (buf[1] & 0xff)) != id) {
          return "resolver " + resolver.getHostAddress() + " sent a malformed answer";
        }
        return null;
      }
    }

    static byte[] encode(int id, String name) {
      var b = ByteBuffer.allocate(18 + name.length() + 2);
      b.putShort((short) id).putShort((short) 0x0100).putShort((short) 1);
      b.putShort((short) 0).putShort((short) 0).putShort((short) 0);
      for (var label : name.split("\\.")) {
        if (label.isEmpty()) {
          continue;
        }
        var bytes = label.getBytes(StandardCharsets.US_ASCII);
        b.put((byte) bytes.length).put(bytes);
      }
      b.put((byte) 0).putShort((short) 1).putShort((short) 1);
      var out = new byte[b.position()];
      b.flip().get(out);
      return out;
    }
  }

  /** A TCP connection to the API server (the status write after the change needs it). */
  record ApiServerConnect(NodeNetwork net, String host, int port, Duration timeout)
      implements NodeProbe {
    @Override
    public String name() {
      return "api-server";
    }

    @Override
    public String target() {
      return "connect " + host + ":" + port;
    }

    @Override
    public String check() throws Exception {
      return net.inNodeNamespace(
          () -> {
            try (var s = new Socket()) {
              s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
              return null;
            } catch (java.io.IOException e) {
              return "API server " + host + ":" + port + " unreachable: " + e.getMessage();
            }
          });
    }
  }
}

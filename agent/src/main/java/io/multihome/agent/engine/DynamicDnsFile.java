package io.multihome.agent.engine;

import io.multihome.state.DnsConfig;
import java.nio.charset.StandardCharsets;

/**
 * The resolver file's dynamic part, for the DHCP service: servers and search domains learned from
 * leases (auto-dns) follow the static ones ({@code dns-resolver.config}) and are named on a
 * trailing {@code # multihome dhcp:} line, so the engine reads back only the static part and keeps
 * the dynamic one when it writes static DNS.
 */
public final class DynamicDnsFile {
  private DynamicDnsFile() {}

  /**
   * Makes the dynamic part of {@code target}'s file {@code dynamic}; no write when it already is.
   */
  public static synchronized void update(Target target, DnsConfig dynamic) {
    var text = ResolvConf.readText(target);
    var now = ResolvConf.dynamic(text);
    boolean none = dynamic.server().isEmpty() && dynamic.search().isEmpty();
    if (none && now.server().isEmpty() && now.search().isEmpty()) {
      // Nothing learned and nothing of ours in the file: leave the file as its owner wrote it.
      return;
    }
    var rendered = ResolvConf.render(ResolvConf.withoutDynamic(text), dynamic);
    if (!rendered.equals(text)) {
      ResolvConfFile.write(target.resolvConf(), rendered.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The servers and search domains a DHCP client added to {@code target}'s file. */
  public static DnsConfig read(Target target) {
    return ResolvConf.dynamic(ResolvConf.readText(target));
  }
}

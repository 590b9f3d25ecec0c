package io.multihome.agent.engine;

import io.multihome.state.DesiredState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * nmstate's {@code hostname}: {@code running} is the kernel's host name (sethostname), {@code
 * config} the static one in the host name file ({@code ""}: none, the name then comes from DHCP or
 * the kernel).
 *
 * <p><b>Decision.</b> The host name belongs to the UTS namespace, not to the network namespace:
 * every namespace made by {@code ip netns add} shares the machine's. So:
 *
 * <ul>
 *   <li>On a node (the agent in its host-network pod, which shares the node's UTS namespace, or
 *       {@code multihome apply} without {@code --netns}) {@code running} is set in the process's
 *       UTS namespace and {@code config} goes to {@code /etc/hostname} ({@code
 *       $MULTIHOME_HOSTNAME_FILE} when the host's /etc is mounted elsewhere, as for resolv.conf).
 *   <li>For a named network namespace {@code config} goes to {@code /etc/netns/NAME/hostname},
 *       which {@code ip netns exec} bind-mounts over /etc/hostname (an empty file when {@code ""},
 *       so the namespace sees none), and {@code running} is changed only when the calling thread
 *       has a UTS namespace of its own (tests unshare one); otherwise it is refused, so that
 *       applying to a namespace can never rename the machine.
 * </ul>
 */
final class HostnamePlanner {
  static final Path DEFAULT_FILE = Path.of("/etc/hostname");
  private static final Path RUNNING = Path.of("/proc/sys/kernel/hostname");
  private static final int HOST_NAME_MAX = 64;

  private HostnamePlanner() {}

  /** The static host name file of {@code target}. */
  static Path file(Target target) {
    if (target.netns() != null) {
      return Path.of("/etc/netns", target.netns(), "hostname");
    }
    var env = System.getenv("MULTIHOME_HOSTNAME_FILE");
    return env == null || env.isEmpty() ? DEFAULT_FILE : Path.of(env);
  }

  /** Why {@code running} may not be changed for {@code target}, or null when it may. */
  static String refusal(Target target) {
    if (target.netns() == null || ownUtsNamespace()) {
      return null;
    }
    return "the host name belongs to the UTS namespace, which network namespace "
        + target.netns()
        + " shares with the whole machine: the engine does not rename the machine for a"
        + " namespace (run it on the node, or in a UTS namespace of its own)";
  }

  /**
   * Whether the calling thread's UTS namespace is not the machine's: the thread unshared one of its
   * own (it differs from the process's), or the process runs in one ({@code unshare --uts}; it
   * differs from PID 1's, where that is readable).
   */
  static boolean ownUtsNamespace() {
    var self = uts("/proc/thread-self/ns/uts");
    if (self == null) {
      return false;
    }
    var process = uts("/proc/self/ns/uts");
    var init = uts("/proc/1/ns/uts");
    return !self.equals(process) || (init != null && !self.equals(init));
  }

  private static Path uts(String link) {
    try {
      return Files.readSymbolicLink(Path.of(link));
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null;
    }
  }

  /** The running host name and the static one {@code target}'s processes see. */
  static NodeExtras.Hostnames read(Target target) {
    String running;
    try {
      running = Files.readString(RUNNING).strip();
    } catch (IOException e) {
      running = null;
    }
    var own = file(target);
    var seen = target.netns() != null && !Files.exists(own) ? file(Target.of(null)) : own;
    String config = "";
    try {
      if (Files.exists(seen)) {
        config = Files.readString(seen).strip();
      }
    } catch (IOException e) {
      config = null;
    }
    return new NodeExtras.Hostnames(running, config);
  }

  /** Plans the desired host names against {@code ctx}'s node. */
  static void plan(DesiredState desired, PlanContext ctx) {
    var h = desired.hostname();
    if (h == null || (h.running() == null && h.config() == null)) {
      return;
    }
    var extras = ctx.snapshot().extras();
    var env = extras.env();
    var have = extras.hostname();
    if (env == null || have == null) {
      ctx.problem("hostname", "the engine was not given the node's host name files");
      return;
    }
    if (h.running() != null && !h.running().equals(have.running())) {
      var bad = invalid(h.running());
      if (bad != null) {
        ctx.problem("hostname.running", bad);
      } else if (env.hostnameRefusal() != null) {
        ctx.problem("hostname.running", env.hostnameRefusal());
      } else {
        ctx.add(
            new OptionOps.SetHostname(
                h.running(),
                new Op.Diff("hostname.running", h.running(), String.valueOf(have.running()))));
      }
    }
    if (h.config() != null && !h.config().equals(have.config())) {
      if (!h.config().isEmpty() && invalid(h.config()) != null) {
        ctx.problem("hostname.config", invalid(h.config()));
        return;
      }
      // "" removes the static name; a namespace gets an empty file so it sees none.
      byte[] content =
          h.config().isEmpty()
              ? (env.netns() == null ? null : new byte[0])
              : (h.config() + "\n").getBytes(StandardCharsets.UTF_8);
      ctx.add(
          new OptionOps.WriteFile(
              env.hostnameFile(),
              content,
              h.config().isEmpty() ? "(no static host name)" : h.config(),
              new Op.Diff("hostname.config", "'" + h.config() + "'", "'" + have.config() + "'")));
    }
  }

  private static String invalid(String name) {
    if (name.isEmpty()) {
      return "cannot set an empty running host name";
    }
    if (name.length() >= HOST_NAME_MAX) {
      return "'" + name + "' is too long: a host name has fewer than " + HOST_NAME_MAX + " bytes";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c == '/' || c > '~') {
        return "'" + name + "' contains a character a host name cannot have";
      }
    }
    return null;
  }

  /** Sets the calling thread's UTS namespace's host name. */
  static void setRunning(String name) {
    try {
      Files.writeString(RUNNING, name, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("sethostname " + name + ": " + e.getMessage(), e);
    }
  }
}

package io.multihome.agent.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * nmstate's bond option {@code balance-slb} (source-load-balancing on a balance-xor bond hashing by
 * VLAN and source MAC), which the kernel lacks: like NetworkManager, an nftables table of family
 * {@code netdev} per bond. The bond's egress records each source MAC it sends (kept 5 s); every
 * port drops frames arriving with such a source MAC (the switch looped our own frame back), and
 * every port but one (the active one: {@code primary}, else the first port listed) drops broadcast
 * and multicast, so a flooded frame is received once.
 *
 * <p>The table is named {@code multihome-slb-BOND}, so it is found again by its bond. Its listing
 * is rendered in the form {@code nft list table} prints, so verification compares the kernel's
 * listing with the rendering line by line.
 */
final class BondSlb {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BondSlb.class);

  private BondSlb() {}

  static final String PREFIX = "multihome-slb-";

  /** Names nftables takes unquoted as a table name, and interface names we can hook by. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  private static final Pattern DEVICE =
      Pattern.compile("type filter hook ingress device \"([^\"]+)\"");

  /** How long a sent source MAC counts as ours (NetworkManager keeps it a few seconds too). */
  static final int LEARN_SECONDS = 5;

  static String table(String bond) {
    return PREFIX + bond;
  }

  /** Why {@code name} cannot name a table or hook (null when it can). */
  static String unusableName(String name) {
    return NAME.matcher(name).matches()
        ? null
        : "balance-slb needs interface names of letters, digits, '_', '.' and '-' (nftables"
            + " names its table and hooks by them): "
            + name;
  }

  /**
   * The table for {@code bond} with {@code ports} (in port order), {@code active} receiving
   * broadcast and multicast; in {@code nft list table}'s form.
   */
  static String render(String bond, List<String> ports, String active) {
    var sb = new StringBuilder();
    sb.append("table netdev ").append(table(bond)).append(" {\n");
    sb.append("\tset tx-macs {\n");
    sb.append("\t\ttype ether_addr\n");
    sb.append("\t\tsize 65535\n");
    sb.append("\t\tflags dynamic,timeout\n");
    sb.append("\t}\n\n");
    sb.append("\tchain tx {\n");
    hook(sb, "egress", bond);
    sb.append("\t\tupdate @tx-macs { ether saddr timeout ").append(LEARN_SECONDS).append("s }\n");
    sb.append("\t}\n");
    for (int i = 0; i < ports.size(); i++) {
      var port = ports.get(i);
      sb.append("\n\tchain rx-").append(i).append(" {\n");
      hook(sb, "ingress", port);
      sb.append("\t\tether saddr @tx-macs drop\n");
      if (!port.equals(active)) {
        sb.append("\t\tmeta pkttype { broadcast, multicast } drop\n");
      }
      sb.append("\t}\n");
    }
    sb.append("}\n");
    return sb.toString();
  }

  private static void hook(StringBuilder sb, String hook, String dev) {
    sb.append("\t\ttype filter hook ")
        .append(hook)
        .append(" device \"")
        .append(dev)
        .append("\" priority filter; policy accept;\n");
  }

  /**
   * The nft script that makes {@code bond}'s table exactly {@code listing} (null: removes it), in
   * one transaction: the table is declared first so the delete never fails on a missing one.
   */
  static String script(String bond, String listing) {
    var t = table(bond);
    var s = "table netdev " + t + " {}\ndelete table netdev " + t + "\n";
    return listing == null ? s : s + listing;
  }

  /** The ports a listing hooks (in chain order) and the one not dropping broadcast/multicast. */
  record Hooked(List<String> ports, String active) {}

  /** What {@code listing} hooks, or null when it is not a table {@link #render} makes. */
  static Hooked parse(String bond, String listing) {
    var ports = new ArrayList<String>();
    String active = null;
    String current = null;
    boolean drops = false;
    for (var line : listing.split("\n")) {
      var t = line.strip();
      if (t.startsWith("chain rx-")) {
        current = null;
        drops = false;
      }
      var m = DEVICE.matcher(t);
      if (m.find()) {
        current = m.group(1);
        ports.add(current);
      } else if (t.startsWith("meta pkttype") && current != null) {
        drops = true;
      } else if (t.equals("}") && current != null) {
        if (!drops) {
          active = active == null ? current : active;
        }
        current = null;
      }
    }
    var h = new Hooked(List.copyOf(ports), active);
    return same(listing, render(bond, h.ports(), active)) ? h : null;
  }

  /** Whether two listings say the same, line by line (indentation and blank lines aside). */
  static boolean same(String a, String b) {
    return normal(a).equals(normal(b));
  }

  private static List<String> normal(String s) {
    return s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /**
   * The balance-slb tables of the namespace ({@code netns}, null: the process's), by bond name:
   * their listings without the set's elements ({@code -t}: the MACs learned come and go). Empty
   * when there are none, or when nft cannot list them (then none of ours can exist).
   */
  static Map<String, String> read(String netns) {
    var out = new LinkedHashMap<String, String>();
    String text;
    try {
      text = nft(netns, List.of("-t", "list", "ruleset", "netdev"), null);
    } catch (UncheckedIOException e) {
      // No nft, or a kernel without nftables: no table of ours can exist. A bond that asks for
      // balance-slb then fails when its table is loaded, with nft's message.
      log.debug("no nftables netdev tables read: {}", e.getMessage());
      return out;
    }
    String bond = null;
    var sb = new StringBuilder();
    for (var line : text.split("\n", -1)) {
      if (line.startsWith("table netdev ")) {
        var name = line.substring("table netdev ".length()).replace(" {", "").strip();
        bond = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : null;
        sb.setLength(0);
      }
      if (bond != null) {
        sb.append(line).append('\n');
        if (line.equals("}")) {
          out.put(bond, sb.toString());
          bond = null;
        }
      }
    }
    return out;
  }

  /** Runs {@link #script} for {@code bond} in {@code netns}. */
  static void load(String netns, String bond, String listing) {
    nft(netns, List.of("-f", "-"), script(bond, listing));
  }

  private static String nft(String netns, List<String> args, String stdin) {
    var cmd = new ArrayList<String>();
    if (netns != null) {
      cmd.addAll(List.of("ip", "netns", "exec", netns));
    }
    cmd.add("nft");
    cmd.addAll(args);
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run nft: " + e.getMessage(), e);
    }
    try {
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new UncheckedIOException(new IOException("nft did not finish within 10 s"));
      }
      if (p.exitValue() != 0) {
        throw new UncheckedIOException(
            new IOException("nft " + String.join(" ", args) + " failed: " + out.strip()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted running nft"));
    }
  }
}

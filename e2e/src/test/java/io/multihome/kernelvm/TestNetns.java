package io.multihome.kernelvm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A throwaway network namespace named {@code mh-kvm-<random>}: everything a kernel test changes
 * happens inside it, and {@link #close()} deletes it (and so every link created in it).
 */
public final class TestNetns implements AutoCloseable {

  public static final String PREFIX = "mh-kvm-";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final List<Runnable> cleanups = new ArrayList<>();
  private boolean closed;

  private TestNetns(String name) {
    this.name = name;
  }

  /** Creates the namespace; fails with the command's error when that is impossible. */
  public static TestNetns create() {
    return create(PREFIX);
  }

  /** As {@link #create()}, named {@code prefix<random>} (each suite's own {@code mh-<tag>-}). */
  public static TestNetns create(String prefix) {
    var bytes = new byte[4];
    RANDOM.nextBytes(bytes);
    var name = prefix + HexFormat.of().formatHex(bytes);
    var result = Commands.run("ip", "netns", "add", name);
    if (!result.ok()) {
      throw new AssertionError("cannot create a network namespace: " + result.describe());
    }
    var netns = new TestNetns(name);
    // A fresh namespace's loopback is down; tests expect a normal namespace.
    netns.ip("link", "set", "lo", "up");
    return netns;
  }

  public String name() {
    return name;
  }

  /** Runs {@code ip -n <ns> args...} and fails the test if it fails. */
  public CommandResult ip(String... args) {
    return tryIp(args).orFail();
  }

  /** Runs {@code ip -n <ns> args...} and returns the result whatever it is. */
  public CommandResult tryIp(String... args) {
    return Commands.run(prefixed(List.of("ip", "-n", name), args));
  }

  /** Runs {@code ip -n <ns> -j args...} and parses its JSON output. */
  public JsonNode ipJson(String... args) {
    return parse(Commands.run(prefixed(List.of("ip", "-n", name, "-j"), args)).orFail());
  }

  /** Runs {@code bridge -n <ns> args...}. */
  public CommandResult bridge(String... args) {
    return Commands.run(prefixed(List.of("bridge", "-n", name), args)).orFail();
  }

  /** Runs {@code bridge -n <ns> -j args...} and parses its JSON output. */
  public JsonNode bridgeJson(String... args) {
    return parse(Commands.run(prefixed(List.of("bridge", "-n", name, "-j"), args)).orFail());
  }

  /** Runs {@code sh -c script} inside the namespace (for sysfs writes that must happen there). */
  public CommandResult sh(String script) {
    return Commands.run("ip", "netns", "exec", name, "sh", "-c", script);
  }

  /** Registers a cleanup that must run before the namespace is deleted (LIFO). */
  public void onClose(Runnable cleanup) {
    cleanups.add(cleanup);
  }

  /** The JSON object {@code ip -d link show} reports for one link. */
  public JsonNode link(String ifname) {
    var links = ipJson("-d", "link", "show", "dev", ifname);
    if (!links.isArray() || links.size() != 1) {
      throw new AssertionError("expected one link " + ifname + " in " + name + ", got " + links);
    }
    return links.get(0);
  }

  /** Whether a link of that name exists in the namespace. */
  public boolean hasLink(String ifname) {
    return tryIp("link", "show", "dev", ifname).ok();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Throwable first = null;
    for (int i = cleanups.size() - 1; i >= 0; i--) {
      try {
        cleanups.get(i).run();
      } catch (RuntimeException | AssertionError e) {
        first = first == null ? e : first;
      }
    }
    var deleted = Commands.run("ip", "netns", "del", name);
    if (!deleted.ok() && first == null) {
      first = new AssertionError(deleted.describe());
    }
    if (first instanceof RuntimeException e) {
      throw e;
    }
    if (first instanceof AssertionError e) {
      throw e;
    }
  }

  private static List<String> prefixed(List<String> head, String... args) {
    var command = new ArrayList<>(head);
    command.addAll(List.of(args));
    return command;
  }

  private static JsonNode parse(CommandResult result) {
    try {
      return JSON.readTree(result.stdout().isBlank() ? "[]" : result.stdout());
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON from " + result.describe() + ": " + result.stdout(), e);
    }
  }
}

package io.multihome.agent.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.netlink.IpPrefix;
import io.multihome.agent.netlink.Link;
import io.multihome.agent.netlink.LinkKind;
import io.multihome.agent.netlink.LinkSpec;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.agent.netlink.Rtnl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Interim {@link NodeNetwork} on rtnetlink that understands only {@code linux-bridge} interfaces
 * (state up/absent, static IPv4/IPv6 addresses), with a checkpoint file and rollback. It exists so
 * the whole agent loop runs for real before the node state engine is merged; the engine adapter
 * replaces it. Anything else in a desired state is rejected, naming the field.
 */
public final class NetlinkBridgeNetwork implements NodeNetwork {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAIN_TABLE = 254;

  /** Fault injection for tests: called before each kernel operation. */
  public interface Hooks {
    Hooks NONE = (position, op) -> {};

    void beforeOp(int position, String op);
  }

  private final String netns;
  private final Path checkpoint;
  private final Hooks hooks;
  private final RtNetlink nl;

  public NetlinkBridgeNetwork(String netns, Path stateDir, Hooks hooks) {
    this.netns = netns;
    this.checkpoint = stateDir.resolve("checkpoint-" + (netns == null ? "host" : netns) + ".json");
    this.hooks = hooks;
    this.nl = netns == null ? RtNetlink.open() : RtNetlink.openNamed(netns);
  }

  /** One planned kernel change and its undo record. */
  private record Step(String description, Runnable action) {}

  @Override
  public ApplyOutcome apply(ObjectNode desiredState, List<NodeProbe> probes) {
    if (Files.exists(checkpoint)) {
      // Not the desired state's fault: retryable, the node was not touched.
      return new ApplyOutcome.RolledBack("a checkpoint is pending: " + checkpoint, List.of());
    }
    List<Wanted> wanted;
    try {
      wanted = parse(desiredState);
    } catch (IllegalArgumentException e) {
      return new ApplyOutcome.Rejected(e.getMessage());
    }
    var undo = JSON.createObjectNode();
    var steps = plan(wanted, undo);
    var changes = steps.stream().map(Step::description).toList();
    if (steps.isEmpty()) {
      return new ApplyOutcome.Applied(List.of());
    }
    writeCheckpoint(undo);
    String failure = null;
    try {
      for (int i = 0; i < steps.size(); i++) {
        hooks.beforeOp(i, steps.get(i).description());
        steps.get(i).action().run();
      }
      failure = verify(wanted);
      for (int i = 0; failure == null && i < probes.size(); i++) {
        failure = probe(probes.get(i));
      }
    } catch (RuntimeException e) {
      failure = e.getMessage() == null ? e.toString() : e.getMessage();
    }
    if (failure == null) {
      deleteCheckpoint();
      return new ApplyOutcome.Applied(changes);
    }
    var left = restore(undo);
    if (!left.isEmpty()) {
      return new ApplyOutcome.RollbackFailed(failure, changes, left);
    }
    deleteCheckpoint();
    return new ApplyOutcome.RolledBack(failure, changes);
  }

  private static String probe(NodeProbe p) {
    try {
      var why = p.check();
      return why == null ? null : "probe " + p.name() + " failed: " + why;
    } catch (Exception e) {
      return "probe " + p.name() + " failed: " + e;
    }
  }

  record Wanted(String name, boolean absent, List<IpPrefix> addresses) {}

  static List<Wanted> parse(ObjectNode desired) {
    var out = new ArrayList<Wanted>();
    var ifaces = desired.path("interfaces");
    for (int i = 0; i < ifaces.size(); i++) {
      var iface = ifaces.get(i);
      var at = "interfaces[" + i + "]";
      var name = iface.path("name").asText("");
      if (name.isEmpty()) {
        throw new IllegalArgumentException(at + ".name: required");
      }
      var state = iface.path("state").asText("up");
      var type = iface.path("type").asText("");
      if (!"absent".equals(state) && !"linux-bridge".equals(type)) {
        throw new IllegalArgumentException(
            at
                + ".type: '"
                + type
                + "' is not supported (interim agent network: linux-bridge only)");
      }
      if (!"up".equals(state) && !"absent".equals(state)) {
        throw new IllegalArgumentException(at + ".state: '" + state + "' (up or absent)");
      }
      var addrs = new ArrayList<IpPrefix>();
      for (var family : List.of("ipv4", "ipv6")) {
        var list = iface.path(family).path("address");
        for (int j = 0; j < list.size(); j++) {
          var a = list.get(j);
          try {
            addrs.add(
                new IpPrefix(
                    IpPrefix.parseAddress(a.path("ip").asText()), a.path("prefix-length").asInt()));
          } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                at + "." + family + ".address[" + j + "]: " + e.getMessage());
          }
        }
      }
      out.add(new Wanted(name, "absent".equals(state), addrs));
    }
    return out;
  }

  private List<Step> plan(List<Wanted> wanted, ObjectNode undo) {
    var created = undo.putArray("created");
    var deleted = undo.putArray("deleted");
    var added = undo.putArray("added");
    var steps = new ArrayList<Step>();
    for (var w : wanted) {
      var link = nl.links().find(w.name());
      if (w.absent()) {
        if (link.isPresent()) {
          var d = deleted.addObject().put("name", w.name());
          var a = d.putArray("addresses");
          addressesOf(link.get().index()).forEach(p -> a.add(p.toString()));
          steps.add(new Step("delete " + w.name(), () -> nl.links().delete(w.name())));
        }
        continue;
      }
      var have = link.map(l -> addressesOf(l.index())).orElse(List.of());
      if (link.isEmpty()) {
        created.add(w.name());
        steps.add(
            new Step(
                "create linux-bridge " + w.name(),
                () ->
                    nl.links()
                        .add(LinkSpec.of(w.name(), LinkKind.Bridge.defaults()).withUp(true))));
      } else if (!link.get().isUp()) {
        steps.add(new Step("set " + w.name() + " up", () -> nl.links().setUp(w.name())));
      }
      for (var p : w.addresses()) {
        if (!have.contains(p)) {
          if (link.isPresent()) {
            added.addObject().put("name", w.name()).put("address", p.toString());
          }
          steps.add(
              new Step(
                  "add " + p + " to " + w.name(),
                  () -> nl.addresses().add(nl.links().get(w.name()).index(), p)));
        }
      }
    }
    return steps;
  }

  private String verify(List<Wanted> wanted) {
    var diffs = new ArrayList<String>();
    for (var w : wanted) {
      var link = nl.links().find(w.name());
      if (w.absent()) {
        link.ifPresent(l -> diffs.add(w.name() + " still exists"));
        continue;
      }
      if (link.isEmpty()) {
        diffs.add(w.name() + " missing");
        continue;
      }
      var have = addressesOf(link.get().index());
      w.addresses().stream()
          .filter(p -> !have.contains(p))
          .forEach(p -> diffs.add(w.name() + " lacks " + p));
    }
    return diffs.isEmpty() ? null : "verification failed: " + String.join("; ", diffs);
  }

  /** Undoes what {@code undo} records; returns what could not be restored. */
  private List<String> restore(JsonNode undo) {
    var left = new ArrayList<String>();
    for (var c : undo.path("created")) {
      var name = c.asText();
      try {
        if (nl.links().find(name).isPresent()) {
          nl.links().delete(name);
        }
      } catch (RuntimeException e) {
        left.add(name + " not deleted: " + e.getMessage());
      }
    }
    for (var a : undo.path("added")) {
      var name = a.path("name").asText();
      var p = IpPrefix.parse(a.path("address").asText());
      try {
        var link = nl.links().find(name);
        if (link.isPresent() && addressesOf(link.get().index()).contains(p)) {
          nl.addresses().delete(link.get().index(), p);
        }
      } catch (RuntimeException e) {
        left.add(p + " not removed from " + name + ": " + e.getMessage());
      }
    }
    for (var d : undo.path("deleted")) {
      var name = d.path("name").asText();
      try {
        if (nl.links().find(name).isEmpty()) {
          nl.links().add(LinkSpec.of(name, LinkKind.Bridge.defaults()).withUp(true));
        }
        int index = nl.links().get(name).index();
        for (var p : d.path("addresses")) {
          var prefix = IpPrefix.parse(p.asText());
          if (!addressesOf(index).contains(prefix)) {
            nl.addresses().add(index, prefix);
          }
        }
      } catch (RuntimeException e) {
        left.add(name + " not recreated: " + e.getMessage());
      }
    }
    return left;
  }

  private List<IpPrefix> addressesOf(int index) {
    return nl.addresses().list(index).stream().map(a -> a.local()).toList();
  }

  @Override
  public Optional<String> recoverLeftoverCheckpoint() {
    if (!Files.exists(checkpoint)) {
      return Optional.empty();
    }
    JsonNode undo;
    try {
      undo = JSON.readTree(checkpoint.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable checkpoint " + checkpoint, e);
    }
    var left = restore(undo);
    if (!left.isEmpty()) {
      return Optional.of("rollback of " + checkpoint + " incomplete: " + String.join("; ", left));
    }
    deleteCheckpoint();
    return Optional.of("rolled back " + checkpoint + " (" + undo + ")");
  }

  private void writeCheckpoint(ObjectNode undo) {
    try {
      Files.createDirectories(checkpoint.getParent());
      var tmp = checkpoint.resolveSibling(checkpoint.getFileName() + ".tmp");
      Files.write(tmp, JSON.writeValueAsBytes(undo));
      Files.move(
          tmp,
          checkpoint,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + checkpoint, e);
    }
  }

  private void deleteCheckpoint() {
    try {
      Files.deleteIfExists(checkpoint);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public ObjectNode currentState() {
    var state = JSON.createObjectNode();
    var ifaces = state.putArray("interfaces");
    var links = new ArrayList<>(nl.links().list());
    links.sort(Comparator.comparing(Link::name));
    var addrs = new LinkedHashMap<Integer, List<IpPrefix>>();
    for (var a : nl.addresses().list()) {
      addrs.computeIfAbsent(a.index(), k -> new ArrayList<>()).add(a.local());
    }
    for (var l : links) {
      var i = ifaces.addObject();
      i.put("name", l.name());
      i.put("type", typeOf(l));
      i.put("state", l.isUp() ? "up" : "down");
      i.put("mtu", l.mtu());
      if (l.mac() != null) {
        i.put("mac-address", l.mac().toString().toUpperCase());
      }
      for (var family : List.of(4, 6)) {
        var list =
            addrs.getOrDefault(l.index(), List.of()).stream()
                .filter(p -> p.family() == (family == 4 ? Rtnl.AF_INET : Rtnl.AF_INET6))
                .sorted(Comparator.comparing(IpPrefix::toString))
                .toList();
        var ip = i.putObject("ipv" + family);
        ip.put("enabled", !list.isEmpty());
        var arr = ip.putArray("address");
        list.forEach(
            p ->
                arr.addObject()
                    .put("ip", p.address().getHostAddress())
                    .put("prefix-length", p.length()));
      }
    }
    return state;
  }

  private static String typeOf(Link l) {
    var kind = l.kind() == null ? null : l.kind().kind();
    if ("lo".equals(l.name())) {
      return "loopback";
    }
    if (kind == null || kind.isEmpty()) {
      return "ethernet";
    }
    return Map.of("bridge", "linux-bridge", "vlan", "vlan", "bond", "bond")
        .getOrDefault(kind, kind);
  }

  @Override
  public AutoCloseable onChange(Runnable listener) {
    return NodeNamespace.onChange(netns, listener);
  }

  @Override
  public NodeFacts facts() {
    return NodeFacts.of(nl.routes().list(Rtnl.AF_INET), netns);
  }

  @Override
  public <T> T inNodeNamespace(Callable<T> task) throws Exception {
    return NodeNamespace.call(netns, task);
  }

  @Override
  public void close() {
    nl.close();
  }
}

package io.multihome.agent.engine;

import io.multihome.agent.netlink.RtNetlink;
import io.multihome.state.DesiredState;
import io.multihome.state.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node state engine for one namespace: show, plan, apply (checkpoint → plan → verify → probes →
 * commit), commit, rollback, and recovery of checkpoints whose deadline passed. The agent's
 * enactment code and the CLI both use only this class.
 */
public final class Engine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  private static final int VERIFY_ATTEMPTS = 5;
  private static final long VERIFY_PAUSE_MS = 200;

  private final Target target;
  private final CheckpointStore store;
  private final RtNetlink nl;
  private final Path sysfsRoot;
  private final ExtrasReader extras;
  private DynamicIp dynamicIp;
  private String noDynamicIp = DynamicIpPlanner.NO_CLIENT;
  private PortAuth portAuth;
  private String noPortAuth = PortAuthPlanner.NO_SUPPLICANT;
  private IpsecConnections ipsec;
  private String noIpsec = IpsecPlanner.NO_DAEMON;

  private Engine(Target target, CheckpointStore store, Path sysfsRoot) {
    this.target = target;
    this.store = store;
    this.sysfsRoot = sysfsRoot;
    this.extras = new ExtrasReader(target, store.dir(), sysfsRoot);
    this.nl = target.open();
  }

  public static Engine open(Target target, Path stateDir) {
    return open(target, stateDir, DEFAULT_SYSFS_ROOT);
  }

  /** Default sysfs root: where {@code ethernet.sr-iov} finds a PF's {@code sriov_numvfs}. */
  public static final Path DEFAULT_SYSFS_ROOT = Path.of("/sys");

  /** {@code sysfsRoot}: where SR-IOV's sysfs files are ({@code /sys}; a fake tree in tests). */
  public static Engine open(Target target, Path stateDir, Path sysfsRoot) {
    return new Engine(target, new CheckpointStore(stateDir), sysfsRoot);
  }

  public Target target() {
    return target;
  }

  /**
   * Lets this engine apply {@code dhcp: true} and {@code autoconf: true} through {@code client}
   * (the agent's DHCP service, or a connection to it); returns this engine.
   */
  public Engine withDynamicIp(DynamicIp client) {
    this.dynamicIp = client;
    return this;
  }

  /**
   * Says why DHCP is refused when no {@link DynamicIp} is given (the CLI: "the multihome agent,
   * which is not running on this node (no socket at ...)"); returns this engine.
   */
  public Engine withoutDynamicIp(String why) {
    this.dynamicIp = null;
    this.noDynamicIp = why;
    return this;
  }

  /**
   * Lets this engine apply {@code 802.1x} through {@code auth} (the agent's supplicant service);
   * returns this engine.
   */
  public Engine withPortAuth(PortAuth auth) {
    this.portAuth = auth;
    return this;
  }

  /** Says why {@code 802.1x} is refused when no {@link PortAuth} is given; returns this engine. */
  public Engine withoutPortAuth(String why) {
    this.portAuth = null;
    this.noPortAuth = why;
    return this;
  }

  /**
   * Lets this engine apply {@code type: ipsec} through {@code service} (a private libreswan pluto
   * for the target); returns this engine.
   */
  public Engine withIpsec(IpsecConnections service) {
    this.ipsec = service;
    return this;
  }

  /** Says why {@code type: ipsec} is refused when no service is given; returns this engine. */
  public Engine withoutIpsec(String why) {
    this.ipsec = null;
    this.noIpsec = why;
    return this;
  }

  /** The dynamic-IP client this engine uses, or null. */
  public DynamicIp dynamicIp() {
    return dynamicIp;
  }

  public Snapshot snapshot() {
    return Snapshot.read(nl).withOvs(OvsSnapshot.read(target.ovsdbSocket(), sysfsRoot));
  }

  /** The current state as a desired state (what {@code show} prints). */
  public DesiredState show(Predicate<String> wanted) {
    var now = snapshot();
    var nics = new java.util.HashSet<String>();
    for (var l : now.links()) {
      if (wanted.test(l.name())
          && StateReader.typeOf(l) == io.multihome.state.InterfaceType.ETHERNET) {
        nics.add(l.name());
      }
    }
    var settings = dynamicIp == null ? java.util.Map.<String, AutoIp>of() : dynamicIp.settings();
    var shown = now.withLinkModes(linkModes(nics)).withMptcp(MptcpEndpoints.read(target));
    var state =
        ShowReader.show(
            shown.withExtras(extras.forShow(shown, nl, wanted)),
            ResolvConf.read(target),
            ResolvConf.parse(ResolvConf.readText(target)),
            wanted,
            hostname(),
            settings);
    var withAuth =
        portAuth == null ? state : PortAuthView.show(state, portAuth.settings(), portAuth.mka());
    return ipsec == null
        ? withAuth
        : IpsecView.show(withAuth, ipsec.connections(), ipsec.status(), wanted);
  }

  /**
   * Speed, duplex and auto-negotiation of {@code names} over ethtool netlink (one request each);
   * links without link modes and kernels without ethtool netlink are left out.
   */
  java.util.Map<String, io.multihome.agent.netlink.Ethtool.LinkModes> linkModes(
      java.util.Set<String> names) {
    var out = new java.util.HashMap<String, io.multihome.agent.netlink.Ethtool.LinkModes>();
    if (names.isEmpty()) {
      return out;
    }
    try (var genl = RtNetlink.openGeneric(target.netns())) {
      var ethtool = io.multihome.agent.netlink.Ethtool.on(genl);
      if (ethtool == null) {
        return out;
      }
      for (var n : names) {
        var m = ethtool.linkModes(n);
        if (m != null) {
          out.put(n, m);
        }
      }
    }
    return out;
  }

  /** Names of interfaces {@code desired} gives ethernet link settings for. */
  private static java.util.Set<String> linkSettingsNames(DesiredState desired) {
    var out = new java.util.HashSet<String>();
    for (var i : desired.interfacesOrEmpty()) {
      if (i instanceof io.multihome.state.Interface.Ethernet e
          && e.ethernet() != null
          && (e.ethernet().speed() != null
              || e.ethernet().duplex() != null
              || e.ethernet().autoNegotiation() != null)) {
        out.add(i.name());
      }
    }
    return out;
  }

  /**
   * {@code now} with what {@code desired} compares against beside the dumps: link modes, and the
   * {@link NodeExtras} of the interfaces it names (found by name, alternative name, MAC or PCI
   * address, or kept profile name).
   */
  private Snapshot forComparison(DesiredState desired, Snapshot now) {
    var names = linkSettingsNames(desired);
    var s = names.isEmpty() ? now : now.withLinkModes(linkModes(names));
    boolean mptcp =
        desired.interfacesOrEmpty().stream().anyMatch(i -> i.common().mptcpAddressFlags() != null);
    if (mptcp) {
      s = s.withMptcp(MptcpEndpoints.read(target));
    }
    var kept = s.withExtras(extras.forPlan(DesiredState.EMPTY, s, nl));
    var resolved = Planner.resolve(desired, kept, new ArrayList<>());
    return s.withExtras(extras.forPlan(resolved, s, nl));
  }

  /**
   * The host name the namespace's processes see: network namespaces share the UTS namespace of
   * whoever made them, so it is this process's.
   */
  static String hostname() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname"))
          .strip();
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /** The static DNS the namespace's processes see (its resolver file). */
  public io.multihome.state.DnsConfig dns() {
    return ResolvConf.read(target);
  }

  /** The plan for {@code desired} against the node now; throws {@link PlanException}. */
  public Plan plan(DesiredState desired) {
    return plan(desired, snapshot());
  }

  /** The links' plan plus, when the static DNS differs, the write of the resolver file. */
  private Plan plan(DesiredState desired, Snapshot now) {
    var authProblems = PortAuthPlanner.problems(desired, portAuth, noPortAuth);
    if (!authProblems.isEmpty()) {
      throw new PlanException(authProblems);
    }
    var plan =
        Planner.plan(
            desired,
            now.extras().env() == null ? forComparison(desired, now) : now,
            dynamicIp == null ? noDynamicIp : null);
    if (ipsec != null) {
      plan = IpsecPlanner.withService(plan, desired, ipsec);
    }
    var extra = new ArrayList<Op>();
    if (dynamicIp != null) {
      extra.addAll(DynamicIpPlanner.plan(IpsecPlanner.withoutIpsec(desired), dynamicIp));
    }
    if (portAuth != null) {
      extra.addAll(PortAuthPlanner.plan(desired, portAuth));
    }
    var dns = ResolvConf.plan(desired.dns(), target);
    if (dns != null) {
      extra.add(dns);
    }
    if (extra.isEmpty()) {
      return plan;
    }
    var ops = new ArrayList<>(plan.ops());
    ops.addAll(extra);
    var touched = new java.util.LinkedHashSet<>(plan.touched());
    extra.forEach(op -> touched.addAll(op.links()));
    return new Plan(ops, touched);
  }

  /**
   * Applies {@code desired}. Throws {@link PlanException} (nothing touched) for input the node
   * cannot take, and {@link IllegalStateException} when another checkpoint is pending or another
   * apply on the node holds it past this one's timeout ({@link ApplyLock}).
   */
  public ApplyResult apply(DesiredState desired, ApplyOptions options) {
    try (var lock = lock(options)) {
      checkNoPendingCheckpoint();
      return applyLocked(desired, prepare(desired), options);
    }
  }

  /** A plan and the node state it was made from, for callers that show the plan first. */
  public record Prepared(Snapshot before, Plan plan) {}

  /** Reads the node and plans {@code desired}; throws {@link PlanException}. */
  public Prepared prepare(DesiredState desired) {
    var before = forComparison(desired, snapshot());
    return new Prepared(before, plan(desired, before));
  }

  /**
   * Applies a plan made by {@link #prepare} moments ago (the CLI prints it first), saving a second
   * read of the node.
   */
  public ApplyResult apply(DesiredState desired, Prepared prepared, ApplyOptions options) {
    try (var lock = lock(options)) {
      checkNoPendingCheckpoint();
      // Another apply ran first: plan against the node it left.
      return applyLocked(desired, lock.waited() ? prepare(desired) : prepared, options);
    }
  }

  /** This node's apply lock, waited for at most the apply's timeout. */
  private ApplyLock lock(ApplyOptions options) {
    return ApplyLock.take(store.lockFor(target), options.timeout());
  }

  private ApplyResult applyLocked(DesiredState desired, Prepared prepared, ApplyOptions options) {
    var before = prepared.before();
    var plan = prepared.plan();
    if (plan.isEmpty()) {
      return new ApplyResult.Applied(plan, false);
    }
    var refused = IpsecPlanner.refusals(plan, noIpsec);
    if (!refused.isEmpty()) {
      throw new PlanException(refused); // before the checkpoint: nothing changed
    }
    long now = System.currentTimeMillis();
    var cp =
        Checkpoint.capture(before, plan, target, now, now + options.timeout().toMillis())
            .withSriov(SriovCheckpoint.capture(before, plan, sysfsRoot))
            .withExtras(ExtrasCheckpoint.capture(before, plan, target, sysfsRoot))
            .withOvs(OvsCheckpoint.capture(before, plan))
            .withMptcp(
                MptcpPlanner.capture(
                    before.mptcp() == null && MptcpPlanner.touches(plan)
                        ? before.withMptcp(MptcpEndpoints.read(target))
                        : before,
                    plan));
    var previousDynamic = DynamicIpPlanner.previous(plan);
    if (!previousDynamic.isEmpty()) {
      CheckpointSideFile.DYNAMIC_IP.write(store.fileFor(target), previousDynamic);
    }
    var previousAuth = PortAuthPlanner.previous(plan);
    if (!previousAuth.isEmpty()) {
      CheckpointSideFile.DOT1X.write(store.fileFor(target), previousAuth);
    }
    var previousMka = PortAuthPlanner.previousMka(plan);
    if (!previousMka.isEmpty()) {
      CheckpointSideFile.MKA.write(store.fileFor(target), previousMka);
    }
    var previousIpsec = IpsecPlanner.previous(plan);
    if (!previousIpsec.isEmpty()) {
      CheckpointSideFile.IPSEC.write(store.fileFor(target), previousIpsec);
    }
    store.write(target, cp);
    String failure;
    try {
      new Applier(nl, target, options.hooks(), sysfsRoot).run(plan, before);
      options.hooks().afterApply(target);
      failure = awaitLeases(plan, now + options.timeout().toMillis());
      if (failure == null) {
        failure = awaitAuth(plan, now + options.timeout().toMillis());
      }
      if (failure == null) {
        failure = awaitIpsec(plan, now + options.timeout().toMillis());
      }
      if (failure == null) {
        // By the names the plan uses (profile and alternative names resolved).
        failure =
            Dispatcher.run(
                plan,
                Planner.resolve(desired, before, new ArrayList<>()),
                before,
                target,
                options.timeout());
      }
      if (failure == null && options.verify()) {
        failure = verify(desired);
      }
      Snapshot applied = failure == null && !options.probes().isEmpty() ? snapshot() : null;
      for (int i = 0; failure == null && i < options.probes().size(); i++) {
        failure = probe(options.probes().get(i), i, applied);
      }
    } catch (RuntimeException e) {
      failure = e.getMessage() == null ? e.toString() : e.getMessage();
    }
    if (failure != null) {
      log.warn("apply failed, rolling back: {}", failure);
      var left = new ArrayList<>(new Restorer(nl, target).restore(cp));
      left.addAll(restoreDynamic());
      left.addAll(restoreAuth());
      left.addAll(restoreIpsec());
      if (!left.isEmpty()) {
        return new ApplyResult.RollbackFailed(plan, failure, left);
      }
      store.delete(target);
      return new ApplyResult.RolledBack(plan, failure);
    }
    if (options.commit()) {
      store.delete(target);
      commitDynamic();
      deletePortAuthFiles(store.fileFor(target));
      CheckpointSideFile.IPSEC.delete(store.fileFor(target));
      return new ApplyResult.Applied(plan, false);
    }
    // The deadline counts from now, after the work, so a slow apply does not eat the window.
    store.write(target, cp.withDeadline(System.currentTimeMillis() + options.timeout().toMillis()));
    return new ApplyResult.Applied(plan, true);
  }

  /**
   * Throws {@link PendingCheckpointException} while an earlier {@code --no-commit} apply awaits
   * commit; an expired checkpoint is rolled back first (the dead-man switch).
   */
  public void checkNoPendingCheckpoint() {
    var pending = store.read(target);
    if (pending.isPresent()) {
      if (!pending.get().expired(System.currentTimeMillis())) {
        throw new PendingCheckpointException(store.fileFor(target));
      }
      log.warn("checkpoint {} expired; rolling back before applying", store.fileFor(target));
      rollback();
    }
  }

  /** Waits for the leases the plan asks for, until the apply's deadline; null when all came. */
  private String awaitLeases(Plan plan, long deadline) {
    var names = DynamicIpPlanner.leased(plan);
    if (names.isEmpty() || dynamicIp == null) {
      return null;
    }
    var why = dynamicIp.await(names, java.time.Instant.ofEpochMilli(deadline));
    if (why == null) {
      return null;
    }
    var now = snapshot();
    for (var name : names) {
      var hint = BridgeSelfVlan.unreachable(now, name);
      if (hint != null) {
        why += " (" + hint + ")";
      }
    }
    return "verification failed: " + why;
  }

  /** Waits for the 802.1X authentications the plan asks for, until the apply's deadline. */
  private String awaitAuth(Plan plan, long deadline) {
    var names = PortAuthPlanner.authenticating(plan);
    var secured = PortAuthPlanner.securing(plan);
    if ((names.isEmpty() && secured.isEmpty()) || portAuth == null) {
      return null;
    }
    var until = java.time.Instant.ofEpochMilli(deadline);
    var parts = new ArrayList<String>();
    if (!names.isEmpty()) {
      var why = portAuth.await(names.keySet(), until);
      if (why != null) {
        why.forEach((name, reason) -> parts.add(names.get(name) + ": " + reason));
      }
    }
    if (!secured.isEmpty()) {
      var why = portAuth.awaitMka(secured.keySet(), until);
      if (why != null) {
        why.forEach((name, reason) -> parts.add(secured.get(name) + ": " + reason));
      }
    }
    return parts.isEmpty() ? null : "verification failed: " + String.join("; ", parts);
  }

  /** Waits for the Child SAs of the connections the plan brings up, until the deadline. */
  private String awaitIpsec(Plan plan, long deadline) {
    var names = IpsecPlanner.connecting(plan);
    if (names.isEmpty() || ipsec == null) {
      return null;
    }
    var why = ipsec.await(names.keySet(), java.time.Instant.ofEpochMilli(deadline));
    if (why == null) {
      return null;
    }
    var parts = new ArrayList<String>();
    why.forEach((name, reason) -> parts.add(names.get(name) + ": " + reason));
    return "verification failed: " + String.join("; ", parts);
  }

  /** Puts back the ipsec connections a pending apply changed (its side file); leftovers. */
  private List<String> restoreIpsec() {
    var file = store.fileFor(target);
    var previous = CheckpointSideFile.IPSEC.read(file);
    if (previous == null) {
      return List.of();
    }
    if (ipsec == null) {
      return List.of(
          "ipsec connections "
              + String.join(", ", previous.keySet())
              + " not restored: "
              + noIpsec);
    }
    try {
      ipsec.configure(previous);
    } catch (RuntimeException e) {
      return List.of("ipsec connections " + String.join(", ", previous.keySet()) + ": " + e);
    }
    CheckpointSideFile.IPSEC.delete(file);
    return List.of();
  }

  /** Puts back the 802.1x configurations a pending apply changed (its side file); leftovers. */
  private List<String> restoreAuth() {
    var file = store.fileFor(target);
    var previous = CheckpointSideFile.DOT1X.read(file);
    var previousMka = CheckpointSideFile.MKA.read(file);
    if (previous == null && previousMka == null) {
      return List.of();
    }
    if (portAuth == null) {
      var names = new java.util.TreeSet<String>();
      if (previous != null) {
        names.addAll(previous.keySet());
      }
      if (previousMka != null) {
        names.addAll(previousMka.keySet());
      }
      return List.of("802.1x/MKA of " + String.join(", ", names) + " not restored: " + noPortAuth);
    }
    if (previous != null) {
      portAuth.configure(previous);
    }
    if (previousMka != null) {
      portAuth.configureMka(previousMka);
    }
    deletePortAuthFiles(file);
    return List.of();
  }

  /** Puts back the dynamic-IP settings a pending apply changed (its side file); leftovers. */
  private List<String> restoreDynamic() {
    var file = store.fileFor(target);
    var previous = CheckpointSideFile.DYNAMIC_IP.read(file);
    if (previous == null) {
      return List.of();
    }
    if (dynamicIp == null) {
      return List.of(
          "dhcp settings of "
              + String.join(", ", previous.keySet())
              + " not restored: "
              + noDynamicIp);
    }
    dynamicIp.configure(previous);
    // The previous clients took their leases back; nothing was turned off for good.
    dynamicIp.commit();
    CheckpointSideFile.DYNAMIC_IP.delete(file);
    return List.of();
  }

  private void commitDynamic() {
    var file = store.fileFor(target);
    if (CheckpointSideFile.DYNAMIC_IP.read(file) != null) {
      if (dynamicIp != null) {
        dynamicIp.commit();
      }
      CheckpointSideFile.DYNAMIC_IP.delete(file);
    }
  }

  private static String probe(Probe p, int i, Snapshot applied) {
    var label = "probe " + (p.name() != null ? p.name() : Integer.toString(i + 1)) + " failed: ";
    try {
      var why = p.check(applied);
      return why == null ? null : label + why;
    } catch (Exception e) {
      return label + e.getMessage();
    }
  }

  /**
   * Desired ⊆ current, read back a few times briefly (the kernel finishes some changes
   * asynchronously). Returns null when it holds, else every difference.
   */
  public String verify(DesiredState desired) {
    List<String> diffs = List.of();
    for (int attempt = 0; attempt < VERIFY_ATTEMPTS; attempt++) {
      diffs = differences(desired);
      if (diffs.isEmpty()) {
        return null;
      }
      try {
        Thread.sleep(VERIFY_PAUSE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return "verification failed: " + String.join("; ", diffs);
  }

  /** What still differs between {@code desired} and the node: the remaining plan's diffs. */
  public List<String> differences(DesiredState given) {
    try {
      var now = forComparison(given, snapshot());
      var desired = Planner.resolve(given, now, new ArrayList<>());
      var out = new ArrayList<String>();
      for (var op : plan(desired, now).ops()) {
        out.add(op.diff().toString());
      }
      // Keys the planner applied are also read back as show reads them, one by one.
      var names = new java.util.HashSet<String>();
      desired.interfacesOrEmpty().forEach(i -> names.add(i.name()));
      var shown = StateReader.read(now, null, names::contains, Planner.declaredEthernet(desired));
      // ipsec connections are no links: their plan above is their comparison.
      for (var d : ShownComparison.differences(IpsecPlanner.withoutIpsec(desired), shown)) {
        out.add(d.toString());
      }
      return out;
    } catch (PlanException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
  }

  /** Ends a pending checkpoint, keeping the applied state. False when none was pending. */
  public boolean commit() {
    if (!java.nio.file.Files.exists(store.fileFor(target))) {
      return false; // nothing to lock for (and the state directory may not even exist)
    }
    try (var lock = ApplyLock.take(store.lockFor(target), ApplyOptions.DEFAULT_TIMEOUT)) {
      return commitHeld();
    }
  }

  private boolean commitHeld() {
    var pending = store.read(target);
    if (pending.isEmpty()) {
      return false;
    }
    if (pending.get().expired(System.currentTimeMillis())) {
      throw new IllegalStateException(
          "the checkpoint's deadline passed; roll back (multihome rollback) instead of committing");
    }
    store.delete(target);
    commitDynamic();
    deletePortAuthFiles(store.fileFor(target));
    CheckpointSideFile.IPSEC.delete(store.fileFor(target));
    return true;
  }

  /**
   * Restores the pending checkpoint. Returns null when there was none, an empty list when the node
   * is back as it was, else what is left.
   */
  public List<String> rollback() {
    if (!java.nio.file.Files.exists(store.fileFor(target))) {
      return null; // read and parsed under the lock, once
    }
    // Waits for an apply in progress (nested in this thread's own apply: already held).
    try (var lock = ApplyLock.take(store.lockFor(target), ApplyOptions.DEFAULT_TIMEOUT)) {
      return rollbackHeld();
    }
  }

  private List<String> rollbackHeld() {
    var pending = store.read(target);
    if (pending.isEmpty()) {
      return null;
    }
    var left = new ArrayList<>(new Restorer(nl, target).restore(pending.get()));
    left.addAll(restoreDynamic());
    left.addAll(restoreAuth());
    left.addAll(restoreIpsec());
    if (left.isEmpty()) {
      store.delete(target);
    }
    return left;
  }

  /**
   * Rolls back every checkpoint in {@code stateDir} whose deadline passed (an {@code apply
   * --no-commit} nobody committed, or an apply whose process died). Returns one line per checkpoint
   * handled.
   */
  public static List<String> recoverExpired(Path stateDir) {
    return recoverExpired(stateDir, java.util.function.UnaryOperator.identity());
  }

  /**
   * Like {@link #recoverExpired(Path)}, each engine first given to {@code attach} (which hands it
   * the services a rollback may need, e.g. the IPsec service that deletes the connections the apply
   * added).
   */
  public static List<String> recoverExpired(
      Path stateDir, java.util.function.UnaryOperator<Engine> attach) {
    var store = new CheckpointStore(stateDir);
    var out = new ArrayList<String>();
    for (var file : store.all()) {
      var cp = CheckpointStore.read(file);
      if (cp.isEmpty() || !cp.get().expired(System.currentTimeMillis())) {
        continue;
      }
      var t = Target.of(cp.get().netns());
      try (var engine = attach.apply(Engine.open(t, stateDir))) {
        var left = engine.rollback();
        out.add(
            left == null || left.isEmpty()
                ? "rolled back the expired checkpoint of " + t.label()
                : "rollback of " + t.label() + " incomplete: " + String.join("; ", left));
      } catch (RuntimeException e) {
        out.add("rollback of " + t.label() + " failed: " + e.getMessage());
      }
    }
    return out;
  }

  @Override
  public void close() {
    nl.close();
  }

  /** Another apply left a checkpoint that is neither committed nor expired. */
  public static final class PendingCheckpointException extends IllegalStateException {
    public PendingCheckpointException(Path file) {
      super(
          "a checkpoint is pending ("
              + file
              + "): commit or roll back the previous apply --no-commit first");
    }
  }

  /** Removes the 802.1x and MACsec key agreement files kept beside a checkpoint. */
  private static void deletePortAuthFiles(Path checkpoint) {
    CheckpointSideFile.MKA.delete(checkpoint);
    CheckpointSideFile.DOT1X.delete(checkpoint);
  }
}

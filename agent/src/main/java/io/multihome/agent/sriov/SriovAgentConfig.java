package io.multihome.agent.sriov;

import io.multihome.sriov.sysfs.ConfiguredPfStore;
import io.multihome.sriov.sysfs.ProvisioningTimeouts;
import io.multihome.sriov.sysfs.Sysfs;
import io.multihome.sriov.sysfs.SysfsWriter;
import io.multihome.sriov.sysfs.VfLinkConfigurator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * How the SR-IOV agent runs on a node.
 *
 * @param operatorNamespace where the node's {@code SriovNetworkNodeState} lives
 * @param sysfsRoot sysfs to discover and provision through ({@code /sys} on a node)
 * @param sysfsWriter null for plain file writes (the real kernel); the emulated NIC plugs in here
 * @param resyncInterval how often PFs/VFs are rediscovered and the status refreshed
 * @param pfStoreDir where {@link ConfiguredPfStore} remembers the PFs this agent changed
 * @param timeouts bounds on waiting for the kernel while provisioning
 * @param netns named network namespace holding the PF netdevs; null = the agent's own
 * @param vfLinkConfigurator null = {@link NetlinkVfConfigurator} in {@code netns}
 * @param linkInfo null = {@link NetlinkLinkInfo} in {@code netns}
 */
public record SriovAgentConfig(
    String operatorNamespace,
    Path sysfsRoot,
    SysfsWriter sysfsWriter,
    Duration resyncInterval,
    Path pfStoreDir,
    ProvisioningTimeouts timeouts,
    String netns,
    VfLinkConfigurator vfLinkConfigurator,
    LinkInfoSource linkInfo) {
  public static final String DEFAULT_OPERATOR_NAMESPACE = "sriov-network-operator";
  public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(60);

  public SriovAgentConfig {
    if (operatorNamespace == null || operatorNamespace.isBlank()) {
      throw new IllegalArgumentException("operatorNamespace: required");
    }
    if (sysfsRoot == null) {
      throw new IllegalArgumentException("sysfsRoot: required");
    }
    if (resyncInterval == null || resyncInterval.isNegative() || resyncInterval.isZero()) {
      throw new IllegalArgumentException("resyncInterval: must be positive, got " + resyncInterval);
    }
    if (pfStoreDir == null) {
      throw new IllegalArgumentException("pfStoreDir: required");
    }
    if (timeouts == null) {
      throw new IllegalArgumentException("timeouts: required");
    }
    if (netns != null && (netns.isEmpty() || netns.contains("/"))) {
      throw new IllegalArgumentException("netns: invalid name '" + netns + "'");
    }
  }

  /** Upstream's layout: operator namespace, /sys, 60 s resync, netlink in the agent's namespace. */
  public static SriovAgentConfig defaults() {
    return new SriovAgentConfig(
        DEFAULT_OPERATOR_NAMESPACE,
        Sysfs.DEFAULT_ROOT,
        null,
        DEFAULT_RESYNC,
        ConfiguredPfStore.DEFAULT_DIR,
        ProvisioningTimeouts.upstream(),
        null,
        null,
        null);
  }

  public SriovAgentConfig withOperatorNamespace(String ns) {
    return with(b -> b.operatorNamespace = ns);
  }

  public SriovAgentConfig withSysfsRoot(Path root) {
    return with(b -> b.sysfsRoot = root);
  }

  /** A sysfs whose writes are intercepted (the fake kernel or the emulated NIC). */
  public SriovAgentConfig withSysfs(Sysfs sysfs) {
    return with(
        b -> {
          b.sysfsRoot = sysfs.root();
          b.sysfsWriter = sysfs::write;
        });
  }

  public SriovAgentConfig withResyncInterval(Duration interval) {
    return with(b -> b.resyncInterval = interval);
  }

  public SriovAgentConfig withPfStoreDir(Path dir) {
    return with(b -> b.pfStoreDir = dir);
  }

  public SriovAgentConfig withTimeouts(ProvisioningTimeouts t) {
    return with(b -> b.timeouts = t);
  }

  public SriovAgentConfig withNetns(String name) {
    return with(b -> b.netns = name);
  }

  public SriovAgentConfig withVfLinkConfigurator(VfLinkConfigurator c) {
    return with(b -> b.vfLinkConfigurator = c);
  }

  public SriovAgentConfig withLinkInfo(LinkInfoSource source) {
    return with(b -> b.linkInfo = source);
  }

  /** A copy with what {@code change} sets on a mutable copy of the settings (checked again). */
  public SriovAgentConfig with(Consumer<Builder> change) {
    var b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The settings as fields to change in {@link #with}. */
  public static final class Builder {
    public String operatorNamespace;
    public Path sysfsRoot;
    public SysfsWriter sysfsWriter;
    public Duration resyncInterval;
    public Path pfStoreDir;
    public ProvisioningTimeouts timeouts;
    public String netns;
    public VfLinkConfigurator vfLinkConfigurator;
    public LinkInfoSource linkInfo;

    private Builder(SriovAgentConfig c) {
      operatorNamespace = c.operatorNamespace;
      sysfsRoot = c.sysfsRoot;
      sysfsWriter = c.sysfsWriter;
      resyncInterval = c.resyncInterval;
      pfStoreDir = c.pfStoreDir;
      timeouts = c.timeouts;
      netns = c.netns;
      vfLinkConfigurator = c.vfLinkConfigurator;
      linkInfo = c.linkInfo;
    }

    private SriovAgentConfig build() {
      return new SriovAgentConfig(
          operatorNamespace,
          sysfsRoot,
          sysfsWriter,
          resyncInterval,
          pfStoreDir,
          timeouts,
          netns,
          vfLinkConfigurator,
          linkInfo);
    }
  }

  /** The lab's emulated NIC: its sysfs, its namespace and its macvlan-aware VF configurator. */
  public SriovAgentConfig withEmulatedNic(EmulatedSriovNic nic) {
    return withSysfs(nic.sysfs())
        .withNetns(nic.netns())
        .withVfLinkConfigurator(nic.vfLinkConfigurator());
  }

  /** The sysfs this config describes. */
  public Sysfs sysfs() {
    return sysfsWriter == null ? Sysfs.real(sysfsRoot) : new Sysfs(sysfsRoot, sysfsWriter);
  }
}

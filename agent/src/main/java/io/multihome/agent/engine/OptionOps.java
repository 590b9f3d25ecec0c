package io.multihome.agent.engine;

import io.multihome.agent.netlink.EthtoolSettings;
import io.multihome.agent.netlink.IfInfoMsg;
import io.multihome.agent.netlink.Request;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.agent.netlink.Rtnl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Ops of the interface options and the host name: alternative names (RTM_NEWLINKPROP /
 * RTM_DELLINKPROP), ethtool settings (ethtool netlink), files the engine keeps (kept settings, the
 * static host name) and the running host name.
 */
final class OptionOps {
  static final int RTM_NEWLINKPROP = 108;
  static final int RTM_DELLINKPROP = 109;

  private OptionOps() {}

  /** {@code ip link property add|del dev LINK altname ALT}. */
  record SetAltName(String link, String alt, boolean add, Op.Diff diff) implements Op.Extension {
    @Override
    public int stage() {
      // After the link is created (CREATE_*), before anything refers to it by this name.
      return Op.SETTINGS;
    }

    @Override
    public String describe() {
      return "ip link property " + (add ? "add" : "del") + " dev " + link + " altname " + alt;
    }

    @Override
    public List<String> links() {
      return List.of(link);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return new Request(
          add ? "link property add" : "link property del",
          link + " altname " + alt,
          add ? RTM_NEWLINKPROP : RTM_DELLINKPROP,
          add ? Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL : 0,
          b -> {
            IfInfoMsg.of(Rtnl.AF_UNSPEC, 0).write(b);
            b.attrString(Rtnl.Ifla.IFNAME, link);
            int props = b.beginNested(LinkDump.IFLA_PROP_LIST);
            b.attrString(LinkDump.IFLA_ALT_IFNAME, alt);
            b.endNested(props);
          });
    }
  }

  /**
   * The ethtool settings of one link that differ: features to turn on or off, pause parameters,
   * ring sizes and coalescing (by ETHTOOL_A_* attribute). Each part is one ethtool netlink request;
   * null or empty parts are not sent.
   */
  record EthtoolChange(
      Map<String, Boolean> features,
      EthtoolSettings.Pause pause,
      Map<Integer, Long> rings,
      Map<Integer, Long> coalesce) {
    boolean isEmpty() {
      return (features == null || features.isEmpty())
          && pause == null
          && (rings == null || rings.isEmpty())
          && (coalesce == null || coalesce.isEmpty());
    }
  }

  /** {@code ethtool -K/-A/-G/-C DEV ...} over ethtool netlink in {@code netns}. */
  record SetEthtool(String netns, String dev, EthtoolChange change, Op.Diff diff)
      implements Op.Extension {
    @Override
    public int stage() {
      return Op.SETTINGS;
    }

    @Override
    public String describe() {
      var sb = new StringBuilder("ethtool");
      if (change.features() != null && !change.features().isEmpty()) {
        sb.append(" -K ").append(dev);
        change.features().forEach((k, v) -> sb.append(' ').append(k).append(v ? " on" : " off"));
      }
      if (change.pause() != null) {
        sb.append(" -A ").append(dev);
        onOff(sb, "autoneg", change.pause().autoneg());
        onOff(sb, "rx", change.pause().rx());
        onOff(sb, "tx", change.pause().tx());
      }
      if (change.rings() != null && !change.rings().isEmpty()) {
        sb.append(" -G ").append(dev);
        change
            .rings()
            .forEach(
                (a, v) -> sb.append(' ').append(EthtoolMapping.ringName(a)).append(' ').append(v));
      }
      if (change.coalesce() != null && !change.coalesce().isEmpty()) {
        sb.append(" -C ").append(dev);
        change
            .coalesce()
            .forEach(
                (a, v) ->
                    sb.append(' ').append(EthtoolMapping.coalesceName(a)).append(' ').append(v));
      }
      return sb.toString();
    }

    private static void onOff(StringBuilder sb, String key, Boolean v) {
      if (v != null) {
        sb.append(' ').append(key).append(v ? " on" : " off");
      }
    }

    @Override
    public List<String> links() {
      return List.of(dev);
    }

    @Override
    public void runDirect(RtNetlink nl, Path sysfsRoot) {
      EthtoolMapping.apply(netns, dev, change);
    }
  }

  /**
   * Writes {@code content} to {@code file} atomically (null: deletes it): the engine's kept
   * settings and the static host name.
   */
  record WriteFile(Path file, byte[] content, String summary, Op.Diff diff)
      implements Op.Extension {
    @Override
    public int stage() {
      return Op.WRITE_DNS;
    }

    @Override
    public String describe() {
      return content == null ? "rm -f " + file : "write " + file + ": " + summary;
    }

    @Override
    public void runDirect(RtNetlink nl, Path sysfsRoot) {
      if (content == null) {
        try {
          Files.deleteIfExists(ResolvConfFile.resolve(file));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot remove " + file + ": " + e.getMessage(), e);
        }
      } else {
        ResolvConfFile.write(file, content);
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof WriteFile w
          && file.equals(w.file)
          && java.util.Arrays.equals(content, w.content)
          && diff.equals(w.diff);
    }

    @Override
    public int hashCode() {
      return file.hashCode() * 31 + java.util.Arrays.hashCode(content);
    }
  }

  /** {@code hostname NAME}: the calling thread's UTS namespace (see {@link HostnamePlanner}). */
  record SetHostname(String running, Op.Diff diff) implements Op.Extension {
    @Override
    public int stage() {
      return Op.SETTINGS;
    }

    @Override
    public String describe() {
      return "hostname " + running;
    }

    @Override
    public void runDirect(RtNetlink nl, Path sysfsRoot) {
      HostnamePlanner.setRunning(running);
    }
  }

  /** {@code echo 0|1 > .../sriov_drivers_autoprobe} of a PF's device. */
  record SetDriversAutoprobe(String pf, boolean on, Op.Diff diff) implements SriovOps.PfOp {
    @Override
    public int stage() {
      // Before sriov_numvfs (same stage, planned first): VFs made afterwards follow it.
      return Op.SETTINGS;
    }

    @Override
    public String describe() {
      return "echo " + (on ? 1 : 0) + " > /sys/class/net/" + pf + "/device/sriov_drivers_autoprobe";
    }

    @Override
    public void runDirect(RtNetlink nl, Path sysfsRoot) {
      var file = SriovDevice.find(nl, sysfsRoot, pf).resolve("sriov_drivers_autoprobe");
      try {
        Files.writeString(file, on ? "1" : "0", StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new UncheckedIOException(file + ": " + e.getMessage(), e);
      }
    }
  }
}

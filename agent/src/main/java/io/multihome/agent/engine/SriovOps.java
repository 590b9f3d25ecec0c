package io.multihome.agent.engine;

import io.multihome.agent.netlink.LinkOps;
import io.multihome.agent.netlink.Request;
import io.multihome.agent.netlink.RtNetlink;
import io.multihome.agent.netlink.Vf;
import io.multihome.sriov.sysfs.ProvisioningTimeouts;
import io.multihome.sriov.sysfs.SriovSysfsOps;
import io.multihome.sriov.sysfs.Sysfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/** The ops of nmstate's {@code ethernet.sr-iov}: the VF count (sysfs) and VF settings (netlink). */
final class SriovOps {
  private SriovOps() {}

  /** An op on one PF's VF setup: the PF is the link it changes. */
  interface PfOp extends Op.Extension {
    String pf();

    @Override
    default List<String> links() {
      return List.of(pf());
    }
  }

  /**
   * {@code total-vfs}: writes {@code sriov_numvfs} of the PF's device (0 first when it has VFs, as
   * the kernel requires) and waits for the VFs; the sriov module's {@link SriovSysfsOps} does it.
   */
  record SetNumVfs(String pf, int numVfs, Op.Diff diff) implements PfOp {
    @Override
    public int stage() {
      return Op.SETTINGS;
    }

    @Override
    public String describe() {
      return "echo " + numVfs + " > /sys/class/net/" + pf + "/device/sriov_numvfs";
    }

    @Override
    public void runDirect(RtNetlink nl, Path sysfsRoot) {
      setNumVfs(nl, sysfsRoot, pf, numVfs);
    }
  }

  /** One group of a VF's settings (MAC, VLAN+QoS, spoofchk, trust or rates) set through the PF. */
  record SetVf(String pf, Vf vf, Op.Diff diff) implements PfOp {
    @Override
    public int stage() {
      // After SETTINGS, where sriov_numvfs is written: the VFs exist by then.
      return Op.PORT_SETTINGS;
    }

    @Override
    public String describe() {
      return describe(pf, vf);
    }

    @Override
    public Request request(ToIntFunction<String> index) {
      return LinkOps.vfRequest(pf, vf);
    }

    static String describe(String pf, Vf vf) {
      var sb = new StringBuilder("ip link set ").append(pf).append(" vf ").append(vf.vf());
      if (vf.mac() != null) {
        sb.append(" mac ").append(vf.mac().toString().toLowerCase(Locale.ROOT));
      }
      if (vf.vlan() != null) {
        sb.append(" vlan ").append(vf.vlan()).append(" qos ").append(vf.qos());
        if (vf.vlanProto() != null) {
          sb.append(" proto ").append(SriovMapping.protoText(vf.vlanProto()));
        }
      }
      if (vf.spoofchk() != null) {
        sb.append(" spoofchk ").append(vf.spoofchk() ? "on" : "off");
      }
      if (vf.trust() != null) {
        sb.append(" trust ").append(vf.trust() ? "on" : "off");
      }
      if (vf.minTxRate() != null || vf.maxTxRate() != null) {
        sb.append(" min_tx_rate ").append(vf.minTxRate()).append(" max_tx_rate ");
        sb.append(vf.maxTxRate());
      }
      return sb.toString();
    }
  }

  /** Sets the VF count of {@code pf} (a link of {@code nl}'s namespace) through sysfs. */
  static void setNumVfs(RtNetlink nl, Path sysfsRoot, String pf, int numVfs) {
    var device = SriovDevice.find(nl, sysfsRoot, pf);
    try (var ops = new SriovSysfsOps(Sysfs.real(sysfsRoot), ProvisioningTimeouts.upstream())) {
      ops.setNumVfs(device, pf, numVfs);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(pf + ": interrupted while setting sriov_numvfs", e);
    }
  }
}

package io.multihome.agent.sriov;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.api.sriov.InterfaceExt;
import io.multihome.api.sriov.VirtualFunction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusEnricherTest {
  private static VirtualFunction vf(int id, String name, String mac) {
    var vf = new VirtualFunction();
    vf.setVfID(id);
    vf.setName(name);
    vf.setMac(mac);
    return vf;
  }

  private static InterfaceExt pf(String name, VirtualFunction... vfs) {
    var pf = new InterfaceExt();
    pf.setName(name);
    pf.setPciAddress("0000:3b:00.0");
    pf.setVfs(List.of(vfs));
    return pf;
  }

  @Test
  void addsAltnamesVlansAndTheAdminMacOfVfsWithoutNetdev() {
    var netdevVf = vf(0, "ens1f0v0", "02:00:00:00:00:10");
    var vfioVf = vf(1, null, null); // on vfio-pci: no netdev, no MAC from sysfs
    var unreported = vf(2, "ens1f0v2", "02:00:00:00:00:12");
    var pfs = List.of(pf("ens1f0", netdevVf, vfioVf, unreported));
    var links =
        Map.of(
            "ens1f0",
            new LinkDetails(
                "ens1f0",
                List.of("enp59s0f0np0"),
                List.of(
                    new LinkDetails.VfInfo(0, "02:00:00:00:00:aa", 100),
                    new LinkDetails.VfInfo(1, "02:00:00:00:00:bb", 0))));

    StatusEnricher.enrich(pfs, links);

    assertThat(pfs.get(0).getAltNames()).containsExactly("enp59s0f0np0");
    assertThat(netdevVf.getVlan()).isEqualTo(100);
    assertThat(netdevVf.getMac()).as("the netdev's own MAC wins").isEqualTo("02:00:00:00:00:10");
    assertThat(vfioVf.getMac()).isEqualTo("02:00:00:00:00:bb");
    assertThat(vfioVf.getVlan()).isZero();
    assertThat(unreported.getVlan()).isNull();
  }

  @Test
  void pfsNetlinkDoesNotKnowAndEmptyAltnamesStayUnset() {
    var known = pf("ens2f0");
    var unknown = pf("ens3f0");
    StatusEnricher.enrich(
        List.of(known, unknown), Map.of("ens2f0", new LinkDetails("ens2f0", List.of(), List.of())));
    assertThat(known.getAltNames()).isNull();
    assertThat(unknown.getAltNames()).isNull();
  }
}

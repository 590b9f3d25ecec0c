package io.multihome.sriov.sysfs.fake;

/**
 * One emulated SR-IOV PF and how its VFs look once created.
 *
 * @param vfOffset VF routing-id offset from the PF (PCI SR-IOV capability "First VF Offset")
 * @param vfStride VF routing-id stride
 * @param linkType ARPHRD type of the netdevs: 1 Ethernet, 32 InfiniBand
 */
public record FakeNic(
    String pciAddress,
    String ifName,
    String vendor,
    String deviceId,
    String pfDriver,
    String vfDeviceId,
    String vfDriver,
    int totalVfs,
    int vfOffset,
    int vfStride,
    int mtu,
    int maxMtu,
    String mac,
    int linkType) {

  /** Intel XXV710 (8086:158b, i40e; VFs 8086:154c on iavf), 64 VFs from function offset 16. */
  public static FakeNic intelXxv710(String pciAddress, String ifName) {
    return new FakeNic(
        pciAddress,
        ifName,
        "8086",
        "158b",
        "i40e",
        "154c",
        "iavf",
        64,
        16,
        1,
        1500,
        9702,
        "3c:fd:fe:a0:" + lastTwoOctets(pciAddress),
        1);
  }

  /** NVIDIA/Mellanox ConnectX-5 (15b3:1017, mlx5_core; VFs 15b3:1018 on mlx5_core), 16 VFs. */
  public static FakeNic mellanoxConnectX5(String pciAddress, String ifName) {
    return new FakeNic(
        pciAddress,
        ifName,
        "15b3",
        "1017",
        "mlx5_core",
        "1018",
        "mlx5_core",
        16,
        2,
        1,
        1500,
        9978,
        "b8:59:9f:c0:" + lastTwoOctets(pciAddress),
        1);
  }

  public FakeNic withTotalVfs(int total) {
    return new FakeNic(
        pciAddress,
        ifName,
        vendor,
        deviceId,
        pfDriver,
        vfDeviceId,
        vfDriver,
        total,
        vfOffset,
        vfStride,
        mtu,
        maxMtu,
        mac,
        linkType);
  }

  public FakeNic withMtu(int newMtu) {
    return new FakeNic(
        pciAddress,
        ifName,
        vendor,
        deviceId,
        pfDriver,
        vfDeviceId,
        vfDriver,
        totalVfs,
        vfOffset,
        vfStride,
        newMtu,
        maxMtu,
        mac,
        linkType);
  }

  public FakeNic withLinkType(int arphrd) {
    return new FakeNic(
        pciAddress,
        ifName,
        vendor,
        deviceId,
        pfDriver,
        vfDeviceId,
        vfDriver,
        totalVfs,
        vfOffset,
        vfStride,
        mtu,
        maxMtu,
        mac,
        arphrd);
  }

  /** PCI address of VF {@code index}: routing id = PF id + offset + index * stride. */
  public String vfAddress(int index) {
    String[] domainRest = pciAddress.split(":", 2);
    String[] busDevFn = domainRest[1].split("[:.]");
    int bus = Integer.parseInt(busDevFn[0], 16);
    int dev = Integer.parseInt(busDevFn[1], 16);
    int fn = Integer.parseInt(busDevFn[2], 16);
    int rid = (bus << 8) | (dev << 3) | fn;
    int vfRid = rid + vfOffset + index * vfStride;
    return String.format(
        "%s:%02x:%02x.%x", domainRest[0], (vfRid >> 8) & 0xff, (vfRid >> 3) & 0x1f, vfRid & 0x7);
  }

  /** Netdev name the VF driver gives VF {@code index} (udev-style {@code <pf>v<n>}). */
  public String vfIfName(int index) {
    return ifName + "v" + index;
  }

  /** Bus and function as the last two MAC octets, so every fake port has a distinct MAC. */
  private static String lastTwoOctets(String pciAddress) {
    String bus = pciAddress.substring(5, 7);
    int fn = pciAddress.charAt(pciAddress.length() - 1) - '0';
    return String.format("%s:%02x", bus, fn);
  }
}

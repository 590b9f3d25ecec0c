package io.multihome.sriov.policy;

import java.util.List;
import java.util.Optional;

/**
 * The NIC models policies may select, as upstream's {@code supported-nic-ids} ConfigMap lists them
 * ({@code "<vendor> <pfDevice> <vfDevice>"}). {@link #permissive()} is upstream's DEV_MODE: any
 * NIC.
 */
public final class SupportedNics {
  /** One model: PF vendor/device and the device id its VFs carry. */
  public record Model(String vendor, String pfDevice, String vfDevice) {
    public static Model parse(String line) {
      String[] f = line.strip().split("\\s+");
      if (f.length != 3) {
        throw new IllegalArgumentException(
            "supported NIC entry \"" + line + "\" must be \"<vendor> <pfDevice> <vfDevice>\"");
      }
      return new Model(f[0], f[1], f[2]);
    }
  }

  private static final List<String> UPSTREAM_DEFAULTS =
      List.of(
          "8086 158a 154c",
          "8086 158b 154c",
          "8086 1572 154c",
          "8086 0d58 154c",
          "8086 1583 154c",
          "8086 1581 154c",
          "8086 1589 154c",
          "8086 15ff 154c",
          "8086 1563 1565",
          "8086 10c9 10ca",
          "8086 1591 1889",
          "8086 1592 1889",
          "8086 1593 1889",
          "8086 1599 1889",
          "8086 159b 1889",
          "15b3 1013 1014",
          "15b3 1015 1016",
          "15b3 1017 1018",
          "15b3 1019 101a",
          "15b3 101b 101c",
          "15b3 101d 101e",
          "15b3 101f 101e",
          "15b3 1021 101e",
          "15b3 1023 101e",
          "15b3 a2d6 101e",
          "15b3 a2dc 101e",
          "14e4 16d7 16dc",
          "14e4 1750 1806",
          "1077 1654 1664",
          "1af4 1000 1000",
          "1af4 1041 1041",
          "1d0f ec20 ec21");

  private final List<Model> models;
  private final boolean permissive;

  private SupportedNics(List<Model> models, boolean permissive) {
    this.models = List.copyOf(models);
    this.permissive = permissive;
  }

  public static SupportedNics of(List<String> lines) {
    return new SupportedNics(lines.stream().map(Model::parse).toList(), false);
  }

  /** Intel, NVIDIA/Mellanox, Broadcom, QLogic, virtio and ENA models upstream ships. */
  public static SupportedNics upstreamDefaults() {
    return of(UPSTREAM_DEFAULTS);
  }

  /** Every NIC is accepted (upstream DEV_MODE=TRUE). */
  public static SupportedNics permissive() {
    return new SupportedNics(upstreamDefaults().models, true);
  }

  public boolean isPermissive() {
    return permissive;
  }

  public boolean vendorSupported(String vendor) {
    return permissive || models.stream().anyMatch(m -> m.vendor().equals(vendor));
  }

  public boolean deviceSupported(String deviceId) {
    return permissive || models.stream().anyMatch(m -> m.pfDevice().equals(deviceId));
  }

  public boolean modelSupported(String vendor, String deviceId) {
    return permissive
        || models.stream()
            .anyMatch(m -> m.vendor().equals(vendor) && m.pfDevice().equals(deviceId));
  }

  public Optional<String> vfDeviceOf(String vendor, String pfDevice) {
    return models.stream()
        .filter(m -> m.vendor().equals(vendor) && m.pfDevice().equals(pfDevice))
        .map(Model::vfDevice)
        .findFirst();
  }
}

package io.multihome.agent.cni.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.cni.Delegate;
import io.multihome.agent.cni.exec.CniException;
import java.util.Optional;

/**
 * Which node device a delegate's plugins move into the pod, read from its config the way the plugin
 * reads it. {@code host-device} (containernetworking/plugins {@code getLink}): {@code device}, else
 * {@code hwaddr}, else {@code kernelpath}, else {@code pciBusID} / runtime {@code deviceID}; {@code
 * sriov}: the VF's PCI address ({@code deviceID}).
 */
record DeviceSelector(Kind kind, String value) {

  enum Kind {
    NAME,
    MAC,
    KERNEL_PATH,
    PCI_ADDRESS,
    VF_PCI_ADDRESS
  }

  static final String HOST_DEVICE = "host-device";
  static final String SRIOV = "sriov";

  static Optional<DeviceSelector> of(Delegate delegate) throws CniException {
    for (ObjectNode plugin : delegate.networkList().plugins()) {
      String type = plugin.path("type").asText();
      if (type.equals(HOST_DEVICE)) {
        return hostDevice(plugin, delegate);
      }
      if (type.equals(SRIOV)) {
        String pci = deviceId(plugin, delegate);
        return pci.isEmpty()
            ? Optional.empty()
            : Optional.of(new DeviceSelector(Kind.VF_PCI_ADDRESS, pci));
      }
    }
    return Optional.empty();
  }

  private static Optional<DeviceSelector> hostDevice(ObjectNode plugin, Delegate delegate) {
    if (!text(plugin, "device").isEmpty()) {
      return Optional.of(new DeviceSelector(Kind.NAME, text(plugin, "device")));
    }
    if (!text(plugin, "hwaddr").isEmpty()) {
      return Optional.of(new DeviceSelector(Kind.MAC, text(plugin, "hwaddr")));
    }
    if (!text(plugin, "kernelpath").isEmpty()) {
      return Optional.of(new DeviceSelector(Kind.KERNEL_PATH, text(plugin, "kernelpath")));
    }
    String pci = deviceId(plugin, delegate);
    if (pci.isEmpty()) {
      pci = text(plugin, "pciBusID");
    }
    return pci.isEmpty()
        ? Optional.empty()
        : Optional.of(new DeviceSelector(Kind.PCI_ADDRESS, pci));
  }

  /** The device the pod was given: runtime {@code deviceID}, else the top-level one we inject. */
  private static String deviceId(ObjectNode plugin, Delegate delegate) {
    boolean capability = plugin.path("capabilities").path("deviceID").asBoolean(false);
    String runtime = capability ? delegate.capabilityArgs().path("deviceID").asText("") : "";
    if (!runtime.isEmpty()) {
      return runtime;
    }
    String injected = delegate.topLevel().path("deviceID").asText("");
    return injected.isEmpty() ? text(plugin, "deviceID") : injected;
  }

  private static String text(JsonNode plugin, String key) {
    return plugin.path(key).asText("");
  }
}

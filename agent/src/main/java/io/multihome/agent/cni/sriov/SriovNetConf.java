package io.multihome.agent.cni.sriov;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.cni.exec.CniException;
import io.multihome.sriov.sysfs.SysfsLayout;
import java.io.IOException;
import java.util.Locale;

/**
 * The parts of an sriov-cni plugin config the attachment uses, as sriov-network-operator renders
 * them ({@code vlan}, {@code vlanQoS}, {@code vlanProto}, {@code spoofchk}/{@code trust} as
 * "on"/"off", {@code link_state}, {@code min_tx_rate}/{@code max_tx_rate}, {@code mac}, {@code
 * ipam}); a requested MAC comes from {@code runtimeConfig.mac}, {@code args.cni.mac} or {@code
 * mac}. The device comes from {@code runtimeConfig.deviceID} (capability), else the top-level
 * {@code deviceID}/{@code pciBusID} the runtime or the NAD sets.
 *
 * @param vlan always applied (default 0 clears a VLAN a previous user left, as sriov-cni does)
 * @param linkState 0 auto, 1 enable, 2 disable; null leaves it
 */
public record SriovNetConf(
    String deviceId,
    int vlan,
    int vlanQos,
    int vlanProto,
    String mac,
    Boolean spoofchk,
    Boolean trust,
    Integer linkState,
    Integer minTxRate,
    Integer maxTxRate,
    String ipamType) {

  private static final ObjectMapper JSON = new ObjectMapper();
  public static final int PROTO_8021Q = 0x8100;
  public static final int PROTO_8021AD = 0x88a8;

  public static SriovNetConf parse(byte[] stdin) throws CniException {
    JsonNode root;
    try {
      root = JSON.readTree(stdin);
    } catch (IOException e) {
      throw invalid("config", "not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw invalid("config", "must be a JSON object");
    }
    return parse((ObjectNode) root);
  }

  public static SriovNetConf parse(ObjectNode c) throws CniException {
    String deviceId = text(c.path("runtimeConfig"), "runtimeConfig.deviceID", "deviceID");
    if (deviceId == null) {
      deviceId = text(c, "deviceID", "deviceID");
    }
    if (deviceId == null) {
      deviceId = text(c, "pciBusID", "pciBusID");
    }
    if (deviceId == null) {
      throw invalid(
          "deviceID",
          "missing: no runtimeConfig.deviceID, deviceID or pciBusID (is the NAD's"
              + " k8s.v1.cni.cncf.io/resourceName annotation set and a device allocated?)");
    }
    deviceId = deviceId.toLowerCase(Locale.ROOT);
    if (!SysfsLayout.PCI_ADDRESS.matcher(deviceId).matches()) {
      throw invalid("deviceID", "\"" + deviceId + "\" is not a PCI address (dddd:bb:dd.f)");
    }
    int vlan = intIn(c, "vlan", 0, 4094, 0);
    int qos = intIn(c, "vlanQoS", 0, 7, 0);
    if (qos != 0 && vlan == 0) {
      throw invalid("vlanQoS", "needs a non-zero vlan");
    }
    int proto = PROTO_8021Q;
    String protoText = text(c, "vlanProto", "vlanProto");
    if (protoText != null) {
      proto =
          switch (protoText.toLowerCase(Locale.ROOT)) {
            case "802.1q" -> PROTO_8021Q;
            case "802.1ad" -> PROTO_8021AD;
            default -> throw invalid("vlanProto", "\"" + protoText + "\" is not 802.1q or 802.1ad");
          };
      if (proto != PROTO_8021Q && vlan == 0) {
        throw invalid("vlanProto", "802.1ad needs a non-zero vlan");
      }
    }
    String mac = text(c.path("runtimeConfig"), "runtimeConfig.mac", "mac");
    if (mac == null) {
      mac = text(c.path("args").path("cni"), "args.cni.mac", "mac"); // CNI CONVENTIONS
    }
    if (mac == null) {
      mac = text(c, "mac", "mac");
    }
    if (mac != null && !mac.matches("(?i)([0-9a-f]{2}:){5}[0-9a-f]{2}")) {
      throw invalid("mac", "\"" + mac + "\" is not a 6-byte MAC address");
    }
    Integer linkState = null;
    String ls = text(c, "link_state", "link_state");
    if (ls != null) {
      linkState =
          switch (ls) {
            case "auto" -> 0;
            case "enable" -> 1;
            case "disable" -> 2;
            default -> throw invalid("link_state", "\"" + ls + "\" is not auto, enable or disable");
          };
    }
    Integer min = c.has("min_tx_rate") ? intIn(c, "min_tx_rate", 0, Integer.MAX_VALUE, 0) : null;
    Integer max = c.has("max_tx_rate") ? intIn(c, "max_tx_rate", 0, Integer.MAX_VALUE, 0) : null;
    if (min != null && max != null && max != 0 && min > max) {
      throw invalid("min_tx_rate", min + " is above max_tx_rate " + max);
    }
    String ipamType = null;
    if (c.has("ipam") && !c.get("ipam").isEmpty()) {
      ipamType = text(c.get("ipam"), "ipam.type", "type");
      if (ipamType == null) {
        throw invalid("ipam.type", "missing");
      }
    }
    return new SriovNetConf(
        deviceId,
        vlan,
        qos,
        proto,
        mac == null ? null : mac.toLowerCase(Locale.ROOT),
        onOff(c, "spoofchk"),
        onOff(c, "trust"),
        linkState,
        min,
        max,
        ipamType);
  }

  private static String text(JsonNode node, String path, String key) throws CniException {
    JsonNode v = node.path(key);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw invalid(path, "must be a string");
    }
    return v.asText().isEmpty() ? null : v.asText();
  }

  private static int intIn(ObjectNode c, String key, int min, int max, int dflt)
      throws CniException {
    JsonNode v = c.path(key);
    if (v.isMissingNode() || v.isNull()) {
      return dflt;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw invalid(key, "must be an integer");
    }
    int value = v.asInt();
    if (value < min || value > max) {
      throw invalid(key, value + " is outside " + min + ".." + max);
    }
    return value;
  }

  private static Boolean onOff(ObjectNode c, String key) throws CniException {
    String v = text(c, key, key);
    if (v == null) {
      return null;
    }
    return switch (v) {
      case "on" -> true;
      case "off" -> false;
      default -> throw invalid(key, "\"" + v + "\" is not \"on\" or \"off\"");
    };
  }

  private static CniException invalid(String field, String reason) {
    return new CniException(CniException.INVALID_CONFIG, "sriov config " + field + ": " + reason);
  }
}

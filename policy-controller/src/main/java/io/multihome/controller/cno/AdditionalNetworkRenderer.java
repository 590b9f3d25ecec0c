package io.multihome.controller.cno;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.multihome.api.openshift.AdditionalNetworkDefinition;
import io.multihome.api.openshift.IpamConfig;
import io.multihome.api.openshift.NetworkSpec;
import io.multihome.api.openshift.SimpleMacvlanConfig;
import io.multihome.api.openshift.StaticIpamConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Validates and renders {@code spec.additionalNetworks} as the CNO does ({@code
 * validateAdditionalNetworks}, {@code renderRawCNIConfig}, {@code renderSimpleMacvlanConfig}, with
 * {@code DeprecatedCanonicalize}'s case-insensitive types and modes). The config strings are what
 * the CNO's templates produce after YAML parsing, byte for byte.
 *
 * <p>One difference on purpose: the CNO refuses the whole list when one entry is invalid; here each
 * entry stands alone (a bad entry is reported and its NAD left as it was, the others are rendered),
 * so one typo cannot hold back every other network. Also checked here, where the CNO would render
 * broken JSON or fail at apply time: {@code master} must be an interface name, and a name/namespace
 * pair may appear once.
 */
public final class AdditionalNetworkRenderer {
  public static final String DEFAULT_NAMESPACE = "default";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern IFNAME = Pattern.compile("[^/\\s:\"'\\\\]{1,15}");

  /** Every valid entry rendered, every invalid one explained, in list order. */
  public record Result(List<RenderedNad> nads, List<EntryProblem> problems) {}

  private AdditionalNetworkRenderer() {}

  public static Result render(NetworkSpec spec) {
    var nads = new ArrayList<RenderedNad>();
    var problems = new ArrayList<EntryProblem>();
    var entries = spec.getAdditionalNetworks();
    boolean multus = spec.getDisableMultiNetwork() == null || !spec.getDisableMultiNetwork();
    var seen = new HashSet<String>();
    for (int i = 0; i < entries.size(); i++) {
      var entry = entries.get(i);
      if (entry == null) {
        problems.add(new EntryProblem(i, null, "empty entry"));
        continue;
      }
      String namespace = blank(entry.getNamespace()) ? DEFAULT_NAMESPACE : entry.getNamespace();
      String key = blank(entry.getName()) ? null : namespace + "/" + entry.getName();
      if (!multus) {
        problems.add(
            new EntryProblem(
                i, key, "additional networks cannot be specified without deploying Multus"));
        continue;
      }
      var errors = validate(entry);
      if (key != null && !seen.add(key)) {
        errors.add("an earlier entry already renders NetworkAttachmentDefinition " + key);
      }
      if (!errors.isEmpty()) {
        problems.add(new EntryProblem(i, key, String.join("; ", errors)));
        continue;
      }
      nads.add(new RenderedNad(i, namespace, entry.getName(), config(entry)));
    }
    return new Result(nads, problems);
  }

  /** {@code Raw} / {@code SimpleMacvlan} matched without case; anything else unchanged. */
  static String canonicalType(String type) {
    if (type == null) {
      return "";
    }
    return switch (type.toLowerCase(Locale.ROOT)) {
      case "raw" -> AdditionalNetworkDefinition.TYPE_RAW;
      case "simplemacvlan" -> AdditionalNetworkDefinition.TYPE_SIMPLE_MACVLAN;
      default -> type;
    };
  }

  static String canonicalMode(String mode) {
    return switch (mode.toLowerCase(Locale.ROOT)) {
      case "bridge" -> "Bridge";
      case "private" -> "Private";
      case "vepa" -> "VEPA";
      case "passthru" -> "Passthru";
      default -> mode;
    };
  }

  private static List<String> validate(AdditionalNetworkDefinition entry) {
    var errors = new ArrayList<String>();
    String type = canonicalType(entry.getType());
    switch (type) {
      case AdditionalNetworkDefinition.TYPE_RAW -> {
        nameRequired(entry, errors);
        if (!isJsonObject(entry.getRawCniConfig())) {
          errors.add("failed to Unmarshal RawCNIConfig: " + entry.getRawCniConfig());
        }
      }
      case AdditionalNetworkDefinition.TYPE_SIMPLE_MACVLAN -> {
        nameRequired(entry, errors);
        var macvlan = entry.getSimpleMacvlanConfig();
        if (macvlan != null) {
          validateMacvlan(macvlan, errors);
        }
      }
      default -> errors.add("unknown or unsupported NetworkType: " + entry.getType());
    }
    return errors;
  }

  private static void nameRequired(AdditionalNetworkDefinition entry, List<String> errors) {
    if (blank(entry.getName())) {
      errors.add("Additional Network Name cannot be nil");
    }
  }

  private static void validateMacvlan(SimpleMacvlanConfig c, List<String> errors) {
    if (c.getIpamConfig() != null) {
      String ipam = IpamJson.canonicalType(c.getIpamConfig().getType());
      if (IpamConfig.STATIC.equals(ipam)) {
        if (c.getIpamConfig().getStaticIpamConfig() != null) {
          validateStatic(c.getIpamConfig().getStaticIpamConfig(), errors);
        }
      } else if (!IpamConfig.DHCP.equals(ipam)) {
        errors.add("invalid IPAM type: " + (ipam == null ? "" : ipam));
      }
    }
    if (!blank(c.getMode())
        && !List.of("Bridge", "Private", "VEPA", "Passthru").contains(canonicalMode(c.getMode()))) {
      errors.add("invalid Macvlan mode: " + c.getMode());
    }
    if (!blank(c.getMaster()) && !IFNAME.matcher(c.getMaster()).matches()) {
      errors.add("simpleMacvlanConfig.master: \"" + c.getMaster() + "\" is not an interface name");
    }
    if (c.getMtu() != null && c.getMtu() < 0) {
      errors.add("simpleMacvlanConfig.mtu: must not be negative");
    }
  }

  private static void validateStatic(StaticIpamConfig c, List<String> errors) {
    for (var a : c.getAddresses()) {
      if (GoText.parseCidr(a.getAddress()) == null) {
        errors.add("invalid static address: invalid CIDR address: " + a.getAddress());
      }
      if (!blank(a.getGateway()) && GoText.parseIp(a.getGateway()) == null) {
        errors.add("invalid gateway: " + a.getGateway());
      }
    }
    for (var r : c.getRoutes()) {
      if (GoText.parseCidr(r.getDestination()) == null) {
        errors.add("invalid route destination: invalid CIDR address: " + r.getDestination());
      }
      if (!blank(r.getGateway()) && GoText.parseIp(r.getGateway()) == null) {
        errors.add("invalid gateway: " + r.getGateway());
      }
    }
  }

  private static String config(AdditionalNetworkDefinition entry) {
    if (AdditionalNetworkDefinition.TYPE_RAW.equals(canonicalType(entry.getType()))) {
      // A YAML literal block with strip chomping ("config: |-"): trailing line breaks go.
      return entry.getRawCniConfig().stripTrailing();
    }
    return macvlanConfig(entry.getSimpleMacvlanConfig());
  }

  /**
   * The CNO's single-quoted YAML template after folding: single line breaks become spaces, each
   * empty line a newline, so every optional field starts a new line.
   */
  static String macvlanConfig(SimpleMacvlanConfig c) {
    var out = new StringBuilder("{ \"cniVersion\": \"0.3.1\", \"type\": \"macvlan\",");
    IpamConfig ipam = null;
    if (c != null) {
      if (!blank(c.getMaster())) {
        out.append("\n\"master\": \"").append(c.getMaster()).append("\",");
      }
      if (!blank(c.getMode())) {
        out.append("\n\"mode\": \"")
            .append(canonicalMode(c.getMode()).toLowerCase(Locale.ROOT))
            .append("\",");
      }
      if (c.getMtu() != null && c.getMtu() != 0) {
        out.append("\n\"mtu\": ").append(c.getMtu()).append(',');
      }
      ipam = c.getIpamConfig();
    }
    return out.append("\n\"ipam\":       ").append(IpamJson.of(ipam)).append(" }").toString();
  }

  private static boolean isJsonObject(String text) {
    if (text == null) {
      return false;
    }
    try {
      var node = JSON.readTree(text);
      return node != null && (node.isObject() || node.isNull());
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isEmpty();
  }
}

package io.multihome.lab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.api.nad.selection.Validation;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Cluster IPs of Services as kube-apiserver allocates them on a dual-stack cluster (IPv4 first):
 * {@code ipFamilyPolicy} (SingleStack by default; PreferDualStack and RequireDualStack get both
 * families), {@code ipFamilies} (the order of {@code clusterIPs}; {@code clusterIP} is the first),
 * requested addresses checked against the range and what is taken, headless Services kept {@code
 * None} (with selector: SingleStack of the first family; without: RequireDualStack), ExternalName
 * Services without addresses. Freed when the Service is deleted.
 */
final class ServiceIps {
  static final String IPV4 = "IPv4";
  static final String IPV6 = "IPv6";
  private static final List<String> POLICIES =
      List.of("PreferDualStack", "RequireDualStack", "SingleStack");

  /** One family's range: addresses by offset from the network address. */
  private static final class Range {
    final BigInteger base;
    final BigInteger size;
    final int bytes;
    final Set<BigInteger> used = new HashSet<>();

    Range(String cidr) {
      String[] parts = cidr.split("/");
      byte[] network = parse(parts[0]);
      this.bytes = network.length;
      this.base = new BigInteger(1, network);
      this.size = BigInteger.ONE.shiftLeft(bytes * 8 - Integer.parseInt(parts[1]));
    }

    Optional<BigInteger> offset(String ip) {
      byte[] b = parse(ip);
      if (b == null || b.length != bytes) {
        return Optional.empty();
      }
      var off = new BigInteger(1, b).subtract(base);
      // The network address and (IPv4) the broadcast address are never handed out.
      return off.signum() > 0 && off.compareTo(size.subtract(BigInteger.ONE)) < 0
          ? Optional.of(off)
          : Optional.empty();
    }

    String address(BigInteger offset) {
      byte[] raw = base.add(offset).toByteArray();
      byte[] out = new byte[bytes];
      int n = Math.min(raw.length, bytes);
      System.arraycopy(raw, raw.length - n, out, bytes - n, n);
      try {
        // Written as kube-apiserver writes it (Go's net.IP: RFC 5952 for IPv6).
        return Validation.canonicalIp(InetAddress.getByAddress(out).getHostAddress());
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }

    Optional<BigInteger> next() {
      // In order from .1; a range larger than the lab ever fills is scanned from its start only.
      var limit = size.subtract(BigInteger.ONE).min(BigInteger.valueOf(1 << 20));
      for (var i = BigInteger.ONE; i.compareTo(limit) < 0; i = i.add(BigInteger.ONE)) {
        if (!used.contains(i)) {
          return Optional.of(i);
        }
      }
      return Optional.empty();
    }
  }

  private final Map<String, Range> ranges = new LinkedHashMap<>();
  private final Supplier<Iterable<ObjectNode>> services;

  /**
   * @param ipv4Range e.g. {@code 198.18.240.0/22}
   * @param ipv6Range e.g. {@code 2001:db8:240::/112}; null for an IPv4-only cluster
   * @param services the stored Services (what is taken after a restart of the server)
   */
  ServiceIps(String ipv4Range, String ipv6Range, Supplier<Iterable<ObjectNode>> services) {
    ranges.put(IPV4, new Range(ipv4Range));
    if (ipv6Range != null) {
      ranges.put(IPV6, new Range(ipv6Range));
    }
    this.services = services;
  }

  /** Fills in a new Service's addresses, or the errors kube-apiserver gives (field paths). */
  synchronized List<CrdSchemas.FieldError> allocate(ObjectNode spec, boolean dryRun) {
    if (spec.path("type").asText().equals("ExternalName")) {
      return List.of();
    }
    var errors = new ArrayList<CrdSchemas.FieldError>();
    String policy = spec.path("ipFamilyPolicy").asText("");
    if (!policy.isEmpty() && !POLICIES.contains(policy)) {
      errors.add(unsupported("spec.ipFamilyPolicy", policy, POLICIES));
    }
    var families = new ArrayList<String>();
    JsonNode given = spec.path("ipFamilies");
    for (int i = 0; i < given.size(); i++) {
      String f = given.get(i).asText();
      if (!f.equals(IPV4) && !f.equals(IPV6)) {
        errors.add(unsupported("spec.ipFamilies[" + i + "]", f, List.of(IPV4, IPV6)));
      } else if (families.contains(f)) {
        errors.add(
            new CrdSchemas.FieldError(
                "spec.ipFamilies[" + i + "]",
                "FieldValueDuplicate",
                "Duplicate value: \"" + f + "\""));
      } else {
        families.add(f);
      }
    }
    var asked = askedIps(spec);
    if (!errors.isEmpty()) {
      return errors;
    }
    boolean headless = !asked.isEmpty() && asked.get(0).equals("None");
    if (policy.isEmpty()) {
      boolean selector = spec.path("selector").size() > 0;
      policy = headless && !selector ? "RequireDualStack" : "SingleStack";
    }
    if (families.isEmpty()) {
      for (String ip : headless ? List.<String>of() : asked) {
        String f = family(ip);
        if (f != null && !families.contains(f)) {
          families.add(f);
        }
      }
      if (families.isEmpty()) {
        families.add(IPV4);
      }
    }
    if (policy.equals("SingleStack") && families.size() > 1) {
      return List.of(
          new CrdSchemas.FieldError(
              "spec.ipFamilies",
              "FieldValueInvalid",
              "Invalid value: "
                  + families
                  + ": when spec.ipFamilyPolicy is SingleStack, only one family may be given"));
    }
    if (!policy.equals("SingleStack") && families.size() == 1 && ranges.size() > 1) {
      families.add(families.get(0).equals(IPV4) ? IPV6 : IPV4);
    }
    for (int i = 0; i < families.size(); i++) {
      if (!ranges.containsKey(families.get(i))) {
        return List.of(
            new CrdSchemas.FieldError(
                "spec.ipFamilies[" + i + "]",
                "FieldValueInvalid",
                "Invalid value: \"" + families.get(i) + "\": not configured on this cluster"));
      }
    }
    spec.put("ipFamilyPolicy", policy);
    var familyArray = spec.putArray("ipFamilies");
    families.forEach(familyArray::add);
    if (headless) {
      spec.put("clusterIP", "None");
      spec.putArray("clusterIPs").add("None");
      return List.of();
    }
    learnUsed();
    var ips = new ArrayList<String>();
    var taken = new ArrayList<Map.Entry<Range, BigInteger>>();
    for (int i = 0; i < families.size(); i++) {
      Range range = ranges.get(families.get(i));
      BigInteger offset;
      if (i < asked.size() && !asked.get(i).isEmpty()) {
        String ip = asked.get(i);
        var off =
            family(ip) != null && family(ip).equals(families.get(i)) ? range.offset(ip) : null;
        if (off == null || off.isEmpty()) {
          return List.of(invalidIp(i, ip, "provided IP is not in the valid range"));
        }
        if (range.used.contains(off.get())) {
          return List.of(invalidIp(i, ip, "provided IP is already allocated"));
        }
        offset = off.get();
      } else {
        var next = range.next();
        if (next.isEmpty()) {
          return List.of(
              new CrdSchemas.FieldError(
                  "spec.clusterIPs",
                  "InternalError",
                  "failed to allocate a serviceIP: range is full (" + families.get(i) + ")"));
        }
        offset = next.get();
      }
      taken.add(Map.entry(range, offset));
      ips.add(range.address(offset));
    }
    if (!dryRun) {
      taken.forEach(t -> t.getKey().used.add(t.getValue()));
    }
    spec.put("clusterIP", ips.get(0));
    ArrayNode clusterIps = spec.putArray("clusterIPs");
    ips.forEach(clusterIps::add);
    return List.of();
  }

  /** An update keeps what was allocated; changing it is refused as kube-apiserver refuses it. */
  List<CrdSchemas.FieldError> keep(ObjectNode spec, JsonNode old) {
    JsonNode oldSpec = old == null ? null : old.path("spec");
    if (oldSpec == null || oldSpec.path("clusterIP").asText().isEmpty()) {
      return List.of();
    }
    String oldIp = oldSpec.path("clusterIP").asText();
    String asked = spec.path("clusterIP").asText();
    if (!asked.isEmpty() && !asked.equals(oldIp)) {
      return List.of(
          new CrdSchemas.FieldError(
              "spec.clusterIPs[0]",
              "FieldValueInvalid",
              "Invalid value: \"" + asked + "\": may not change once set"));
    }
    for (String field : List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy")) {
      if (!spec.hasNonNull(field) && oldSpec.has(field)) {
        spec.set(field, oldSpec.get(field).deepCopy());
      }
    }
    return List.of();
  }

  /** Frees a deleted Service's addresses. */
  synchronized void released(JsonNode service) {
    for (String ip : ipsOf(service)) {
      Range range = ranges.get(family(ip));
      if (range != null) {
        range.offset(ip).ifPresent(range.used::remove);
      }
    }
  }

  private void learnUsed() {
    for (var s : services.get()) {
      for (String ip : ipsOf(s)) {
        Range range = ranges.get(family(ip));
        if (range != null) {
          range.offset(ip).ifPresent(range.used::add);
        }
      }
    }
  }

  private static List<String> ipsOf(JsonNode service) {
    var out = new ArrayList<String>();
    JsonNode spec = service.path("spec");
    spec.path("clusterIPs").forEach(ip -> out.add(ip.asText()));
    if (out.isEmpty() && !spec.path("clusterIP").asText().isEmpty()) {
      out.add(spec.path("clusterIP").asText());
    }
    out.removeIf(ip -> ip.isEmpty() || ip.equals("None"));
    return out;
  }

  private static List<String> askedIps(ObjectNode spec) {
    var out = new ArrayList<String>();
    spec.path("clusterIPs").forEach(ip -> out.add(ip.asText()));
    String single = spec.path("clusterIP").asText();
    if (out.isEmpty() && !single.isEmpty()) {
      out.add(single);
    }
    return out;
  }

  /** IPv4 or IPv6 for an address literal, else null. */
  static String family(String ip) {
    byte[] b = parse(ip);
    return b == null ? null : b.length == 4 ? IPV4 : IPV6;
  }

  private static byte[] parse(String ip) {
    // Literals only: InetAddress would resolve a host name.
    if (ip == null || ip.isEmpty() || !ip.matches("[0-9a-fA-F:.]+")) {
      return null;
    }
    try {
      var a = InetAddress.getByName(ip);
      return a instanceof Inet4Address && ip.contains(":") ? null : a.getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static CrdSchemas.FieldError invalidIp(int index, String ip, String why) {
    return new CrdSchemas.FieldError(
        "spec.clusterIPs" + (index == 0 ? "" : "[" + index + "]"),
        "FieldValueInvalid",
        "Invalid value: [\"" + ip + "\"]: failed to allocate IP " + ip + ": " + why);
  }

  private static CrdSchemas.FieldError unsupported(String field, String value, List<String> ok) {
    return new CrdSchemas.FieldError(
        field,
        "FieldValueNotSupported",
        "Unsupported value: \""
            + value
            + "\": supported values: "
            + String.join(", ", ok.stream().map(v -> "\"" + v + "\"").toList()));
  }
}

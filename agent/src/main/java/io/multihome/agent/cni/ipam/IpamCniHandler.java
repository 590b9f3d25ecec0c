package io.multihome.agent.cni.ipam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.cni.CniArgs;
import io.multihome.agent.cni.CniResults;
import io.multihome.agent.cni.daemon.CniHandler;
import io.multihome.agent.cni.daemon.CniRequest;
import io.multihome.agent.cni.daemon.CniResponse;
import io.multihome.agent.cni.exec.CniException;
import io.multihome.agent.cni.exec.CniVersions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon side of the {@code whereabouts} binary: a main plugin (macvlan, bridge, …) execs it as
 * its IPAM with its own CNI environment and config; the shim forwards both here. ADD allocates and
 * prints an IPAM result, DEL frees (and, as whereabouts, never fails: what it cannot free, the
 * reconciler frees later), CHECK verifies the pools still hold the sandbox's addresses.
 */
public final class IpamCniHandler implements CniHandler {

  private static final Logger LOG = LoggerFactory.getLogger(IpamCniHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WhereaboutsIpam ipam;
  private final WhereaboutsConfigParser parser;

  public IpamCniHandler(WhereaboutsIpam ipam, WhereaboutsConfigParser parser) {
    this.ipam = ipam;
    this.parser = parser;
  }

  @Override
  public CniResponse handle(CniRequest request) {
    String version = "1.0.0";
    try {
      version = declaredVersion(request.config());
      String command = request.get("CNI_COMMAND");
      if (command == null) {
        throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_COMMAND is not set");
      }
      return switch (command) {
        case "VERSION" -> CniResponse.ok(versions(version));
        case "ADD" -> add(request);
        case "DEL" -> del(request);
        case "CHECK" -> check(request);
        // Pools are shared by all nodes: one node's runtime cannot tell which entries are stale
        // (GC); the reconciler does that with the whole cluster's pods in view.
        case "STATUS", "GC" -> CniResponse.ok("");
        default ->
            throw new CniException(
                CniException.INVALID_ENVIRONMENT,
                "CNI_COMMAND \"" + command + "\" is not supported");
      };
    } catch (CniException e) {
      return CniResponse.error(e.toJson(version).toString());
    } catch (RuntimeException e) {
      LOG.error("whereabouts request failed unexpectedly", e);
      return CniResponse.error(
          new CniException(999, "whereabouts: internal error: " + e).toJson(version).toString());
    }
  }

  private CniResponse add(CniRequest request) throws CniException {
    WhereaboutsConfig config = parser.parse(request.config());
    Owner owner = owner(request, true);
    List<RequestedIps.Request> requests =
        RequestedIps.from(request.config(), request.get("CNI_ARGS"));
    List<WhereaboutsIpam.Assigned> assigned = ipam.add(config, owner, requests);
    LOG.info(
        "whereabouts ADD {} {} on {}: {}",
        owner.podRef(),
        owner.ifName(),
        config.name(),
        assigned.stream().map(a -> a.cidr().toString()).toList());
    return CniResponse.ok(result(config, assigned, request.get("CNI_ARGS")).toString());
  }

  private CniResponse del(CniRequest request) throws CniException {
    Owner owner = owner(request, false);
    WhereaboutsConfig config;
    try {
      config = parser.parse(request.config());
    } catch (CniException e) {
      // Nothing can have been allocated with a config that does not parse.
      LOG.warn("whereabouts DEL {}: {}; nothing to free", owner.containerId(), e.getMessage());
      return CniResponse.ok("");
    }
    try {
      List<Ip> freed = ipam.del(config, owner);
      LOG.info("whereabouts DEL {} {}: freed {}", owner.containerId(), owner.ifName(), freed);
    } catch (CniException e) {
      // As whereabouts: DEL succeeds; the reconciler frees what is left once the pod is gone.
      LOG.warn("whereabouts DEL {} {}: {}", owner.containerId(), owner.ifName(), e.getMessage());
    }
    return CniResponse.ok("");
  }

  private CniResponse check(CniRequest request) throws CniException {
    WhereaboutsConfig config = parser.parse(request.config());
    ipam.check(config, owner(request, false));
    return CniResponse.ok("");
  }

  private static Owner owner(CniRequest request, boolean needPod) throws CniException {
    String containerId = request.get("CNI_CONTAINERID");
    String ifname = request.get("CNI_IFNAME");
    if (containerId == null) {
      throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_CONTAINERID is not set");
    }
    if (ifname == null) {
      throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_IFNAME is not set");
    }
    Map<String, String> args = CniArgs.parse(request.get("CNI_ARGS"));
    String ns = args.getOrDefault("K8S_POD_NAMESPACE", "");
    String name = args.getOrDefault("K8S_POD_NAME", "");
    if (needPod && (ns.isEmpty() || name.isEmpty())) {
      throw new CniException(
          CniException.INVALID_ENVIRONMENT,
          "whereabouts: CNI_ARGS has no K8S_POD_NAMESPACE/K8S_POD_NAME: allocations are recorded"
              + " per pod");
    }
    return new Owner(containerId, ns.isEmpty() && name.isEmpty() ? "" : ns + "/" + name, ifname);
  }

  /**
   * The IPAM result in the caller's version: {@code ips} from 0.3.0, {@code ip4}/{@code ip6}
   * before.
   */
  static ObjectNode result(
      WhereaboutsConfig config, List<WhereaboutsIpam.Assigned> assigned, String cniArgs)
      throws CniException {
    List<Cidr> addresses = new ArrayList<>();
    List<Ip> gateways = new ArrayList<>();
    List<Ip> argGateways = gatewaysFromArgs(cniArgs);
    for (WhereaboutsIpam.Assigned a : assigned) {
      addresses.add(a.cidr());
      Ip gw =
          argGateways.stream().filter(g -> a.range().cidr().contains(g)).findFirst().orElse(null);
      if (gw == null && config.gateway() != null && config.gateway().sameFamily(a.ip())) {
        gw = config.gateway();
      }
      gateways.add(gw);
    }
    for (WhereaboutsConfig.StaticAddress s : config.addresses()) {
      addresses.add(s.address());
      gateways.add(s.gateway());
    }
    String version = config.cniVersion();
    ObjectNode result = JSON.createObjectNode();
    if (!CniVersions.atLeast(version, "0.3.0")) {
      return legacyResult(config, version, addresses, gateways);
    }
    result.put("cniVersion", "1.0.0");
    ArrayNode ips = result.putArray("ips");
    for (int i = 0; i < addresses.size(); i++) {
      ObjectNode ip =
          ips.addObject()
              .put("address", addresses.get(i).address() + "/" + addresses.get(i).prefix());
      if (gateways.get(i) != null) {
        ip.put("gateway", gateways.get(i).toString());
      }
    }
    if (config.routes() != null) {
      result.set("routes", config.routes());
    }
    if (config.dns() != null) {
      result.set("dns", config.dns());
    }
    return CniResults.convert(result, version);
  }

  private static ObjectNode legacyResult(
      WhereaboutsConfig config, String version, List<Cidr> addresses, List<Ip> gateways)
      throws CniException {
    ObjectNode result = JSON.createObjectNode().put("cniVersion", version);
    for (int i = 0; i < addresses.size(); i++) {
      Cidr a = addresses.get(i);
      String key = a.address().v6() ? "ip6" : "ip4";
      if (result.has(key)) {
        throw new CniException(
            CniException.INCOMPATIBLE_VERSION,
            "whereabouts: CNI version "
                + version
                + " does not support more than 1 address per family");
      }
      ObjectNode entry = result.putObject(key).put("ip", a.address() + "/" + a.prefix());
      if (gateways.get(i) != null) {
        entry.put("gateway", gateways.get(i).toString());
      }
      if (config.routes() != null) {
        ArrayNode routes = entry.putArray("routes");
        for (JsonNode r : config.routes()) {
          if (r.path("dst").asText().contains(":") == a.address().v6()) {
            routes.add(r);
          }
        }
      }
    }
    if (config.dns() != null) {
      result.set("dns", config.dns());
    }
    return result;
  }

  private static List<Ip> gatewaysFromArgs(String cniArgs) throws CniException {
    List<Ip> out = new ArrayList<>();
    String value = CniArgs.parse(cniArgs).get("GATEWAY");
    if (value != null && !value.isBlank()) {
      for (String g : value.split(",")) {
        out.add(WhereaboutsConfigParser.address(g.strip(), "CNI_ARGS GATEWAY"));
      }
    }
    return out;
  }

  private static String declaredVersion(byte[] config) {
    try {
      JsonNode root = JSON.readTree(config);
      String v = root == null ? "" : root.path("cniVersion").asText("");
      return v.isEmpty() ? "1.0.0" : v;
    } catch (java.io.IOException e) {
      return "1.0.0";
    }
  }

  private static String versions(String version) {
    ObjectNode node = JSON.createObjectNode().put("cniVersion", version);
    ArrayNode supported = node.putArray("supportedVersions");
    CniVersions.ALL.forEach(supported::add);
    return node.toString();
  }
}

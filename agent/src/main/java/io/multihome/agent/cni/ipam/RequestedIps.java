package io.multihome.agent.cni.ipam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.multihome.agent.cni.CniArgs;
import io.multihome.agent.cni.exec.CniException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The addresses a pod asked for on this attachment (the {@code ips} of its networks annotation),
 * wherever the caller put them: {@code runtimeConfig.ips} (the {@code ips} capability), {@code
 * args.cni.ips} (CNI CONVENTIONS, what multihome always sets) or {@code IP=} in CNI_ARGS (the
 * legacy form whereabouts reads). The same address from several sources counts once.
 */
public final class RequestedIps {

  /** One requested address; {@code prefix} is -1 when the request gave none. */
  public record Request(Ip ip, int prefix, String source) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private RequestedIps() {}

  public static List<Request> from(byte[] pluginConfig, String cniArgs) throws CniException {
    Map<Ip, Request> out = new LinkedHashMap<>();
    JsonNode root;
    try {
      root = JSON.readTree(pluginConfig);
    } catch (IOException e) {
      root = JSON.createObjectNode(); // the config parser reports bad JSON with its path
    }
    add(out, root.path("runtimeConfig").path("ips"), "runtimeConfig.ips");
    add(out, root.path("args").path("cni").path("ips"), "args.cni.ips");
    String legacy = CniArgs.parse(cniArgs).get("IP");
    if (legacy != null && !legacy.isBlank()) {
      String[] items = legacy.split(",");
      for (int i = 0; i < items.length; i++) {
        put(out, items[i].strip(), "CNI_ARGS IP[" + i + "]");
      }
    }
    return new ArrayList<>(out.values());
  }

  private static void add(Map<Ip, Request> out, JsonNode list, String path) throws CniException {
    if (list.isMissingNode() || list.isNull()) {
      return;
    }
    if (!list.isArray()) {
      throw WhereaboutsConfigParser.invalid(path, "must be a list of addresses");
    }
    for (int i = 0; i < list.size(); i++) {
      put(out, list.get(i).asText(""), path + "[" + i + "]");
    }
  }

  private static void put(Map<Ip, Request> out, String text, String path) throws CniException {
    Request r;
    try {
      if (text.contains("/")) {
        Cidr c = Cidr.parse(text, false);
        r = new Request(c.address(), c.prefix(), path);
      } else {
        r = new Request(Ip.parse(text), -1, path);
      }
    } catch (IllegalArgumentException e) {
      throw WhereaboutsConfigParser.invalid(path, "\"" + text + "\" is not an IP address");
    }
    Request before = out.get(r.ip());
    if (before != null
        && before.prefix() >= 0
        && r.prefix() >= 0
        && before.prefix() != r.prefix()) {
      throw WhereaboutsConfigParser.invalid(
          path, r.ip() + " requested with /" + r.prefix() + " and /" + before.prefix());
    }
    if (before == null || before.prefix() < 0) {
      out.put(r.ip(), r);
    }
  }
}

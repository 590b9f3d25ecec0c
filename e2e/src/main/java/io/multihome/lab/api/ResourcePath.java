package io.multihome.lab.api;

/**
 * A parsed resource path: {@code /api/v1/namespaces/ns/pods/name/log} or {@code
 * /apis/group/version/plural/name/status}; null fields where the path has none.
 */
public record ResourcePath(
    String group,
    String version,
    String namespace,
    String plural,
    String name,
    String subresource) {

  /** Null when {@code path} is not a resource path (discovery, openapi, version, …). */
  public static ResourcePath parse(String path) {
    String[] p = path.replaceAll("^/+|/+$", "").split("/");
    int i;
    String group;
    String version;
    if (p.length >= 3 && p[0].equals("api")) {
      group = "";
      version = p[1];
      i = 2;
    } else if (p.length >= 4 && p[0].equals("apis")) {
      group = p[1];
      version = p[2];
      i = 3;
    } else {
      return null;
    }
    String namespace = null;
    boolean namespaceSubresource =
        p.length == i + 3
            && p[i].equals("namespaces")
            && (p[i + 2].equals("status") || p[i + 2].equals("finalize"));
    if (p.length > i + 2 && p[i].equals("namespaces") && !namespaceSubresource) {
      namespace = p[i + 1];
      i += 2;
    }
    if (i >= p.length) {
      return null;
    }
    String plural = p[i];
    String name = p.length > i + 1 ? p[i + 1] : null;
    String sub = p.length > i + 2 ? p[i + 2] : null;
    return new ResourcePath(group, version, namespace, plural, name, sub);
  }

  /** {@code /api/v1/namespaces/x}: the namespaces resource itself, with a name. */
  public boolean isNamespaceObject() {
    return group.isEmpty() && plural.equals("namespaces");
  }

  public ResourcePath withName(String n) {
    return new ResourcePath(group, version, namespace, plural, n, subresource);
  }

  public ResourcePath withNamespace(String ns) {
    return new ResourcePath(group, version, ns, plural, name, subresource);
  }

  public ResourcePath withSubresource(String sub) {
    return new ResourcePath(group, version, namespace, plural, name, sub);
  }

  /** Back to a path the store understands. */
  public String toPath() {
    var sb =
        new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
    if (namespace != null) {
      sb.append("/namespaces/").append(namespace);
    }
    sb.append('/').append(plural);
    if (name != null) {
      sb.append('/').append(name);
      if (subresource != null) {
        sb.append('/').append(subresource);
      }
    }
    return sb.toString();
  }
}

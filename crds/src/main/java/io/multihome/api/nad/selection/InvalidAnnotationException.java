package io.multihome.api.nad.selection;

/**
 * A pod annotation that cannot be used. The message always names the annotation, the element path
 * (e.g. {@code k8s.v1.cni.cncf.io/networks[1].ips[0]}) and the reason, because the only place a
 * user sees it is a {@code FailedCreatePodSandBox} event.
 */
public final class InvalidAnnotationException extends IllegalArgumentException {

  private final String path;
  private final String reason;

  public InvalidAnnotationException(String path, String reason) {
    super(path + ": " + reason);
    this.path = path;
    this.reason = reason;
  }

  /** Where the problem is, e.g. {@code k8s.v1.cni.cncf.io/networks[0].mac}. */
  public String path() {
    return path;
  }

  public String reason() {
    return reason;
  }
}

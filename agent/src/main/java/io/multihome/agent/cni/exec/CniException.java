package io.multihome.agent.cni.exec;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A CNI error (spec §"Error"): {@code code} 1-99 are the spec's well-known codes, 100+ ours. It is
 * what the runtime eventually prints in the sandbox event, so {@code msg} names the network and
 * interface it concerns.
 */
public class CniException extends Exception {

  public static final int INCOMPATIBLE_VERSION = 1;
  public static final int UNSUPPORTED_FIELD = 2;
  public static final int UNKNOWN_CONTAINER = 3;
  public static final int INVALID_ENVIRONMENT = 4;
  public static final int IO_FAILURE = 5;
  public static final int DECODE_FAILURE = 6;
  public static final int INVALID_CONFIG = 7;
  public static final int TRY_AGAIN_LATER = 11;
  public static final int PLUGIN_NOT_AVAILABLE = 50;

  /** Ours: a requested IP/MAC is missing from the result, or a requested capability is absent. */
  public static final int REQUEST_NOT_HONOURED = 101;

  /** Ours: a NAD, pod or annotation could not be resolved. */
  public static final int NETWORK_RESOLUTION = 102;

  private final int code;
  private final String details;

  public CniException(int code, String msg) {
    this(code, msg, "");
  }

  public CniException(int code, String msg, String details) {
    super(msg);
    this.code = code;
    this.details = details == null ? "" : details;
  }

  public int code() {
    return code;
  }

  public String details() {
    return details;
  }

  /** Same error with context (network, interface) prepended to the message. */
  public CniException withContext(String context) {
    return new CniException(code, context + ": " + getMessage(), details);
  }

  public ObjectNode toJson(String cniVersion) {
    var node = JsonNodeFactory.instance.objectNode();
    node.put("cniVersion", cniVersion);
    node.put("code", code);
    node.put("msg", getMessage());
    if (!details.isEmpty()) {
      node.put("details", details);
    }
    return node;
  }
}

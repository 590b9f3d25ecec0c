package io.multihome.state;

/**
 * One thing wrong with a document: where ({@code path}, nmstate key names, list positions in
 * brackets) and what a person should change ({@code message}).
 */
public record Problem(String path, String message) {

  /** The problem as printed by {@code multihome validate}: {@code path: message}. */
  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }

  /** The same problem seen from an enclosing document, e.g. under {@code spec.desiredState}. */
  public Problem under(String prefix) {
    if (prefix.isEmpty()) {
      return this;
    }
    return new Problem(path.isEmpty() ? prefix : prefix + "." + path, message);
  }

  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String index(String path, int i) {
    return path + "[" + i + "]";
  }
}

package io.multihome.state;

/** An enum whose constants are spelled in nmstate YAML as {@link #wire()}. */
public interface Wire {
  String wire();
}

package io.multihome.api.read;

/**
 * Something in a stored object the model could not take as written, with the field path in manifest
 * notation ({@code spec.nicSelector.pfNames[0]}) and why.
 */
public record ReadProblem(String path, String reason) {
  @Override
  public String toString() {
    return path + ": " + reason;
  }
}

package io.multihome.lab.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * One admission step of a write, in the API server's order: defaulting and allocation, mutating
 * webhooks, then schema pruning and validation. A step mutates {@code object} in place, adds
 * warnings, or refuses the write with the response the client gets.
 */
interface Admission {
  enum Operation {
    CREATE,
    UPDATE
  }

  /**
   * The write being admitted.
   *
   * @param old the stored object (UPDATE), null on CREATE
   * @param subresource e.g. {@code status}, null for the main resource
   * @param fieldValidation Strict, Warn (default) or Ignore
   * @param dryRun whether the request is a dry run (webhooks without side effects only)
   */
  record Write(
      Operation operation,
      ResourceType type,
      String version,
      String namespace,
      ObjectNode object,
      ObjectNode old,
      String subresource,
      String fieldValidation,
      boolean dryRun,
      List<String> warnings) {}

  Optional<ApiResponse> admit(Write write);
}

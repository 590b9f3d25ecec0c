package io.multihome.lab.api;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Object names as the API server checks them: RFC 1123 subdomains, or labels for some kinds. */
final class Names {
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /** Kinds whose names must be DNS labels (they become host names). */
  private static final Set<String> LABEL_KINDS = Set.of("/Namespace", "/Service");

  private Names() {}

  /** A 422 naming metadata.name, or null when the name is valid. */
  static ApiResponse check(ResourceType type, String name) {
    boolean label = LABEL_KINDS.contains(type.group() + "/" + type.kind());
    String problem = null;
    if (label && (name.length() > 63 || !LABEL.matcher(name).matches())) {
      problem =
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-',"
              + " and must start and end with an alphanumeric character (e.g. 'my-name',  or"
              + " '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    } else if (!label && (name.length() > 253 || !SUBDOMAIN.matcher(name).matches())) {
      problem =
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-'"
              + " or '.', and must start and end with an alphanumeric character (e.g."
              + " 'example.com', regex used for validation is"
              + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    }
    if (problem == null) {
      return null;
    }
    return CrdSchemas.invalid(
        type,
        name,
        List.of(
            new CrdSchemas.FieldError(
                "metadata.name",
                "FieldValueInvalid",
                "Invalid value: \"" + name + "\": " + problem)));
  }
}

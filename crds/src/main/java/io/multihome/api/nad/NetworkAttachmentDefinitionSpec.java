package io.multihome.api.nad;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The only spec field of a NAD: a CNI config or conflist, as a JSON string. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkAttachmentDefinitionSpec {
  /**
   * Kept as the exact string the user wrote: the spec defines it as a string, and re-encoding it
   * would change what the CNI plugin sees (key order, number formats).
   */
  @JsonPropertyDescription(
      "NetworkAttachmentDefinition config is a JSON-formatted CNI configuration")
  private String config;

  public NetworkAttachmentDefinitionSpec() {}

  public NetworkAttachmentDefinitionSpec(String config) {
    this.config = config;
  }

  public String getConfig() {
    return config;
  }

  public void setConfig(String config) {
    this.config = config;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetworkAttachmentDefinitionSpec s && Objects.equals(config, s.config);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(config);
  }
}

package io.multihome.api.openshift;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * One extra network ({@code AdditionalNetworkDefinition}). {@code type} is kept as text so that an
 * unsupported value reaches the controller and is reported, not lost in deserialization.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AdditionalNetworkDefinition {
  public static final String TYPE_RAW = "Raw";
  public static final String TYPE_SIMPLE_MACVLAN = "SimpleMacvlan";

  @Required
  @JsonPropertyDescription("Raw or SimpleMacvlan")
  private String type;

  @Required
  @JsonPropertyDescription("The NetworkAttachmentDefinition's name; must be unique")
  private String name;

  @JsonPropertyDescription("The NetworkAttachmentDefinition's namespace (default: default)")
  private String namespace;

  @JsonProperty("rawCNIConfig")
  @JsonPropertyDescription("type Raw: the CNI configuration JSON, used as the NAD's spec.config")
  private String rawCniConfig;

  @JsonPropertyDescription("type SimpleMacvlan: the macvlan interface and its IPAM")
  private SimpleMacvlanConfig simpleMacvlanConfig;

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  @JsonProperty("rawCNIConfig")
  public String getRawCniConfig() {
    return rawCniConfig;
  }

  @JsonProperty("rawCNIConfig")
  public void setRawCniConfig(String rawCniConfig) {
    this.rawCniConfig = rawCniConfig;
  }

  public SimpleMacvlanConfig getSimpleMacvlanConfig() {
    return simpleMacvlanConfig;
  }

  public void setSimpleMacvlanConfig(SimpleMacvlanConfig simpleMacvlanConfig) {
    this.simpleMacvlanConfig = simpleMacvlanConfig;
  }
}

package io.multihome.api.nmstate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** One resolved capture of a policy on a node, cached in the enactment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"metaInfo", "state"})
public class CapturedState {
  private ObjectNode state;
  private NmstateInfo metaInfo;

  public ObjectNode getState() {
    return state;
  }

  public void setState(ObjectNode state) {
    this.state = state;
  }

  public NmstateInfo getMetaInfo() {
    return metaInfo;
  }

  public void setMetaInfo(NmstateInfo metaInfo) {
    this.metaInfo = metaInfo;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CapturedState c
        && Objects.equals(state, c.state)
        && Objects.equals(metaInfo, c.metaInfo);
  }

  @Override
  public int hashCode() {
    return Objects.hash(state, metaInfo);
  }
}

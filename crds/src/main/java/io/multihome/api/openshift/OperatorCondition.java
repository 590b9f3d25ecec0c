package io.multihome.api.openshift;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** openshift/api {@code OperatorCondition}: the five fields, nothing else. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OperatorCondition {
  private String type;
  private String status;
  private String lastTransitionTime;
  private String reason;
  private String message;

  public OperatorCondition() {}

  public OperatorCondition(
      String type, String status, String lastTransitionTime, String reason, String message) {
    this.type = type;
    this.status = status;
    this.lastTransitionTime = lastTransitionTime;
    this.reason = reason;
    this.message = message;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OperatorCondition c
        && Objects.equals(type, c.type)
        && Objects.equals(status, c.status)
        && Objects.equals(lastTransitionTime, c.lastTransitionTime)
        && Objects.equals(reason, c.reason)
        && Objects.equals(message, c.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, status, lastTransitionTime, reason, message);
  }
}

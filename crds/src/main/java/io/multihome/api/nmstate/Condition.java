package io.multihome.api.nmstate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * The condition shape shared by every nmstate.io kind. Unlike {@code metav1.Condition} it has a
 * heartbeat time and no observedGeneration. Times are RFC 3339 strings, as on the wire.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "type",
  "status",
  "reason",
  "message",
  "lastHeartbeatTime",
  "lastTransitionTime"
})
public class Condition {
  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  @Required private String type;
  @Required private String status;
  private String reason;
  private String message;
  private String lastHeartbeatTime;
  private String lastTransitionTime;

  public Condition() {}

  public Condition(String type, String status, String reason, String message) {
    this.type = type;
    this.status = status;
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

  public String getLastHeartbeatTime() {
    return lastHeartbeatTime;
  }

  public void setLastHeartbeatTime(String lastHeartbeatTime) {
    this.lastHeartbeatTime = lastHeartbeatTime;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Condition c
        && Objects.equals(type, c.type)
        && Objects.equals(status, c.status)
        && Objects.equals(reason, c.reason)
        && Objects.equals(message, c.message)
        && Objects.equals(lastHeartbeatTime, c.lastHeartbeatTime)
        && Objects.equals(lastTransitionTime, c.lastTransitionTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, status, reason, message, lastHeartbeatTime, lastTransitionTime);
  }

  @Override
  public String toString() {
    return "Condition{type=%s, status=%s, reason=%s, message=%s, lastTransitionTime=%s}"
        .formatted(type, status, reason, message, lastTransitionTime);
  }
}

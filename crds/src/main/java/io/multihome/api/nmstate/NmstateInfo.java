package io.multihome.api.nmstate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** When, and by which nmstate version, a state was produced (upstream {@code NmstateInfo}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"time", "version"})
public class NmstateInfo {
  private String version;
  private String time;

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  /** RFC 3339 timestamp. */
  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NmstateInfo i
        && Objects.equals(version, i.version)
        && Objects.equals(time, i.time);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, time);
  }
}

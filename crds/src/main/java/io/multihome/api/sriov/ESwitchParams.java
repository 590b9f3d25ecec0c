package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** Extra embedded-switch settings (switchdev only). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ESwitchParams {
  private Boolean multiport;

  public Boolean getMultiport() {
    return multiport;
  }

  public void setMultiport(Boolean multiport) {
    this.multiport = multiport;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ESwitchParams other && Objects.equals(multiport, other.multiport);
  }

  @Override
  public int hashCode() {
    return Objects.hash(multiport);
  }
}

package io.multihome.api.sriov;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Objects;

/** What the node looks like: discovered PFs/VFs and the last sync result. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SriovNetworkNodeStateStatus {
  private List<InterfaceExt> interfaces;

  private Bridges bridges;

  private SystemConfig system;

  private SyncStatus syncStatus;

  private String lastSyncError;

  private List<Condition> conditions;

  public List<InterfaceExt> getInterfaces() {
    return interfaces;
  }

  public void setInterfaces(List<InterfaceExt> interfaces) {
    this.interfaces = interfaces;
  }

  public Bridges getBridges() {
    return bridges;
  }

  public void setBridges(Bridges bridges) {
    this.bridges = bridges;
  }

  public SystemConfig getSystem() {
    return system;
  }

  public void setSystem(SystemConfig system) {
    this.system = system;
  }

  public SyncStatus getSyncStatus() {
    return syncStatus;
  }

  public void setSyncStatus(SyncStatus syncStatus) {
    this.syncStatus = syncStatus;
  }

  public String getLastSyncError() {
    return lastSyncError;
  }

  public void setLastSyncError(String lastSyncError) {
    this.lastSyncError = lastSyncError;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SriovNetworkNodeStateStatus other
        && Objects.equals(interfaces, other.interfaces)
        && Objects.equals(bridges, other.bridges)
        && Objects.equals(system, other.system)
        && Objects.equals(syncStatus, other.syncStatus)
        && Objects.equals(lastSyncError, other.lastSyncError)
        && Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(interfaces, bridges, system, syncStatus, lastSyncError, conditions);
  }
}

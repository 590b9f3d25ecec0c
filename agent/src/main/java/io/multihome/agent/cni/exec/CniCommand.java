package io.multihome.agent.cni.exec;

/** The CNI_COMMAND values of CNI spec 1.1. */
public enum CniCommand {
  ADD,
  DEL,
  CHECK,
  STATUS,
  GC,
  VERSION
}

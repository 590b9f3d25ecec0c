package io.multihome.agent.cni.exec;

/**
 * A CNI plugin implemented inside the agent instead of a binary in CNI_PATH (e.g. {@code sriov},
 * which Debian does not ship). It speaks the same protocol as a binary: the invocation stands for
 * the CNI_* environment, {@code config} is what the binary would read on stdin and the returned
 * bytes what it would print, so chaining, {@code prevResult}, rollback and DEL work unchanged.
 */
@FunctionalInterface
public interface InProcessPlugin {

  /**
   * @return the result JSON for ADD, empty for DEL/CHECK
   * @throws CniException the CNI error the binary would have printed
   */
  byte[] invoke(CniInvocation invocation, byte[] config) throws CniException;
}

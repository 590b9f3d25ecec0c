package io.multihome.agent.cni.exec;

/** Runs one CNI plugin binary; a seam so orchestration can be tested without processes. */
public interface PluginExecutor {

  /**
   * Runs the plugin named {@code type} (looked up in the invocation's CNI_PATH) with the CNI
   * environment and {@code stdin} as its configuration.
   *
   * @return the plugin's stdout when it exited 0 (may be empty, e.g. for DEL)
   * @throws CniException the plugin's own error object when it exited non-zero, or a local error
   *     (binary not found, bad type) with a spec error code
   */
  byte[] exec(String type, CniInvocation invocation, byte[] stdin) throws CniException;
}

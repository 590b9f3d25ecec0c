package io.multihome.lab.kubelet;

/**
 * One sandbox attempt of a pod as a test or the scenario sees it: where it ran and what CNI ADD
 * answered ({@code exitCode} 0 and the result, or the failure on {@code stderr}/{@code result}). A
 * failed attempt's namespace is already removed (the runtime cleans up after a failed ADD).
 */
public record SandboxInfo(
    String namespace,
    String name,
    String uid,
    String node,
    String netns,
    String containerId,
    int exitCode,
    String result,
    String stderr) {
  public boolean ok() {
    return exitCode == 0;
  }
}

package io.multihome.lab.kubelet;

import io.multihome.agent.cluster.Backoff;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What every pod worker shares: the lab, the runtime pieces, where events go, the retry timings,
 * how to ask for another look at a pod ({@code wake}, by {@code namespace/name}) and who hears
 * about sandbox attempts.
 *
 * @param sandboxRetry waits between sandbox attempts (the kubelet's pod worker waits 10–15 s after
 *     an error; the lab starts lower so a late NAD is picked up within seconds)
 * @param createRetry waits between attempts to create a container whose binary is missing
 * @param stopGrace longest wait between SIGTERM and SIGKILL (the pod's grace period, capped)
 */
record KubeletContext(
    LabHost host,
    SandboxManager sandboxes,
    DeviceManager devices,
    EventRecorder events,
    ContainerLogs logs,
    Backoff sandboxRetry,
    Backoff createRetry,
    Duration stopGrace,
    Consumer<String> wake,
    SandboxListener listener) {

  /** Hears about sandbox attempts and removals (for {@code awaitSandbox} in tests). */
  interface SandboxListener {
    void attempted(SandboxInfo sandbox);

    void removed(String namespace, String name, String uid);
  }
}

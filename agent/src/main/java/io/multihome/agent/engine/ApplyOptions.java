package io.multihome.agent.engine;

import java.time.Duration;
import java.util.List;

/**
 * How to apply: verify after applying (nmstate's default), commit at the end (else the checkpoint
 * stays until {@code commit}, {@code rollback} or its deadline), the checkpoint timeout, the probes
 * to run before committing, and test hooks.
 */
public record ApplyOptions(
    boolean verify, boolean commit, Duration timeout, List<Probe> probes, EngineHooks hooks) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public ApplyOptions {
    probes = List.copyOf(probes);
  }

  public static ApplyOptions defaults() {
    return new ApplyOptions(true, true, DEFAULT_TIMEOUT, List.of(), EngineHooks.NONE);
  }

  public ApplyOptions withProbes(List<Probe> p) {
    return new ApplyOptions(verify, commit, timeout, p, hooks);
  }

  public ApplyOptions withHooks(EngineHooks h) {
    return new ApplyOptions(verify, commit, timeout, probes, h);
  }

  public ApplyOptions noCommit(Duration t) {
    return new ApplyOptions(verify, false, t, probes, hooks);
  }

  public ApplyOptions withVerify(boolean v) {
    return new ApplyOptions(v, commit, timeout, probes, hooks);
  }
}

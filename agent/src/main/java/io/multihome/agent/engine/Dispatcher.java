package io.multihome.agent.engine;

import io.multihome.state.DesiredState;
import io.multihome.state.InterfaceState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs nmstate's {@code dispatch} scripts after a plan ran, as NetworkManager's dispatcher runs the
 * scripts nmstate installs: {@code post-activation} for each interface the document lists up whose
 * configuration the plan changed (or whose script it changed), {@code post-deactivation} (the
 * script kept before the apply) for each interface the plan set down or removed. A script runs with
 * {@code bash -c BODY bash IFACE up|down} (so {@code $1} is the interface and {@code $2} the
 * action, as NetworkManager passes them), inside the target's network namespace, and must exit 0
 * within its timeout: anything else fails the apply, which then rolls back.
 */
final class Dispatcher {
  /** The longest any one script may run (less when the apply's own timeout is shorter). */
  static final Duration MAX = Duration.ofSeconds(30);

  private Dispatcher() {}

  /** Null when every script that had to run succeeded, else why not. */
  static String run(
      Plan plan, DesiredState desired, Snapshot before, Target target, Duration timeout) {
    var env = before.extras().env();
    if (env == null) {
      return null;
    }
    var after = KeptSettings.read(env.keptFile());
    var old = before.extras().kept();
    var runs = new LinkedHashMap<String, String[]>();
    var down = new java.util.HashSet<String>();
    for (var op : plan.ops()) {
      if (op instanceof Op.SetUp u && !u.up()) {
        down.add(u.name());
      } else if (op instanceof Op.DeleteLink d) {
        down.add(d.name());
      }
    }
    for (var d : desired.interfacesOrEmpty()) {
      var name = d.name();
      if (name == null) {
        continue;
      }
      var state = d.common().effectiveState();
      if ((state == InterfaceState.DOWN || state == InterfaceState.ABSENT) && down.contains(name)) {
        var s = old.dispatch().get(name);
        if (s != null && s.postDeactivation() != null) {
          runs.put(name + " post-deactivation", new String[] {name, "down", s.postDeactivation()});
        }
      } else if (state == InterfaceState.UP) {
        var s = after.dispatch().get(name);
        boolean changed =
            plan.touched().contains(name) || !java.util.Objects.equals(s, old.dispatch().get(name));
        if (s != null && s.postActivation() != null && changed) {
          runs.put(name + " post-activation", new String[] {name, "up", s.postActivation()});
        }
      }
    }
    var limit = timeout.compareTo(MAX) < 0 ? timeout : MAX;
    for (Map.Entry<String, String[]> e : runs.entrySet()) {
      var why = runOne(target, e.getValue()[0], e.getValue()[1], e.getValue()[2], limit);
      if (why != null) {
        return "dispatch " + e.getKey() + " script " + why;
      }
    }
    return null;
  }

  /** Null on exit 0 within {@code limit}, else what happened (with the output's end). */
  static String runOne(Target target, String iface, String action, String body, Duration limit) {
    var cmd = new ArrayList<String>();
    if (target.netns() != null) {
      cmd.addAll(List.of("ip", "netns", "exec", target.netns()));
    }
    cmd.addAll(List.of("bash", "-c", body, "bash", iface, action));
    try {
      var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("DEVICE_IFACE", iface);
      var p = pb.start();
      p.getOutputStream().close();
      var out = new StringBuilder();
      var reader =
          new Thread(
              () -> {
                try {
                  out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                  // the process was killed
                }
              });
      reader.setDaemon(true);
      reader.start();
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        return "did not finish within " + limit.toSeconds() + " s (killed)";
      }
      reader.join(2000);
      if (p.exitValue() != 0) {
        var text = out.toString().strip();
        if (text.length() > 300) {
          text = "..." + text.substring(text.length() - 300);
        }
        return "failed with exit code " + p.exitValue() + (text.isEmpty() ? "" : ": " + text);
      }
      return null;
    } catch (IOException e) {
      return "could not start: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}

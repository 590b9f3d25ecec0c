package io.multihome.lab.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a container's command as a host process inside the pod's network namespace: no image, so the
 * binary must exist on the host. Each process leads a session of its own ({@code setsid}), so
 * stopping the container signals its whole process group; stdout and stderr go to one log file.
 */
final class ContainerProcesses {
  /** The PATH most images set; the lab's own PATH follows for tools installed elsewhere. */
  static final String IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** Init systems would take over the host's session; the lab runs {@link #STAND_IN} instead. */
  private static final Set<String> INIT_SYSTEMS = Set.of("init", "systemd");

  static final List<String> STAND_IN = List.of("sleep", "infinity");
  private static final Pattern VAR_REF = Pattern.compile("\\$\\$|\\$\\(([-._a-zA-Z0-9]+)\\)");
  private static final Logger log = LoggerFactory.getLogger(ContainerProcesses.class);

  /** The command cannot be exec'ed; the message is runc's. */
  static final class ExecException extends Exception {
    ExecException(String message) {
      super(message);
    }
  }

  private ContainerProcesses() {}

  /**
   * What runs: {@code command} + {@code args}; with no command, {@code args} alone (the lab has no
   * image entrypoint to prepend); empty when neither is given (the container only holds the
   * sandbox, like a pause container). {@code $(VAR)} references are expanded from {@code env} as
   * Kubernetes does ({@code $$} is a literal {@code $}).
   */
  static List<String> argv(Container c, Map<String, String> env) {
    var out = new ArrayList<String>();
    if (c.getCommand() != null) {
      c.getCommand().forEach(a -> out.add(expand(a, env)));
    }
    if (c.getArgs() != null) {
      c.getArgs().forEach(a -> out.add(expand(a, env)));
    }
    return out;
  }

  static String expand(String s, Map<String, String> env) {
    Matcher m = VAR_REF.matcher(s);
    var sb = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group(1) == null) {
        replacement = "$";
      } else {
        replacement = env.getOrDefault(m.group(1), m.group());
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** The search path a container gets: its own {@code PATH}, else the image default + the lab's. */
  static String searchPath(Map<String, String> env) {
    String own = env.get("PATH");
    if (own != null) {
      return own;
    }
    String lab = System.getenv("PATH");
    return lab == null || lab.isEmpty() ? IMAGE_PATH : IMAGE_PATH + ":" + lab;
  }

  /** The executable {@code exe} names, as execve would find it; else runc's error text. */
  static Path resolve(String exe, String searchPath) throws ExecException {
    if (exe.contains("/")) {
      Path p = Path.of(exe);
      if (!Files.exists(p)) {
        throw new ExecException(
            "exec: " + CriMessages.goQuote(exe) + ": stat " + exe + ": no such file or directory");
      }
      if (Files.isDirectory(p) || !Files.isExecutable(p)) {
        throw new ExecException("exec: " + CriMessages.goQuote(exe) + ": permission denied");
      }
      return p.toAbsolutePath();
    }
    for (String dir : searchPath.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, exe);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    throw new ExecException(
        "exec: " + CriMessages.goQuote(exe) + ": executable file not found in $PATH");
  }

  /** Whether {@code binary} (after symlinks) is an init system the lab must not start. */
  static boolean isInitSystem(Path binary) {
    try {
      Path real = binary.toRealPath();
      return INIT_SYSTEMS.contains(real.getFileName().toString())
          || INIT_SYSTEMS.contains(binary.getFileName().toString());
    } catch (IOException e) {
      return false;
    }
  }

  /** How long a start may take to enter the pod's namespace before it is reported anyway. */
  private static final Duration ENTER_NETNS = Duration.ofSeconds(30);

  /**
   * Starts {@code argv} (argv[0] resolved) in {@code netns} with exactly {@code env}, working in
   * {@code cwd}, stdout and stderr appended to {@code logFile}. Returns once the process is in the
   * pod's namespace (or has exited): a runtime starts the user's command only after the container's
   * namespaces exist, so a container reported running is never still outside its pod.
   */
  static Process start(
      String netns, List<String> argv, Map<String, String> env, Path cwd, Path logFile)
      throws IOException {
    var cmd = new ArrayList<String>();
    cmd.add(tool("setsid"));
    cmd.add(tool("nsenter"));
    cmd.add("--net=" + Path.of("/run/netns", netns));
    cmd.add("--");
    cmd.addAll(argv);
    Files.createDirectories(logFile.getParent());
    var pb =
        new ProcessBuilder(cmd)
            .directory(cwd.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    var process = pb.start();
    awaitEntered(process, Path.of("/run/netns", netns));
    return process;
  }

  /**
   * Waits until {@code process} (setsid and nsenter exec in place: same pid) has joined the
   * namespace {@code netnsFile}, or exited.
   */
  private static void awaitEntered(Process process, Path netnsFile) throws IOException {
    String want = "net:[" + Files.getAttribute(netnsFile, "unix:ino") + "]";
    Path link = Path.of("/proc", Long.toString(process.pid()), "ns", "net");
    long deadline = System.nanoTime() + ENTER_NETNS.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        try {
          if (want.equals(Files.readSymbolicLink(link).toString())) {
            return;
          }
        } catch (IOException e) {
          return; // the process is gone: its exit is reported as the container's
        }
        if (process.waitFor(2, TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    log.warn("pid {} did not enter {} within {}", process.pid(), netnsFile, ENTER_NETNS);
  }

  /**
   * Stops the process group {@code process} leads: SIGTERM, then SIGKILL after {@code grace} (also
   * to children left behind when the leader exited by itself).
   */
  static void stop(Process process, Duration grace) {
    long pgid = process.pid();
    if (process.isAlive()) {
      signal("TERM", pgid);
      try {
        process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    signal("KILL", pgid);
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code kill -s SIG -- -pgid}; a group that is already gone is fine. */
  private static void signal(String sig, long pgid) {
    try {
      var p =
          new ProcessBuilder(tool("kill"), "-s", sig, "--", "-" + pgid)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      log.warn("kill -s {} -{}: {}", sig, pgid, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A util-linux/procps tool by absolute path (the child's environment is the container's). */
  private static String tool(String name) {
    for (String dir : IMAGE_PATH.split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return name;
  }

  /** An environment with only {@code base} then {@code extra} (later keys win). */
  static Map<String, String> environment(Map<String, String> base, Map<String, String> extra) {
    var env = new LinkedHashMap<>(base);
    env.putAll(extra);
    return env;
  }
}

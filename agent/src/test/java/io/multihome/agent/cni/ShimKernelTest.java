package io.multihome.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.multihome.agent.cni.daemon.CniSocketServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shim exec'ed exactly as a runtime does: CNI_* environment, config on stdin. */
class ShimKernelTest {

  static final Path WRAPPER = agentModule().resolve("src/main/dist/multihome-cni");
  static final Path CLASSES = agentModule().resolve("target/classes");

  /** Surefire runs in the module; the kernel-VM tier runs every module from the repository root. */
  static Path agentModule() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("src/main/dist")) ? here : here.resolve("agent");
  }

  @TempDir Path tmp;
  private KernelFixture k;
  private CniHarness h;
  private CniSocketServer server;

  @BeforeEach
  void setUp() throws Exception {
    k = new KernelFixture();
    h = CniHarness.referencePlugins(tmp, k);
    server = new CniSocketServer(tmp.resolve("run/cni.sock"), h.service, 8);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      server.close();
    }
    if (k != null) {
      k.close();
    }
  }

  record Exec(int exit, String stdout) {}

  /** The shim jar as the build ships it (only the shim package). */
  static Path shimJar(Path dir) throws Exception {
    Files.createDirectories(dir);
    Path jar = dir.resolve("multihome-cni-shim.jar");
    Path pkg = CLASSES.resolve("io/multihome/agent/cni/shim");
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
        var classes = Files.list(pkg)) {
      for (Path c : classes.toList()) {
        out.putNextEntry(new java.util.jar.JarEntry(CLASSES.relativize(c).toString()));
        out.write(Files.readAllBytes(c));
        out.closeEntry();
      }
    }
    return jar;
  }

  /** Where {@link #install} put the shim: the wrapper the runtime execs and MULTIHOME_HOME. */
  record Installed(Path wrapper, Path home) {}

  /**
   * Installs the shim exactly as the DaemonSet's init container does on a node, with
   * multihome-cni-install (wrapper, jar, AppCDS archive from its training run; with {@code runtime}
   * also a java.base-only runtime made by jlink, as the agent image ships it).
   */
  static Installed install(Path dir, boolean runtime) throws Exception {
    Path src = dir.resolve("install-src");
    shimJar(src.resolve("lib"));
    Files.copy(WRAPPER, src.resolve("multihome-cni"));
    if (runtime) {
      run(
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "jlink").toString(),
              "--add-modules",
              "java.base",
              "--strip-debug",
              "--no-man-pages",
              "--no-header-files",
              "--output",
              src.resolve("jre").toString()));
    }
    Path bin = dir.resolve("opt-cni-bin");
    Path home = dir.resolve("opt-multihome");
    run(
        List.of(
            "sh",
            WRAPPER.resolveSibling("multihome-cni-install").toString(),
            src.toString(),
            bin.toString(),
            home.toString()));
    assertThat(home.resolve("lib/multihome-cni.jsa")).as("AppCDS archive").exists();
    return new Installed(bin.resolve("multihome-cni"), home);
  }

  private static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(command + ": " + out).isZero();
  }

  /** The wrapper from the source tree on the class directory, no archive, the build's java. */
  static Exec shim(Map<String, String> cniEnv, byte[] stdin, Path socket) throws Exception {
    return exec(
        WRAPPER,
        cniEnv,
        stdin,
        Map.of(
            "MULTIHOME_CNI_SOCKET", socket.toString(),
            "MULTIHOME_HOME", "/nonexistent",
            "MULTIHOME_SHIM_CP", CLASSES.toString()));
  }

  /** The installed wrapper, as the runtime execs it. */
  static Exec shim(Map<String, String> cniEnv, byte[] stdin, Path socket, Installed installed)
      throws Exception {
    return exec(
        installed.wrapper(),
        cniEnv,
        stdin,
        Map.of(
            "MULTIHOME_CNI_SOCKET",
            socket.toString(),
            "MULTIHOME_HOME",
            installed.home().toString()));
  }

  private static Exec exec(
      Path wrapper, Map<String, String> cniEnv, byte[] stdin, Map<String, String> settings)
      throws Exception {
    var pb = new ProcessBuilder(wrapper.toString());
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv("PATH"));
    pb.environment().putAll(cniEnv);
    pb.environment().putAll(settings);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(stdin);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Exec(p.exitValue(), out);
  }

  @Test
  void runtimeStyleAddAndDelThroughTheShim() throws Exception {
    h.nads.put(
        "apps",
        "blue",
        """
        {"cniVersion":"1.0.0","plugins":[{"type":"bridge","bridge":"mhblue",
          "ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"203.0.113.0/24"}]]}}]}
        """
            .formatted(tmp.resolve("ipam-blue")));
    h.pod("apps", "web", "uid-1", "blue");
    String pod = k.newNamespace("pod");
    byte[] config = Files.readAllBytes(h.pluginConfigFile);
    var env = h.env("ADD", "c0ffee", KernelFixture.path(pod).toString(), "apps", "web");

    Installed installed = install(tmp, false);
    Exec add = shim(env, config, server.socket(), installed);
    assertThat(add.exit()).as(add.stdout()).isZero();
    var result = new ObjectMapper().readTree(add.stdout());
    assertThat(result.path("cniVersion").asText()).isEqualTo("1.0.0");
    assertThat(result.path("ips").get(0).path("address").asText()).startsWith("198.18.0.");
    assertThat(k.links(pod)).contains("eth0", "net1");

    env.put("CNI_COMMAND", "CHECK");
    assertThat(shim(env, config, server.socket()).exit()).isZero();

    env.put("CNI_COMMAND", "DEL");
    Exec del = shim(env, config, server.socket());
    assertThat(del.exit()).as(del.stdout()).isZero();
    assertThat(k.links(pod)).containsExactly("lo");
  }

  @Test
  void errorsComeBackAsCniErrorObjectWithExitCode1() throws Exception {
    h.pod("apps", "bad", "uid-2", "[{\"name\":\"blue\",\"mac\":\"nope\"}]");
    String pod = k.newNamespace("pod");
    var env = h.env("ADD", "bad1", KernelFixture.path(pod).toString(), "apps", "bad");
    Exec add = shim(env, Files.readAllBytes(h.pluginConfigFile), server.socket());
    assertThat(add.exit()).isEqualTo(1);
    var error = new ObjectMapper().readTree(add.stdout());
    assertThat(error.path("code").asInt()).isEqualTo(7);
    assertThat(error.path("msg").asText())
        .contains("k8s.v1.cni.cncf.io/networks[0].mac: \"nope\" is not a 6-byte MAC address");
    assertThat(k.links(pod)).containsExactly("lo");
  }

  /** The install-time archive covers the request path: no class of it is loaded from jrt/jar. */
  @Test
  void installedShimLoadsTheRequestPathFromItsArchive() throws Exception {
    Installed installed = install(tmp, false);
    h.pod("apps", "bad", "uid-3", "[{\"name\":\"blue\",\"mac\":\"nope\"}]");
    var env = h.env("ADD", "bad2", "/run/netns/none", "apps", "bad");
    Path trace = tmp.resolve("class-load.log");
    env.put("MULTIHOME_SHIM_JVM_OPTS", "-Xlog:class+load:file=" + trace);
    Exec add = shim(env, Files.readAllBytes(h.pluginConfigFile), server.socket(), installed);
    assertThat(add.stdout()).contains("\"code\":7"); // the daemon's answer, read and printed
    List<String> lines = Files.readAllLines(trace);
    for (String cls :
        List.of(
            "io.multihome.agent.cni.shim.CniShim ",
            "sun.nio.ch.UnixDomainSockets ",
            "java.security.SecureRandom ",
            "sun.security.provider.NativePRNG ")) {
      assertThat(lines)
          .as(cls)
          .anyMatch(l -> l.contains(cls) && l.contains("source: shared objects file"));
    }
  }

  @Test
  void daemonDownIsTryAgainLater() throws Exception {
    var env = h.env("ADD", "x1", "/run/netns/none", "apps", "web");
    Exec add = shim(env, Files.readAllBytes(h.pluginConfigFile), tmp.resolve("absent.sock"));
    assertThat(add.exit()).isEqualTo(1);
    assertThat(add.stdout()).contains("\"code\":11").contains("agent unreachable");
  }
}

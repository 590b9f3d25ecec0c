package io.multihome.agent.cni.shim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CniShimTest {

  @Test
  void requestBodyIsValidJsonWithOnlyCniVariables() throws Exception {
    String body =
        CniShim.requestBody(
            Map.of("CNI_COMMAND", "ADD", "CNI_ARGS", "A=\"b\";C=\\", "HOME", "/root"),
            "{\"name\":\"x\"}\n\t".getBytes(StandardCharsets.UTF_8));
    var json = new ObjectMapper().readTree(body);
    assertThat(json.path("env").size()).isEqualTo(2);
    assertThat(json.path("env").path("CNI_ARGS").asText()).isEqualTo("A=\"b\";C=\\");
    assertThat(json.path("config").asText()).isEqualTo("{\"name\":\"x\"}\n\t");
  }

  @Test
  void versionIsAnsweredWithoutTheDaemon() {
    var out = new ByteArrayOutputStream();
    int code = CniShim.run(Map.of("CNI_COMMAND", "VERSION"), new byte[0], new PrintStream(out));
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"1.1.0\"");
  }

  @Test
  void responseStatusMapsToExitCode() throws Exception {
    var out = new ByteArrayOutputStream();
    byte[] ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.UTF_8);
    assertThat(CniShim.printResponse(ok, new PrintStream(out))).isZero();
    byte[] err = "HTTP/1.1 400 Error\r\n\r\n{\"code\":7}".getBytes(StandardCharsets.UTF_8);
    assertThat(CniShim.printResponse(err, new PrintStream(out))).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{}{\"code\":7}");
  }

  /** The shim's class graph: nothing but the JDK and itself may load (start-up cost). */
  @Test
  void shimLoadsNoClassOutsideTheJdk() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var pb =
        new ProcessBuilder(
            java, "-verbose:class", "-cp", "target/classes", CniShim.class.getName());
    pb.environment().put("CNI_COMMAND", "ADD");
    pb.environment().put(CniShim.SOCKET_ENV, "/nonexistent/mh.sock");
    Process p = pb.redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    List<String> ours = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.contains("source: file:")) {
        ours.add(line);
      }
    }
    assertThat(ours).isNotEmpty().allMatch(l -> l.contains("io.multihome.agent.cni.shim.CniShim"));
    assertThat(out).contains("\"code\":11");
  }
}

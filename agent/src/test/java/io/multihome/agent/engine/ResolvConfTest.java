package io.multihome.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.multihome.state.DnsConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** resolv.conf text, nmstate's DNS merge, and the atomic file write with its restore. */
class ResolvConfTest {
  private static final DnsConfig NODE =
      new DnsConfig(List.of("198.18.0.1"), List.of("node.example"), List.of("ndots:2"));

  @TempDir Path dir;

  @Test
  void parsesServersTheLastSearchLineAndOptions() {
    var c =
        ResolvConf.parse(
            """
            # comment
            ; also a comment
            domain old.example
            search a.example b.example
            nameserver 198.18.0.53
            nameserver  2001:db8::53
            sortlist 198.18.0.0/255.254.0.0
            options rotate
            options timeout:2
            """);
    assertThat(c.server()).containsExactly("198.18.0.53", "2001:db8::53");
    assertThat(c.search()).containsExactly("a.example", "b.example");
    assertThat(c.options()).containsExactly("rotate", "timeout:2");
  }

  @Test
  void renderedTextParsesBackToTheSameConfig() {
    var c =
        new DnsConfig(
            List.of("198.18.0.53", "fe80::1%eth1"), List.of("example.com"), List.of("rotate"));
    var text = ResolvConf.render(c);
    assertThat(text)
        .isEqualTo(
            ResolvConf.HEADER
                + "search example.com\n"
                + "nameserver 198.18.0.53\n"
                + "nameserver fe80::1%eth1\n"
                + "options rotate\n");
    assertThat(ResolvConf.parse(text)).isEqualTo(c);
  }

  @Test
  void givenListsReplaceOmittedOnesAreKept() {
    var merged = ResolvConf.merge(new DnsConfig(List.of("198.18.0.9"), null, null), NODE);
    assertThat(merged)
        .isEqualTo(
            new DnsConfig(List.of("198.18.0.9"), List.of("node.example"), List.of("ndots:2")));
    var cleared = ResolvConf.merge(new DnsConfig(null, List.of(), null), NODE);
    assertThat(cleared)
        .isEqualTo(new DnsConfig(List.of("198.18.0.1"), List.of(), List.of("ndots:2")));
  }

  @Test
  void anEmptyConfigPurgesEverything() {
    assertThat(ResolvConf.merge(new DnsConfig(null, null, null), NODE))
        .isEqualTo(new DnsConfig(List.of(), List.of(), List.of()));
    assertThat(ResolvConf.render(new DnsConfig(List.of(), List.of(), List.of())))
        .isEqualTo(ResolvConf.HEADER);
  }

  @Test
  void writingThroughASymlinkReplacesItsTargetAndKeepsTheLinkAndPermissions() throws Exception {
    var target = Files.writeString(dir.resolve("stub-resolv.conf"), "nameserver 198.18.0.1\n");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
    Files.createDirectories(dir.resolve("etc"));
    var link =
        Files.createSymbolicLink(dir.resolve("etc/resolv.conf"), Path.of("../stub-resolv.conf"));

    var saved = ResolvConfFile.save(link);
    ResolvConfFile.write(link, "nameserver 198.18.0.2\n".getBytes(StandardCharsets.UTF_8));

    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("../stub-resolv.conf"));
    assertThat(Files.readString(target)).isEqualTo("nameserver 198.18.0.2\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
        .isEqualTo("rw-r-----");
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder("stub-resolv.conf", "etc");

    assertThat(ResolvConfFile.restore(saved)).isNull();
    assertThat(Files.readString(target)).isEqualTo("nameserver 198.18.0.1\n");
    assertThat(Files.isSymbolicLink(link)).isTrue();
  }

  @Test
  void aFileThatDidNotExistIsRemovedWithTheDirectoriesMadeForIt() throws Exception {
    var file = dir.resolve("netns/mh-en-x/resolv.conf");
    var saved = ResolvConfFile.save(file);
    assertThat(saved.content()).isNull();
    assertThat(saved.createdDir()).isEqualTo(dir.resolve("netns").toString());

    ResolvConfFile.write(file, "nameserver 198.18.0.2\n".getBytes(StandardCharsets.UTF_8));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r--r--");
    assertThat(ResolvConfFile.restore(saved)).isNull();
    assertThat(dir.resolve("netns")).doesNotExist();
    assertThat(dir).exists();
  }

  @Test
  void restoreIsByteForByte() throws Exception {
    byte[] odd = {'#', ' ', (byte) 0xff, '\r', '\n', 'n', 'a', 'm', 'e'};
    var file = Files.write(dir.resolve("resolv.conf"), odd);
    var saved = ResolvConfFile.save(file);
    ResolvConfFile.write(file, ResolvConf.render(NODE).getBytes(StandardCharsets.UTF_8));
    assertThat(Files.readAllBytes(file)).isNotEqualTo(odd);
    assertThat(ResolvConfFile.restore(saved)).isNull();
    assertThat(Files.readAllBytes(file)).isEqualTo(odd);
  }
}

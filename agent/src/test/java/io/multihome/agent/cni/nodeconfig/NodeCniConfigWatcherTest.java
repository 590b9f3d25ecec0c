package io.multihome.agent.cni.nodeconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCniConfigWatcherTest {

  @TempDir Path tmp;

  @Test
  void followsThePrimaryConfigAndTheReadinessIndicator() throws Exception {
    Path confDir = tmp.resolve("net.d");
    Path indicator = tmp.resolve("run/ready");
    Path target = confDir.resolve(NodeCniConfigWriter.FILE_NAME);
    try (var watcher =
        NodeCniConfigWatcher.start(
            new NodeCniConfigWriter(confDir, null, indicator),
            confDir,
            indicator,
            Duration.ofMinutes(5))) { // long resync: only inotify events can drive these changes
      assertThat(watcher.lastOutcome())
          .isEqualTo(NodeCniConfigWriter.Outcome.WAITING_FOR_READINESS);
      Files.writeString(
          confDir.resolve("10-cluster.conflist"),
          "{\"cniVersion\":\"1.0.0\",\"name\":\"cluster\",\"plugins\":[{\"type\":\"bridge\"}]}");
      Files.createDirectories(indicator.getParent());
      Files.writeString(indicator, "");
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(target));
      assertThat(Files.readString(target)).contains("10-cluster.conflist");
      Files.delete(indicator);
      await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(target));
    }
  }
}

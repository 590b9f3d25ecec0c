package io.multihome.agent.cluster.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multihome.agent.cni.CniResults;
import io.multihome.agent.cni.ContainerState;
import io.multihome.agent.cni.Delegate;
import io.multihome.agent.cni.StateStore;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local attachments from the CNI daemon's state directory (one file per sandbox, written when an
 * ADD completes, removed when DEL does): no API and no extra bookkeeping, and it survives agent
 * restarts. A sandbox whose ADD is still running (no results yet) or whose namespace is gone is
 * left out. Changes are noticed through inotify (the JDK's WatchService).
 */
public final class StateDirAttachments implements AttachmentSource {

  private static final Logger LOG = LoggerFactory.getLogger(StateDirAttachments.class);

  private final Path dir;
  private final StateStore store;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final WatchService watch;
  private final Thread watcher;

  public StateDirAttachments(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.store = new StateStore(dir);
    this.watch = dir.getFileSystem().newWatchService();
    dir.register(
        watch,
        StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    watcher = new Thread(this::watchLoop, "proxy-attachments");
    watcher.setDaemon(true);
    watcher.start();
  }

  @Override
  public List<PodAttachment> current() throws IOException {
    List<PodAttachment> out = new ArrayList<>();
    for (ContainerState s : store.all()) {
      if (s.netns() == null || s.netns().isEmpty() || !Files.exists(Path.of(s.netns()))) {
        continue;
      }
      String pod = s.pod() == null ? "" : s.pod().namespace() + "/" + s.pod().name();
      for (int i = 0; i < s.delegates().size(); i++) {
        Delegate d = s.delegates().get(i);
        ObjectNode result = i < s.results().size() ? s.results().get(i) : null;
        if (d.clusterNetwork() || result == null) {
          continue;
        }
        List<String> addresses = new ArrayList<>();
        for (String cidr : CniResults.addresses(result, CniResults.firstSandboxInterface(result))) {
          addresses.add(CniResults.bareIp(cidr));
        }
        out.add(new PodAttachment(s.netns(), pod, d.network(), d.ifname(), addresses));
      }
    }
    return out;
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  private void watchLoop() {
    try {
      while (true) {
        var key = watch.take();
        key.pollEvents();
        key.reset();
        listeners.forEach(Runnable::run);
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.warn("watching {} stopped: {}", dir, e.toString());
    }
  }

  @Override
  public void close() {
    try {
      watch.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
    watcher.interrupt();
  }
}

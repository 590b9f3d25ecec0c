package io.multihome.agent.cni.nodeconfig;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.LinkedHashSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-runs {@link NodeCniConfigWriter#sync()} whenever the runtime's conf dir (a new or changed
 * primary config) or the readiness indicator's directory changes, and every {@code resync} period
 * in case an event was lost (inotify overflow). Our own write causes one more event, whose sync
 * finds the file unchanged: no loop.
 */
public final class NodeCniConfigWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeCniConfigWatcher.class);

  private final NodeCniConfigWriter writer;
  private final WatchService watch;
  private final Thread thread;
  private final long resyncMillis;
  private volatile NodeCniConfigWriter.Outcome last;

  private NodeCniConfigWatcher(NodeCniConfigWriter writer, WatchService watch, long resyncMillis) {
    this.writer = writer;
    this.watch = watch;
    this.resyncMillis = resyncMillis;
    this.thread = new Thread(this::run, "cni-conf-dir-watch");
    thread.setDaemon(true);
  }

  /**
   * @param confDir the runtime's CNI conf dir (where {@code 00-multihome.conflist} goes)
   * @param readinessIndicator or null
   */
  public static NodeCniConfigWatcher start(
      NodeCniConfigWriter writer, Path confDir, Path readinessIndicator, java.time.Duration resync)
      throws IOException {
    var dirs = new LinkedHashSet<Path>();
    dirs.add(confDir);
    if (readinessIndicator != null && readinessIndicator.getParent() != null) {
      dirs.add(readinessIndicator.getParent());
    }
    WatchService watch = confDir.getFileSystem().newWatchService();
    for (Path dir : dirs) {
      Files.createDirectories(dir);
      dir.register(
          watch,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
    }
    var watcher = new NodeCniConfigWatcher(writer, watch, resync.toMillis());
    watcher.sync();
    watcher.thread.start();
    return watcher;
  }

  /** The outcome of the latest sync. */
  public NodeCniConfigWriter.Outcome lastOutcome() {
    return last;
  }

  private void run() {
    try {
      while (true) {
        var key = watch.poll(resyncMillis, TimeUnit.MILLISECONDS);
        if (key != null) {
          key.pollEvents(); // what changed does not matter: sync() looks at the whole dir
          key.reset();
        }
        sync();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  private void sync() {
    try {
      var outcome = writer.sync();
      if (outcome != last) {
        LOG.info("node CNI config: {}", outcome);
      }
      last = outcome;
    } catch (IOException e) {
      LOG.warn("node CNI config sync failed: {}", e.toString());
    }
  }

  @Override
  public void close() throws IOException {
    watch.close();
    thread.interrupt();
  }
}

package io.multihome.agent.ovsdb;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting for ovs-vswitchd to act on a committed change, as {@code ovs-vsctl} does: the transaction
 * adds 1 to {@code Open_vSwitch.next_cfg}; ovs-vswitchd copies that number to {@code cur_cfg} once
 * bridges, ports and (internal) devices match the database. A monitor on {@code cur_cfg} wakes the
 * waiter; nothing polls.
 */
public final class Vswitchd {
  private Vswitchd() {}

  /** Adds the {@code next_cfg += 1} and the read-back of it to {@code tx}; returns its position. */
  public static int bumpNextCfg(Transaction tx, String rootUuid) {
    tx.mutate(OpenVswitchRow.TABLE, Where.uuid(rootUuid), Mutation.add("next_cfg", 1));
    return tx.select(OpenVswitchRow.TABLE, List.of(Where.uuid(rootUuid)), List.of("next_cfg"));
  }

  /** The {@code next_cfg} value the select at {@code position} read back. */
  public static long nextCfg(TxResult r, int position) {
    return r.rows(position).get(0).path("next_cfg").asLong();
  }

  /**
   * Returns once {@code cur_cfg >= target}; throws {@link OvsdbException} after {@code timeout}
   * (ovs-vswitchd not running, or stuck).
   */
  public static void awaitApplied(OvsdbClient client, long target, Duration timeout) {
    var done = new CompletableFuture<Long>();
    var seen = new long[] {-1};
    try (var monitor =
        client.monitor(
            OvsdbClient.OPEN_VSWITCH,
            Map.of(OpenVswitchRow.TABLE, List.of("cur_cfg")),
            updates -> check(updates, target, done, seen))) {
      check(monitor.initial(), target, done, seen);
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new OvsdbException(
          "ovs-vswitchd did not apply the change within "
              + timeout.toSeconds()
              + " s (Open_vSwitch cur_cfg "
              + seen[0]
              + ", next_cfg "
              + target
              + "): is ovs-vswitchd running and connected to "
              + client.socket()
              + "?");
    } catch (ExecutionException e) {
      throw new OvsdbException("waiting for ovs-vswitchd: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OvsdbException("interrupted while waiting for ovs-vswitchd", e);
    }
  }

  private static void check(
      com.fasterxml.jackson.databind.JsonNode updates,
      long target,
      CompletableFuture<Long> done,
      long[] seen) {
    updates
        .path(OpenVswitchRow.TABLE)
        .forEach(
            row -> {
              var cur = row.path("new").path("cur_cfg");
              if (cur.canConvertToLong()) {
                seen[0] = cur.asLong();
                if (cur.asLong() >= target) {
                  done.complete(cur.asLong());
                }
              }
            });
  }
}

package io.multihome.agent.sriov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.multihome.api.sriov.SriovNetworkNodeState;
import io.multihome.api.sriov.SriovNetworkNodeStateStatus;
import io.multihome.api.sriov.SyncStatus;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class NodeStateStatusWriterMockApiTest {
  private static final String NODE = "worker-2";
  private static final String STATUS_PATH =
      "/apis/sriovnetwork.openshift.io/v1/namespaces/"
          + SriovAgentFixture.NS
          + "/sriovnetworknodestates/"
          + NODE
          + "/status";

  KubernetesClient client;
  KubernetesMockServer server;
  private SriovAgentFixture fixture;
  private NodeStateStatusWriter writer;

  @BeforeEach
  void setUp() {
    fixture = new SriovAgentFixture(client);
    writer = new NodeStateStatusWriter(client, SriovAgentFixture.NS, NODE);
  }

  /**
   * The CRUD mock does not check resourceVersion on the status subresource (it does on the main
   * resource), so the 409 a real API server sends for a stale status PUT is played by a one-shot
   * expectation; the request log shows the PUT carried the resourceVersion it had read.
   */
  @Test
  void aConflictIsRetriedOnAFreshReadAndThePutCarriesTheResourceVersion() throws Exception {
    fixture.createState(NODE, SriovAgentFixture.emptySpec());
    server
        .expect()
        .put()
        .withPath(STATUS_PATH)
        .andReturn(
            HttpURLConnection.HTTP_CONFLICT,
            new StatusBuilder().withCode(409).withReason("Conflict").build())
        .once();
    var attempts = new AtomicInteger();
    var versionsRead = new ArrayList<String>();

    var outcome =
        writer.update(
            status -> {
              versionsRead.add(fixture.state(NODE).get().getMetadata().getResourceVersion());
              if (attempts.incrementAndGet() == 1) {
                // Someone else writes between our read and our PUT.
                fixture
                    .state(NODE)
                    .editStatus(
                        s -> {
                          var other = new SriovNetworkNodeStateStatus();
                          other.setLastSyncError("written by someone else");
                          s.setStatus(other);
                          return s;
                        });
              }
              status.setSyncStatus(SyncStatus.SUCCEEDED);
              return status;
            });

    assertThat(outcome).isEqualTo(NodeStateStatusWriter.Outcome.WRITTEN);
    assertThat(attempts).hasValue(2);
    var status = fixture.status(NODE);
    assertThat(status.getSyncStatus()).isEqualTo(SyncStatus.SUCCEEDED);
    // The second attempt started from the other writer's status, so its change survived.
    assertThat(status.getLastSyncError()).isEqualTo("written by someone else");
    // The refused PUT carried the resourceVersion read just before it (the CRUD mock consumes the
    // body of the requests it serves itself, so only the one answered by the expectation is kept).
    RecordedRequest refused = null;
    RecordedRequest r;
    while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      if (refused == null && r.getMethod().equals("PUT") && r.getPath().equals(STATUS_PATH)) {
        refused = r;
      }
    }
    assertThat(refused).isNotNull();
    var sent =
        client
            .getKubernetesSerialization()
            .unmarshal(refused.getUtf8Body(), SriovNetworkNodeState.class);
    assertThat(sent.getMetadata().getResourceVersion()).isEqualTo(versionsRead.get(0));
    assertThat(versionsRead.get(1)).isNotEqualTo(versionsRead.get(0));
  }

  @Test
  void conflictsThatNeverEndFailLoudly() {
    fixture.createState(NODE, SriovAgentFixture.emptySpec());
    server
        .expect()
        .put()
        .withPath(STATUS_PATH)
        .andReturn(
            HttpURLConnection.HTTP_CONFLICT,
            new StatusBuilder().withCode(409).withReason("Conflict").build())
        .always();

    assertThatThrownBy(
            () ->
                writer.update(
                    s -> {
                      s.setSyncStatus(SyncStatus.FAILED);
                      return s;
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("still conflicted after " + NodeStateStatusWriter.MAX_ATTEMPTS);
  }

  @Test
  void anUnchangedStatusIsNotWritten() {
    fixture.createState(NODE, SriovAgentFixture.emptySpec());
    fixture
        .state(NODE)
        .editStatus(
            s -> {
              var st = new SriovNetworkNodeStateStatus();
              st.setSyncStatus(SyncStatus.SUCCEEDED);
              s.setStatus(st);
              return s;
            });
    String version = fixture.state(NODE).get().getMetadata().getResourceVersion();

    var outcome =
        writer.update(
            s -> {
              s.setSyncStatus(SyncStatus.SUCCEEDED);
              return s;
            });

    assertThat(outcome).isEqualTo(NodeStateStatusWriter.Outcome.UNCHANGED);
    assertThat(fixture.state(NODE).get().getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void aMissingStateIsReportedNotCreated() {
    assertThat(writer.update(s -> s)).isEqualTo(NodeStateStatusWriter.Outcome.NO_STATE);
    assertThat(fixture.state(NODE).get()).isNull();
  }
}

package io.multihome.lab;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.multihome.api.nad.NetworkAttachmentDefinition;
import io.multihome.api.whereabouts.IPPool;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The scenario's Services step (issue 18): a macvlan NAD whose addresses come from the
 * whereabouts-compatible IPAM (one pool for all nodes, kept in the API), a Deployment of two web
 * servers that the scheduler spreads over two nodes, a Service on that network (multus-service's
 * proxy-name label and service-network annotation) and a client pod fetching from the Service's
 * cluster IP over net1: the controller's EndpointSlice lists the servers' net1 addresses, the
 * client node's proxy puts nftables DNAT rules into the client's namespace, and both servers
 * answer.
 */
final class ServiceStep {
  static final String NAD = "lab-svc-net";
  static final String DEPLOYMENT = "web";
  static final String SERVICE = "web";
  static final String CLIENT = "svc-client";
  static final String POOL = "198.18.75.0-24";

  /** Fetches narrated; more follow (up to {@link #MAX_FETCHES}) only while one server is unseen. */
  static final int FETCHES = 10;

  static final int MAX_FETCHES = 30;

  /**
   * What the step saw: how often each server answered, by the name it serves ({@code ""} counts
   * fetches nobody answered).
   */
  record Result(String clusterIp, Map<String, Integer> answers, List<String> backendNodes) {
    boolean ok() {
      return clusterIp != null
          && answers.size() == 2
          && !answers.containsKey("")
          && backendNodes.size() == 2
          && !backendNodes.get(0).equals(backendNodes.get(1));
    }
  }

  private final Lab lab;
  private final LabScenario scenario;
  private final PrintStream out;

  ServiceStep(Lab lab, LabScenario scenario, PrintStream out) {
    this.lab = lab;
    this.scenario = scenario;
    this.out = out;
  }

  Result run() throws Exception {
    var client = lab.client();
    scenario.step(
        "Services on a secondary network: NAD "
            + LabScenario.POD_NAMESPACE
            + "/"
            + NAD
            + " (macvlan on ens1f0, \"ipam\": {\"type\": \"whereabouts\"}), one pool for all nodes"
            + " in the API");
    out.print(LabScenario.indent(NAD_YAML.strip()));
    client.resource(yaml(NAD_YAML, NetworkAttachmentDefinition.class)).create();

    scenario.step(
        "Creating Deployment "
            + DEPLOYMENT
            + " (2 replicas on "
            + NAD
            + "; each serves a page naming its pod: python3 -m http.server, the lab's nginx)"
            + " and Service "
            + SERVICE
            + " on that network");
    out.print(LabScenario.indent(DEPLOYMENT_YAML.strip()));
    out.println("  ---");
    out.print(LabScenario.indent(SERVICE_YAML.strip()));
    client.resource(yaml(DEPLOYMENT_YAML, Deployment.class)).create();
    var service = client.resource(yaml(SERVICE_YAML, Service.class)).create();
    String clusterIp = service.getSpec().getClusterIP();
    out.printf("%n  $ kubectl get service %s   (the lab API allocates cluster IPs)%n", SERVICE);
    out.print(
        LabScenario.indent(
            StatusTables.serverTable(
                lab.apiUrl(), "/api/v1/namespaces/default/services/" + SERVICE)));

    var backends = awaitBackends();
    out.println();
    var backendNodes = backends.stream().map(p -> p.getSpec().getNodeName()).toList();
    for (var p : backends) {
      out.printf(
          "  %s on %s: net1 %s%n",
          p.getMetadata().getName(),
          p.getSpec().getNodeName(),
          LabScenario.secondaryIp(
              p.getMetadata().getAnnotations().get(LabScenario.NETWORK_STATUS),
              LabScenario.POD_NAMESPACE + "/" + NAD));
    }
    out.println();
    out.println("  IPPool kube-system/" + POOL + " (whereabouts' own CRD, written by the agents):");
    out.print(LabScenario.indent(poolTable()));

    awaitSlice(2);
    out.println();
    out.println(
        "  $ kubectl get endpointslices -l kubernetes.io/service-name="
            + SERVICE
            + "   (written by multihome's controller from the pods' network-status)");
    out.print(
        LabScenario.indent(
            StatusTables.serverTable(
                lab.apiUrl(),
                "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices"
                    + "?labelSelector=kubernetes.io%2Fservice-name%3D"
                    + SERVICE)));
    out.print(LabScenario.indent(endpointTable()));

    // The client on a node without a server when there is one: its traffic crosses the fabric.
    String clientNode =
        lab.nodes().stream()
            .filter(n -> !backendNodes.contains(n))
            .findFirst()
            .orElse(lab.nodes().get(0));
    scenario.step(
        "Creating pod "
            + CLIENT
            + " on "
            + clientNode
            + " ("
            + LabScenario.NETWORKS
            + ": "
            + NAD
            + "); that node's Service proxy programs the client's namespace");
    client.pods().resource(clientPod(clientNode)).create();
    var sandbox = scenario.sandbox(CLIENT);
    if (sandbox == null) {
      return new Result(clusterIp, Map.of(), backendNodes);
    }
    String rules = awaitRules(sandbox.netns(), backends.size());
    out.printf("%n  $ nft list table inet multihome_services   (in %s's namespace)%n", CLIENT);
    out.print(LabScenario.indent(rules));
    out.printf(
        "%n  $ ip route show %s   (in %s's namespace; proto 203: the proxy's)%n",
        clusterIp, CLIENT);
    out.print(LabScenario.indent(run(sandbox.netns(), "ip", "route", "show", clusterIp)));

    scenario.step(
        FETCHES + " fetches of http://" + clusterIp + "/ from " + CLIENT + " (curl, over net1)");
    var answers = new TreeMap<String, Integer>();
    int fetches = 0;
    // Random balancing: ten fetches miss a server once in 500 runs; a few more settle it.
    while (fetches < FETCHES || (answers.size() < backends.size() && fetches < MAX_FETCHES)) {
      fetches++;
      String body =
          run(sandbox.netns(), "curl", "-s", "--max-time", "3", "http://" + clusterIp + "/")
              .strip();
      out.printf("  %2d: %s%n", fetches, body.isEmpty() ? "(no answer)" : body);
      answers.merge(body, 1, Integer::sum);
    }
    out.println();
    for (var e : answers.entrySet()) {
      out.printf(
          "  %s %d of %d%n",
          e.getKey().isEmpty() ? "no answer:" : e.getKey() + " answered", e.getValue(), fetches);
    }
    return new Result(clusterIp, answers, backendNodes);
  }

  /** The Deployment's pods once both are Ready with an address on the network. */
  private List<Pod> awaitBackends() throws InterruptedException {
    long deadline = System.nanoTime() + LabScenario.STEP_TIMEOUT.toNanos();
    List<Pod> pods = List.of();
    while (System.nanoTime() < deadline) {
      pods =
          lab
              .client()
              .pods()
              .inNamespace(LabScenario.POD_NAMESPACE)
              .withLabel("app", DEPLOYMENT)
              .list()
              .getItems()
              .stream()
              .filter(ServiceStep::readyOnNetwork)
              .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
              .toList();
      if (pods.size() == 2) {
        return pods;
      }
      Thread.sleep(200);
    }
    out.printf("  only %d of 2 servers ready after %d s%n", pods.size(), timeoutSeconds());
    return pods;
  }

  private static boolean readyOnNetwork(Pod p) {
    var annotations = p.getMetadata().getAnnotations();
    boolean ready =
        p.getStatus() != null
            && p.getStatus().getConditions() != null
            && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    return ready
        && annotations != null
        && LabScenario.secondaryIp(
                annotations.get(LabScenario.NETWORK_STATUS), LabScenario.POD_NAMESPACE + "/" + NAD)
            != null;
  }

  private void awaitSlice(int ready) throws InterruptedException {
    long deadline = System.nanoTime() + LabScenario.STEP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (readyEndpoints().size() == ready) {
        return;
      }
      Thread.sleep(100);
    }
    out.printf("  the EndpointSlice has not %d ready endpoints: %s%n", ready, readyEndpoints());
  }

  private List<EndpointSlice> slices() {
    return lab.client()
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace(LabScenario.POD_NAMESPACE)
        .withLabel("kubernetes.io/service-name", SERVICE)
        .list()
        .getItems();
  }

  private List<Endpoint> readyEndpoints() {
    return slices().stream()
        .flatMap(s -> s.getEndpoints().stream())
        .filter(e -> e.getConditions() != null && Boolean.TRUE.equals(e.getConditions().getReady()))
        .toList();
  }

  /** The slices' endpoints as {@code kubectl describe endpointslice} lists them. */
  private String endpointTable() {
    var rows = new ArrayList<List<String>>();
    rows.add(List.of("ENDPOINT", "READY", "NODE", "POD"));
    for (var s : slices()) {
      for (var e : s.getEndpoints()) {
        rows.add(
            List.of(
                String.join(",", e.getAddresses()),
                String.valueOf(e.getConditions() != null && e.getConditions().getReady()),
                String.valueOf(e.getNodeName()),
                e.getTargetRef() == null ? "<none>" : e.getTargetRef().getName()));
      }
    }
    return StatusTables.render(rows);
  }

  /** OFFSET, ADDRESS, PODREF, IFNAME of the pool's allocations. */
  private String poolTable() {
    var pool = lab.client().resources(IPPool.class).inNamespace("kube-system").withName(POOL).get();
    var rows = new ArrayList<List<String>>();
    rows.add(List.of("OFFSET", "ADDRESS", "PODREF", "IFNAME"));
    if (pool != null && pool.getSpec() != null && pool.getSpec().getAllocations() != null) {
      new TreeMap<>(pool.getSpec().getAllocations())
          .forEach(
              (offset, a) ->
                  rows.add(
                      List.of(
                          offset,
                          address(pool.getSpec().getRange(), offset),
                          String.valueOf(a.getPodRef()),
                          String.valueOf(a.getIfName()))));
    }
    return StatusTables.render(rows);
  }

  /** The range's network address plus {@code offset} (whereabouts keys allocations so). */
  static String address(String range, String offset) {
    try {
      byte[] network = InetAddress.getByName(range.split("/")[0]).getAddress();
      byte[] sum = new BigInteger(1, network).add(new BigInteger(offset)).toByteArray();
      byte[] out = new byte[network.length];
      int n = Math.min(sum.length, out.length);
      System.arraycopy(sum, sum.length - n, out, out.length - n, n);
      return InetAddress.getByAddress(out).getHostAddress();
    } catch (IOException | NumberFormatException e) {
      return "?";
    }
  }

  /** The client's table once it holds a DNAT for each server (the proxy acts within a second). */
  private String awaitRules(String netns, int endpoints) throws InterruptedException {
    long deadline = System.nanoTime() + LabScenario.STEP_TIMEOUT.toNanos();
    String rules = "";
    while (System.nanoTime() < deadline) {
      rules = run(netns, "nft", "list", "table", "inet", "multihome_services");
      if (rules.split("dnat ip to", -1).length - 1 == endpoints) {
        return rules;
      }
      Thread.sleep(100);
    }
    return rules;
  }

  private static Pod clientPod(String node) {
    var pod = yaml(CLIENT_YAML, Pod.class);
    pod.getSpec().setNodeName(node);
    return pod;
  }

  /** A command inside {@code netns}; its output (stdout and stderr). */
  static String run(String netns, String... command) {
    var cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns));
    cmd.addAll(List.of(command));
    try {
      var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return output;
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static long timeoutSeconds() {
    return LabScenario.STEP_TIMEOUT.toSeconds();
  }

  private static <T> T yaml(String text, Class<T> type) {
    return new KubernetesSerialization().unmarshal(text, type);
  }

  static final String NAD_YAML =
      """
      apiVersion: k8s.cni.cncf.io/v1
      kind: NetworkAttachmentDefinition
      metadata:
        name: lab-svc-net
        namespace: default
      spec:
        config: '{"cniVersion": "0.3.1", "type": "macvlan", "master": "ens1f0", "mode": "bridge",
          "ipam": {"type": "whereabouts", "range": "198.18.75.0/24"}}'
      """;

  static final String DEPLOYMENT_YAML =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: default
      spec:
        replicas: 2
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
            annotations:
              k8s.v1.cni.cncf.io/networks: lab-svc-net
          spec:
            containers:
            - name: web
              image: registry.invalid/lab-web:1
              command: ["sh", "-c", "echo '$(POD_NAME) on $(NODE_NAME)' > index.html && exec python3 -m http.server 8080"]
              env:
              - name: POD_NAME
                valueFrom:
                  fieldRef:
                    fieldPath: metadata.name
              - name: NODE_NAME
                valueFrom:
                  fieldRef:
                    fieldPath: spec.nodeName
              ports:
              - name: http
                containerPort: 8080
      """;

  static final String SERVICE_YAML =
      """
      apiVersion: v1
      kind: Service
      metadata:
        name: web
        namespace: default
        labels:
          service.kubernetes.io/service-proxy-name: multus-proxy
        annotations:
          k8s.v1.cni.cncf.io/service-network: lab-svc-net
      spec:
        selector:
          app: web
        ports:
        - name: http
          port: 80
          targetPort: http
      """;

  static final String CLIENT_YAML =
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: svc-client
        namespace: default
        annotations:
          k8s.v1.cni.cncf.io/networks: lab-svc-net
      spec:
        containers:
        - name: client
          image: registry.invalid/lab:1
          command: ["sleep", "infinity"]
      """;
}

package io.multihome.lab.api;

import org.junit.jupiter.api.Test;

class ExploreMockApiTest {
  @Test
  void explore() throws Exception {
    try (var f = new LabApiFixture()) {
      var k = new Kubectl(f.dir, f.server.url());
      var policy = """
          apiVersion: nmstate.io/v1
          kind: NodeNetworkConfigurationPolicy
          metadata:
            name: p1
          spec:
            bogus: 1
            maxUnavailable: "x"
            desiredState:
              interfaces: []
          """;
      var pod = """
          apiVersion: v1
          kind: Pod
          metadata:
            name: pod1
          spec:
            nodeName: n1
            containers:
            - name: c
              image: busybox
          """;
      System.out.println(k.runWithInput(policy, "create", "-f", "-"));
      System.out.println(k.runWithInput(pod, "apply", "-f", "-"));
      System.out.println(k.runWithInput(pod, "apply", "-f", "-"));
      for (String[] args : new String[][] {
        {"create", "namespace", "x1"}, {"get", "ns"}, {"create", "configmap", "cm1", "--from-literal=a=b"},
        {"get", "nncp"}, {"describe", "pod", "pod1"}, {"get", "pods", "-o", "wide"},
        {"label", "pod", "pod1", "a=b"}, {"label", "pod", "pod1", "a-"}, {"get", "pod", "pod1", "--show-labels"},
        {"wait", "--for=condition=Ready", "pod/pod1", "--timeout=2s"},
        {"delete", "namespace", "x1"}, {"get", "ns"}, {"describe", "nncp", "p1"}, {"get", "events"},
      }) {
        var r = k.run(args);
        System.out.println("$ kubectl " + String.join(" ", args) + "\n" + r.out() + r.err() + "exit " + r.exit());
      }
    }
  }
}

# Build from the repository root after `mvn -B package -pl e2e -am`:
#   docker build -f deploy/images/agent.Dockerfile -t multihome/agent:0.1.0-SNAPSHOT .
# The CNI shim runs on the node, outside this image, with its own java.base-only runtime (jlink):
# a small runtime with one module starts faster than the full JRE, and the node needs no Java.
FROM debian:bookworm-slim AS shim-runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jdk-headless \
 && rm -rf /var/lib/apt/lists/*
RUN jlink --add-modules java.base --strip-debug --no-man-pages --no-header-files \
      --output /shim-jre

FROM debian:bookworm-slim
# iproute2 is for people debugging a node (kubectl exec ... ip addr); the agent uses netlink itself.
# nftables: the Service proxy replaces its table in pod namespaces with `nft -f` (docs/services.md).
# wpasupplicant: 802.1X and MACsec Key Agreement (docs/engine.md). libreswan, libnss3-tools: the
# private pluto and NSS database the ipsec service runs per node (docs/engine.md, IPsec).
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless iproute2 nftables \
      wpasupplicant libreswan libnss3-tools \
 && rm -rf /var/lib/apt/lists/*
COPY e2e/target/lib/ /opt/multihome/lib/
COPY e2e/target/e2e-*.jar /opt/multihome/multihome.jar
# What the install-cni init container puts on the node (agent/src/main/dist/multihome-cni-install).
COPY --from=shim-runtime /shim-jre /usr/share/multihome-cni/jre
COPY agent/target/agent-*-cni-shim.jar /usr/share/multihome-cni/lib/multihome-cni-shim.jar
COPY agent/src/main/dist/multihome-cni agent/src/main/dist/multihome-cni-install /usr/share/multihome-cni/
ENTRYPOINT ["java", "-cp", "/opt/multihome/multihome.jar:/opt/multihome/lib/*", "io.multihome.agent.cli.Main"]
CMD ["agent"]

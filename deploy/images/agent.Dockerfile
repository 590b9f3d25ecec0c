# Build from the repository root after `mvn -B package -pl e2e -am`:
#   docker build -f deploy/images/agent.Dockerfile -t multihome/agent:0.1.0-SNAPSHOT .
FROM debian:bookworm-slim
# iproute2 is for people debugging a node (kubectl exec ... ip addr); the agent uses netlink itself.
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless iproute2 \
 && rm -rf /var/lib/apt/lists/*
COPY e2e/target/lib/ /opt/multihome/lib/
COPY e2e/target/e2e-*.jar /opt/multihome/multihome.jar
ENTRYPOINT ["java", "-cp", "/opt/multihome/multihome.jar:/opt/multihome/lib/*", "io.multihome.agent.cli.Main"]
CMD ["agent"]

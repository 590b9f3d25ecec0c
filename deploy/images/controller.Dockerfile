# Build from the repository root after `mvn -B package -pl e2e -am`:
#   docker build -f deploy/images/controller.Dockerfile -t multihome/controller:0.1.0-SNAPSHOT .
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
 && rm -rf /var/lib/apt/lists/*
COPY e2e/target/lib/ /opt/multihome/lib/
COPY e2e/target/e2e-*.jar /opt/multihome/multihome.jar
USER 65532:65532
ENTRYPOINT ["java", "-cp", "/opt/multihome/multihome.jar:/opt/multihome/lib/*", "io.multihome.agent.cli.Main"]
CMD ["controller"]

#!/bin/bash
# rtnetlink benchmark (docs/benchmarks.md, section "rtnetlink"). Needs root; works only inside
# namespaces it creates (mh-nl-bench-*) and deletes. Usage: agent/bench-netlink.sh [rounds] [n]
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -o -pl agent -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
exec java -cp "agent/target/test-classes:agent/target/classes:$(cat "$cp_file")" \
  io.multihome.agent.netlink.bench.RtNetlinkBench "$@"

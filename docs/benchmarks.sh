#!/usr/bin/env bash
# benchmarks.sh - run the benchmarks and rewrite their result blocks in docs/benchmarks.md.
#
#   docs/benchmarks.sh [NAME...]      NAME: engine controller cni netlink lab agent bridge-marker
#                                     webhook ipam proxy dhcp ovs (default: all)
#
# Each benchmark's raw result lines go between the markers <!-- bench:NAME --> and
# <!-- /bench:NAME --> in docs/benchmarks.md ("Latest run" section), headed by the date, kernel,
# JDK and the load average before and after it; the prose and the analysed runs elsewhere in the
# file are left alone. Needs root (the benchmarks create and delete mh-* network namespaces; the
# root namespace is never changed). Run it on an idle machine: every figure depends on the load.
# Takes about 10 minutes for all of them on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DOC=$ROOT/docs/benchmarks.md
ALL=(engine controller cni netlink lab agent bridge-marker webhook ipam proxy dhcp ovs)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${ALL[@]}")
for n in "${names[@]}"; do
  case " ${ALL[*]} " in *" $n "*) ;; *) sed -n '2,/^set /{/^set /d;p}' "$0"; exit 2 ;; esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }

# Compiles everything once; each benchmark below runs from the compiled classes.
mvn -B -q -o -DskipTests -Dspotless.check.skip=true test-compile >/dev/null ||
  mvn -B -q -DskipTests -Dspotless.check.skip=true test-compile >/dev/null
mvn -B -q -o -pl agent -am -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile="$work/agent-cp" -Dmdep.includeScope=test >/dev/null

run_engine() {
  java -cp "agent/target/test-classes:agent/target/classes:crds/target/classes:sriov/target/classes:$(cat "$work/agent-cp")" \
    io.multihome.agent.engine.EngineBenchmark 3
}

bench_lines() { # surefire output of one bench class: its BENCH result lines only
  grep -h 'BENCH ' "$1"/target/surefire-reports/*"$2"-output.txt | grep -v 'BENCH progress' |
    sed 's/^.* - BENCH /BENCH /'
}

run_controller() {
  for c in PolicyControllerBench MockApiCeilingBench; do
    mvn -B -q -o test -pl policy-controller -am -Dtest="$c" -Dsurefire.failIfNoSpecifiedTests=false >/dev/null
    bench_lines policy-controller "$c"
  done
}

run_cni() {
  mvn -B -q -o test -pl agent -am -Dtest=CniBenchmarkKernelTest -Dmultihome.bench=true \
    -Dsurefire.failIfNoSpecifiedTests=false >/dev/null
  cat agent/target/cni-benchmark.txt
}

run_netlink() {
  agent/bench-netlink.sh 5 1000
}

run_lab() {
  ./multihome lab --nodes 50 --bench 2>/dev/null | grep -E '^(Rollout of|Load average)'
}

run_ovs() {
  mvn -B -q -o -pl e2e -am -DskipTests test-compile dependency:build-classpath \
    -Dmdep.outputFile="$work/e2e-cp" -Dmdep.includeScope=test >/dev/null
  java -cp "e2e/target/test-classes:e2e/target/classes:$(cat "$work/e2e-cp")" \
    io.multihome.e2e.ovs.OvsBenchmark 3 2>/dev/null
}

run_ipam() {
  mvn -B -q -o test -pl agent -am -Dtest=IpamBenchmarkMockApiTest -Dmultihome.bench=true \
    -Dsurefire.failIfNoSpecifiedTests=false >/dev/null
  cat agent/target/ipam-benchmark.txt
}

run_proxy() {
  mvn -B -q -o test -pl agent -am -Dtest=ServiceProxyBenchmarkKernelTest -Dmultihome.bench=true \
    -Dsurefire.failIfNoSpecifiedTests=false >/dev/null
  cat agent/target/proxy-benchmark.txt
}

run_agent() {
  mvn -B -q -o test -pl e2e -am -Dtest=PolicyToNodeKernelTest -Dsurefire.failIfNoSpecifiedTests=false >/dev/null
  grep -h 'NNCP created' e2e/target/surefire-reports/io.multihome.e2e.agent.PolicyToNodeKernelTest-output.txt |
    sed 's/^.* - //'
}

run_dhcp() {
  mvn -B -q -o test -pl e2e -am -Dtest=DhcpBenchmarkKernelTest -Dmultihome.bench=true \
    -Dsurefire.failIfNoSpecifiedTests=false >/dev/null
  bench_lines e2e DhcpBenchmarkKernelTest
}

run_bridge-marker() {
  mvn -B -q -o test -pl agent -am -Dtest=BridgeMarkerKernelTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dspotless.check.skip=true >/dev/null
  cat agent/target/bridge-marker-benchmark.txt
}

run_webhook() {
  mvn -B -q -o test -pl policy-controller -am -Dtest='ResourceInjectionWebhookMockApiTest#admissionLatencyBenchmark' \
    -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true >/dev/null
  cat policy-controller/target/webhook-benchmark.txt
}

for n in "${names[@]}"; do
  echo "benchmarks: running $n ..." >&2
  before=$(load)
  out=$("run_$n")
  after=$(load)
  {
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), kernel $(uname -r), $(java -version 2>&1 | head -1)," \
      "$(nproc) cores, load average before: $before, after: $after"
    echo
    echo '```'
    echo "$out"
    echo '```'
  } >"$work/$n.block"
  python3 - "$DOC" "$n" "$work/$n.block" <<'EOF'
import re, sys
doc, name, block = sys.argv[1], sys.argv[2], open(sys.argv[3]).read()
text = open(doc).read()
begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
if begin not in text or end not in text:
    sys.exit(f"benchmarks: {doc} has no {begin} ... {end} block")
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(doc, "w").write(head + begin + "\n" + block + end + tail)
EOF
  echo "benchmarks: $n done (load $before -> $after)" >&2
done

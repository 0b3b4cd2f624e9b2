#!/bin/sh
# snownet benchmark in network namespaces (root, nftables and iperf3 needed): connection setup time
# from the flow's authorization to "established" over N runs, direct (cone to cone NAT) and
# relayed through our relay (symmetric to cone), then iperf3 TCP throughput through the tunnel on
# both paths. Usage: snownet/bench/snownet-bench.sh [runs=50] [iperf seconds=10] [iperf repeats=3]
# Run from the repository root. Not part of the test suite.
set -eu
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl snownet -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$(pwd)/snownet/target/bench-classpath.txt" -Dmdep.includeScope=test
. bin/find-jdk.sh
CP="snownet/target/test-classes:snownet/target/classes:$(cat snownet/target/bench-classpath.txt)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CP" \
  dev.zonewire.snownet.realnet.SnownetBenchmark "${1:-50}" "${2:-10}" "${3:-3}"

#!/bin/sh
# WireGuard throughput: iperf3 (one TCP stream) through zonewire <-> zonewire, zonewire <->
# wireguard-go and wireguard-go <-> wireguard-go between two network namespaces, several rounds
# interleaved; prints every run, medians, ranges and the zonewire/wireguard-go ratio.
# Usage: wireguard-linux/bench/wg-throughput.sh [seconds per run] [rounds] [pairings: all or e.g. zz,gg]
#        [seconds of warm-up traffic before each run, discarded]
# Needs root, iperf3, wireguard-go and wireguard-tools; run from the repository root. Extra JVM
# flags for the zonewire processes: ZONEWIRE_BENCH_JAVA_OPTS (%i becomes the interface name).
# Not part of the test suite.
set -eu
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl cli -am package -DskipTests
./mvnw -B -q -pl wireguard-linux -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$(pwd)/wireguard-linux/target/bench-classpath.txt" -Dmdep.includeScope=test
. bin/find-jdk.sh
CP="wireguard-linux/target/test-classes:wireguard-linux/target/classes:$(cat wireguard-linux/target/bench-classpath.txt)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CP" \
  dev.zonewire.wireguard.linux.bench.WireGuardThroughputBenchmark cli/target/zonewire.jar "${1:-10}" "${2:-5}" "${3:-all}" "${4:-5}"

#!/bin/sh
# Relay benchmark: ChannelData through our relay and through coturn (--relay-threads=1) from the
# same load generator, packets/s per core of relay CPU for each and their ratio, several rounds of
# both directions, then our heap per idle allocation with 10 000 allocations held.
# Usage: relay/bench/relay-vs-coturn.sh [seconds per measurement] [rounds] [idle allocations] [burst] [allocations]
# Needs coturn (turnserver) installed; run from the repository root. Not part of the test suite.
set -eu
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl relay -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$(pwd)/relay/target/bench-classpath.txt" -Dmdep.includeScope=test
. bin/find-jdk.sh
CP="relay/target/test-classes:relay/target/classes:$(cat relay/target/bench-classpath.txt)"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CP" dev.zonewire.relay.bench.RelayBenchmark \
  "${1:-5}" "${2:-3}" "${3:-10000}" "${4:-8}" "${5:-8}"

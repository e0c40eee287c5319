#!/usr/bin/env bash
# JMH benchmarks of both sides' forward+backward pass (bench module, Maven profile "bench";
# docs/performance.md, "JMH"). Builds the module, then runs JMH with ./parity's native environment.
#   scripts/bench.sh                          every benchmark with its default parameters
#   scripts/bench.sh -p precision=float64     JMH's own options after the script's name (-h lists them)
# The results are also written as JSON to bench/target/jmh-result.json.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_log=$(mktemp)
if ! mvn -q -B -f "$root/pom.xml" -Pbench -pl bench -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime >"$build_log" 2>&1; then
  cat "$build_log" >&2
  rm -f "$build_log"
  echo "bench: the build failed (output above)" >&2
  exit 1
fi
rm -f "$build_log"
# shellcheck source=scripts/native-env.sh
source "$root/scripts/native-env.sh"
classpath="$root/bench/target/classes:$(cat "$root/bench/target/bench.classpath")"
exec java -cp "$classpath" org.openjdk.jmh.Main -rf json -rff "$root/bench/target/jmh-result.json" "$@"

#!/usr/bin/env bash
# Answers the upgrade question for two TensorFlow Java versions (docs/upgrade.md): runs the main job
# under each, each from its own build (./parity rebuilds when PARITY_MAVEN_ARGS changes), then sets
# the two JSON reports side by side with `parity drift`. Writes into DIR (default docs/upgrade):
#   tf-BEFORE.json, tf-AFTER.json   the two verify reports (2 MB each, git-ignored), and
#   tf-BEFORE.json.gz, tf-AFTER.json.gz   the same compressed, committed as the evidence
#   BEFORE-to-AFTER.drift.txt/.json the drift, committed as the measured answer
# Usage: scripts/measure-upgrade.sh [BEFORE [AFTER [DIR]]]   (default 1.0.0 1.1.0 docs/upgrade)
# Each version names both tensorflow-core-api/-native and tensorflow-framework; both must be on
# Maven Central. Takes two main-job runs (about 4-10 minutes each on 2 cores).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
before=${1:-1.0.0}
after=${2:-1.1.0}
out=${3:-$root/docs/upgrade}
mkdir -p "$out"
for v in "$before" "$after"; do
  PARITY_MAVEN_ARGS="-Dtensorflow.version=$v -Dtensorflow-framework.version=$v" \
    "$root/parity" verify --json "$out/tf-$v.json"
  gzip -9 -n -c "$out/tf-$v.json" > "$out/tf-$v.json.gz"
done
# drift exits 1 when a verdict changed: that is the answer, not a failure of this script.
status=0
"$root/parity" drift "$out/tf-$before.json" "$out/tf-$after.json" --json "$out/$before-to-$after.drift.json" \
  > "$out/$before-to-$after.drift.txt" || status=$?
cat "$out/$before-to-$after.drift.txt"
[ "$status" -le 1 ] || exit "$status"

#!/usr/bin/env bash
# Records the zoo's error baseline, baselines/zoo.json: every tensor's and trajectory step's error
# of the main job (./parity verify, the whole zoo), which `mvn test` and `./parity verify --baseline`
# gate later runs against (docs/baselines.md). Run it after a change that moves errors on purpose
# (a new zoo model, another batch, a reference or TensorFlow change that was checked), and commit
# the file with the change that moved them.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/parity" verify --record-baseline "$root/baselines/zoo.json" "$@"

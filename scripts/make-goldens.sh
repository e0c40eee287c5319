#!/usr/bin/env bash
# Records the golden bundles, goldens/: one .npz per zoo model and precision with TensorFlow's
# tensors (docs/goldens.md), which `parity goldens --verify goldens` checks the reference against
# without TensorFlow, and `parity goldens --check goldens` checks TensorFlow against. Run it after a
# change to the zoo, the shipped data or TensorFlow Java that was checked, and commit the bundles
# with the change (the lane refuses bundles of another spec or zoo version until then). Regenerating
# on the same machine gives byte-identical files; on another CPU the float32 tensors move by a few
# roundings and the environment differs, so commit only what a real change moved.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/parity" goldens --out "$root/goldens" "$@"

#!/usr/bin/env bash
# How many realistic one-line bugs in the reference does the main job catch? (issue "Beyond the
# zoo", item 2: the suite's power, measured as mutation testing does.)
#
#   scripts/measure-mutants.sh [OUT_DIR]
#
# Clones the repository into a scratch directory (never the working tree: the mutants stay out
# of the repository), then for each mutant below applies its one-line change to the reference,
# runs `./parity verify` (the main job, which rebuilds what changed) with --json, and records
# whether it failed (caught), passed (missed) or did not run (a refusal or a crash counts as
# caught only if the verdict says so). Writes OUT_DIR/mutants.tsv (default: reports/mutants) and
# prints it. About 4 minutes per mutant on two cores.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/reports/mutants}"
# MUTANTS="id id ..." measures only those (default: all).
only="${MUTANTS:-}"
mkdir -p "$out"
scratch="$(mktemp -d /tmp/parity-mutants.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
git clone -q "$root" "$scratch/repo"
ref="$scratch/repo/reference-impl/src/main/java/org/paritysuite/reference"

# id | file (under reference-impl's package) | text | replacement | the bug, in words
mutants=(
  "relu-kink|Relu.java|x.gt(0)|x.gte(0)|ReLU's derivative taken as 1 at x == 0 (TensorFlow's ReluGrad takes 0)"
  "xent-mean|SoftmaxCrossEntropy.java|return p.sub(y).div(n);|return p.sub(y);|the cross-entropy gradient without the 1/N of the batch mean"
  "adam-epsilon|optim/Adam.java|EpsilonPlacement.EPSILON_HAT);|EpsilonPlacement.PAPER);|Adam's epsilon where the paper puts it, not where TensorFlow does"
  "rmsprop-epsilon|optim/RMSProp.java|EpsilonPlacement.INSIDE_SQRT, InitialMeanSquare.ONES|EpsilonPlacement.OUTSIDE_SQRT, InitialMeanSquare.ONES|RMSProp's epsilon outside the square root (Keras 2.11+), not inside (TensorFlow's kernel)"
  "rmsprop-slot|optim/RMSProp.java|EpsilonPlacement.INSIDE_SQRT, InitialMeanSquare.ONES|EpsilonPlacement.INSIDE_SQRT, InitialMeanSquare.ZEROS|RMSProp's mean square starting at 0 (Keras), not 1 (tensorflow-framework)"
  "maxpool-ties|MaxPool2D.java|in[i] > in[best]|in[i] >= in[best]|max-pool ties won by the last maximum, not the first (TensorFlow's CPU kernel)"
  "softmax-unshifted|SoftmaxCrossEntropy.java|z.subColumnVector(z.max(true, 1));|z.dup();|the softmax and its log-sum-exp taken without subtracting the row maximum (exp overflows for large logits)"
  "adagrad-v2|optim/AdaGrad.java|Kernel.ADAGRAD,|Kernel.ADAGRAD_V2,|Adagrad with tf.keras' epsilon added to sqrt(accum) (ApplyAdagradV2), not tensorflow-framework's ApplyAdagrad"
  "bn-bessel|BatchNorm.java|var.mul((double) m / Math.max(m - 1, 1))|var.mul((double) m / (m - 1))|batch normalization's Bessel correction m/(m-1) applied at m = 1 too, in the unbiased moving-variance estimator (which the parity run never selects: an equivalent mutant for the main job)"
)

printf 'mutant\tverdict\tfailed cases\tfailed trajectories\tbug\n' > "$out/mutants.tsv"
for m in "${mutants[@]}"; do
  IFS='|' read -r id file text replacement words <<<"$m"
  if [[ -n "$only" && " $only " != *" $id "* ]]; then
    continue
  fi
  (cd "$scratch/repo" && git checkout -q -- reference-impl)
  target="$ref/$file"
  count=$(grep -cF -- "$text" "$target" || true)
  if [[ "$count" != 1 ]]; then
    echo "measure-mutants.sh: mutant $id: '$text' occurs $count times in $file; expected once" >&2
    exit 1
  fi
  python3 - "$target" "$text" "$replacement" <<'PY'
import sys
path, text, replacement = sys.argv[1:]
source = open(path).read()
open(path, "w").write(source.replace(text, replacement, 1))
PY
  echo "mutant $id: $words" >&2
  set +e
  (cd "$scratch/repo" && ./parity verify --json "$out/$id.json" >"$out/$id.txt" 2>"$out/$id.err")
  status=$?
  set -e
  verdict=$(python3 - "$out/$id.json" "$status" <<'PY'
import json, sys
path, status = sys.argv[1], int(sys.argv[2])
try:
    report = json.load(open(path))
except Exception:
    print(f"no report (exit {status})\t-\t-")
    sys.exit()
cases = sum(1 for c in report["cases"] if not c["passed"])
trajectories = sum(1 for t in report["trajectories"] if not t["passed"])
print(("CAUGHT" if status == 1 and (cases or trajectories) else "MISSED" if status == 0 else f"exit {status}")
      + f"\t{cases}\t{trajectories}")
PY
)
  printf '%s\t%s\t%s\n' "$id" "$verdict" "$words" >> "$out/mutants.tsv"
  rm -f "$out/$id.json"
done
cat "$out/mutants.tsv"

#!/usr/bin/env bash
# Continues the seed study where it stopped: every sweep resumes, training only the trials missing from its results
# folder, so running this again (after a stop, in another session) repeats no finished trial. In order of what the
# study needs next: Exercise 4, more seeds for the bias-init decision (1.5 h) with PyTorch's runs on the same seeds
# (1 h), Exercise 3 (6 h), then the search for 99.2 % (about a day).
#
#   docs/study/continue.sh [STUDY_DIR]
#
# STUDY_DIR (default: docs/study of this checkout) holds the results folders. To keep developing while it runs, run
# it from a second clone and point STUDY_DIR at the first one's docs/study: a rebuild must never replace the jars a
# running sweep uses. Logs go to STUDY_DIR/../../study-logs/ unless SPARKSWEEP_STUDY_LOGS says otherwise. The PyTorch
# reference script is ../shared/reference/torch_seed.py beside the checkout unless SPARKSWEEP_TORCH_SCRIPT says.
set -euo pipefail
cd "$(dirname "$0")/../.."
study="$(realpath "${1:-docs/study}")"
logs="${SPARKSWEEP_STUDY_LOGS:-$study/../../study-logs}"
mkdir -p "$logs"

step() {
  local name="$1"; shift
  echo "$(date -u +%FT%TZ) $name: ./sparksweep $*"
  SPARKSWEEP_LOG_FILE="$logs/$name.log" ./sparksweep "$@" > "$logs/$name.out" 2>&1
  tail -n 3 "$logs/$name.out"
}

step exercise4 run seed-exercise4 --out "$study/results" '-Dsweep.space.seed=[1,2,3]'
step bias-init run parity --out "$study/bias-init" '-Dsweep.space.bias-init=[dl4j,pytorch]' \
  '-Dsweep.space.seed=[1,2,3,4,5,6,7,8,9,10]'
# PyTorch's own runs of the parity models on the same 10 seeds, for the bias-init decision (about an hour, two at a
# time; needs Debian's python3-torch and libopenblas0-openmp). Resumes: finished runs are kept as JSON files.
# The reference script: ../shared/reference beside this checkout, or SPARKSWEEP_TORCH_SCRIPT.
export SPARKSWEEP_TORCH_SCRIPT="${SPARKSWEEP_TORCH_SCRIPT:-$(realpath -m ../shared/reference/torch_seed.py)}"
if /usr/bin/python3 -c 'import torch' 2> /dev/null; then
  echo "$(date -u +%FT%TZ) torch-reference: bench/parity.py --out $study/bias-init --skip-dl4j --jobs 2"
  bench/parity.py --out "$study/bias-init" --seeds 1,2,3,4,5,6,7,8,9,10 --jobs 2 --skip-dl4j \
    > "$logs/torch-reference.out" 2>&1 || echo "torch-reference failed (see $logs/torch-reference.out); going on"
  tail -n 4 "$logs/torch-reference.out"
else
  echo "torch-reference skipped: install python3-torch and libopenblas0-openmp (Debian) for it"
fi
step exercise3 run seed-exercise3 --out "$study/results" '-Dsweep.space.seed=[1,2,3]'
step beyond run seed-beyond --out "$study/beyond"

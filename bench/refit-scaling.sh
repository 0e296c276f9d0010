#!/usr/bin/env bash
# Data-parallel refit (dl4j-spark, parameter averaging) on the project's own standalone cluster with 1 and 2 workers,
# against plain training in one JVM, for the same configuration and iteration budget: the notebook's 2-layer LSTM
# (hidden 128, batch 100, Adam 1e-3) on all 60,000 training images, tested on the 10,000 test images.
#
#   bench/refit-scaling.sh [OUT] [ITERATIONS]          (defaults: /tmp/refit-scaling, 3000)
#
# Prints the models table at the end (wall and training time, test accuracy, workers). Needs the built project
# (./sparksweep builds it) and a free port 7077. Takes about 4 x the one-JVM time on a 2-core machine.
# SKIP_ONE_JVM=1 leaves out the one-JVM refit (when the results folder has it already).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$(mkdir -p "${1:-/tmp/refit-scaling}" && cd "${1:-/tmp/refit-scaling}" && pwd)"
ITERATIONS="${2:-3000}"
AVERAGING="${AVERAGING:-5}"
cd "$ROOT"
# A one-trial sweep gives refit its configuration (20 iterations: only the settings matter).
cat > "$OUT/source.conf" <<CONF
sweep {
  name = refit-source
  space { family = [lstm], layers = [2], hidden = [128], learning-rate = [0.001], batch-size = [100]
          iterations = [20], seed = [1] }
  train { eval-every = 20, save-models = none }
}
CONF
./sparksweep run "$OUT/source.conf" --out "$OUT/results" > "$OUT/source.log"
if [[ -z "${SKIP_ONE_JVM:-}" ]]; then
  echo "== one JVM, 2 threads"
  ./sparksweep refit --out "$OUT/results" --best --iterations "$ITERATIONS" --threads 2 | grep -v '^refit: [0-9]'
fi
for workers in 1 2; do
  echo "== data-parallel, standalone cluster of $workers worker(s) x 1 core, averaging every $AVERAGING"
  cluster/standalone.sh start --workers "$workers" --cores 1 --memory 4g > "$OUT/cluster-$workers.log"
  SPARKSWEEP_AUTH_SECRET_FILE=cluster/run/secret ./sparksweep refit --out "$OUT/results" --best \
    --iterations "$ITERATIONS" --data-parallel --averaging-frequency "$AVERAGING" \
    --master spark://127.0.0.1:7077 '-Dsparksweep.spark.conf."spark.executor.cores"=1' \
    | grep -v '^refit: [0-9]' || status=$?
  cluster/standalone.sh stop >> "$OUT/cluster-$workers.log"
  [[ -z "${status:-}" ]] || exit "$status"
done
./sparksweep leaderboard --out "$OUT/results" --sql "SELECT model_id, data_parallel, workers, master, iterations,
  train_images, round(100 * test_accuracy, 2) AS test_pct, round(train_seconds, 1) AS train_s,
  round(wall_seconds, 1) AS wall_s FROM models ORDER BY finished_at"

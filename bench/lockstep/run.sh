#!/usr/bin/env bash
# Compiles and runs the DL4J side of the lock-step comparison against this checkout's model-lib (build it first:
# mvn -o -q -DskipTests -DskipSubmitJar install from the repository root).
#   bench/lockstep/run.sh Lockstep INIT_DIR OUT_DIR STEPS [FUSED|STOCK] [FLOAT|DOUBLE]
#   bench/lockstep/run.sh FullRun SEED ITERATIONS BIAS_LR_FACTOR [dl4j|pytorch]
# JAVA_OPTS=-DbiasLrFactor=2 gives Lockstep's recurrent biases Adam(2e-3); -Dmnist=DIR another MNIST folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
main="${1:?Lockstep or FullRun}"; shift
classes="$here/target/classes"
cp_file="$here/target/classpath.txt"
mkdir -p "$classes"
if [[ ! -s "$cp_file" ]]; then
  (cd "$root/model-lib" && mvn -o -q dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test)
fi
cp="$root/model-lib/target/classes:$(cat "$cp_file")"
javac -d "$classes" -cp "$cp" "$here/Lockstep.java" "$here/FullRun.java"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
exec java ${JAVA_OPTS:-} -Xmx2g @"$root/conf/java17.options" -cp "$classes:$cp" "$main" "$@"

#!/usr/bin/env bash
# spark-submit for sparksweep from this checkout's jars (no Spark distribution needed), with the Java 17 options of
# conf/java17.options. Runs the spark-submit jar's Main with the arguments after `--`, e.g.
#
#   cluster/submit.sh --master spark://127.0.0.1:7077 --properties-file cluster/conf/spark-defaults-cpu.conf \
#       -- run conf/sweeps/quick.conf --out /shared/results
#   cluster/submit.sh --master spark://... --deploy-mode cluster -- run /shared/sweeps/my.conf --out /shared/results
#
# Options before `--`: --master URL, --deploy-mode client|cluster (default client), --properties-file FILE,
# --conf key=value (repeatable). SPARKSWEEP_AUTH_SECRET_FILE names the cluster's shared secret (spark.authenticate):
# a client-mode driver reads it itself; in cluster mode it goes to spark-submit in a private properties file, deleted
# on exit. It never appears on a command line.
#
# In cluster mode the driver runs on a worker and spark-submit exits 0 whatever the driver does: this script waits
# for the driver to end and exits 0 only if its final state is FINISHED. Paths given to a cluster-mode driver must
# exist on the workers (use absolute paths on shared storage).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/cluster/java17.sh"
LIB="$ROOT/sweep-driver/target/lib"
JAR="$(ls "$ROOT"/sweep-driver/target/sweep-driver-*-spark-submit.jar 2>/dev/null | head -1 || true)"
if [[ -z "$JAR" || ! -d "$LIB" ]]; then
  echo "submit.sh: build the spark-submit jar first: mvn -DskipTests package" >&2
  exit 1
fi

master="" mode=client props="" confs=()
while (($#)); do
  case "$1" in
    --master) master="$2"; shift 2 ;;
    --deploy-mode) mode="$2"; shift 2 ;;
    --properties-file) props="$2"; shift 2 ;;
    --conf) confs+=(--conf "$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "submit.sh: unknown option $1 (sparksweep's own arguments go after --)" >&2; exit 2 ;;
  esac
done
[[ -n "$master" ]] || { echo "submit.sh: --master is required" >&2; exit 2; }
[[ "$mode" == client || "$mode" == cluster ]] || { echo "submit.sh: --deploy-mode is client or cluster" >&2; exit 2; }

if [[ -n "${SPARKSWEEP_AUTH_SECRET_FILE:-}" && ! -s "$SPARKSWEEP_AUTH_SECRET_FILE" ]]; then
  echo "submit.sh: SPARKSWEEP_AUTH_SECRET_FILE=$SPARKSWEEP_AUTH_SECRET_FILE is missing or empty" >&2
  exit 2
fi
java="$(java17)"
options="$(grep -v '^\s*#' "$ROOT/conf/java17.options" | tr '\n' ' ')"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}"
# The full log (warnings' causes, traces) goes to SPARKSWEEP_LOG_FILE, as with ./sparksweep; the console stays short.
submit=("$java" -Xmx1g @"$ROOT/conf/java17.options"
        "-Dsparksweep.log.file=${SPARKSWEEP_LOG_FILE:-$HOME/.sparksweep/sparksweep.log}"
        -cp "$ROOT/conf:$LIB/*" org.apache.spark.deploy.SparkSubmit
        --class dev.sparksweep.cli.Main --master "$master" --deploy-mode "$mode" ${confs[@]+"${confs[@]}"})
if [[ "$mode" == client ]]; then
  # The driver is sparksweep itself, in this process: it reads SPARKSWEEP_AUTH_SECRET_FILE on its own. exec, so
  # that signals reach the driver and killing this script kills it.
  exec "${submit[@]}" ${props:+--properties-file "$props"} "$JAR" "$@"
fi

# Cluster mode: spark-submit itself talks to the master, so the secret goes into a private properties file.
private="$(umask 077; mktemp "${TMPDIR:-/tmp}/sparksweep-submit.XXXXXX")"
trap 'rm -f "$private"' EXIT
if [[ -n "$props" ]]; then
  cat "$props" >> "$private"
  echo >> "$private"
fi
if [[ -n "${SPARKSWEEP_AUTH_SECRET_FILE:-}" ]]; then
  printf 'spark.authenticate true\nspark.authenticate.secret %s\n' "$(cat "$SPARKSWEEP_AUTH_SECRET_FILE")" >> "$private"
fi
submit+=(--properties-file "$private")

# Cluster mode: the driver JVM is started by a worker, which knows nothing of conf/java17.options.
log="$(mktemp "${TMPDIR:-/tmp}/sparksweep-submit-log.XXXXXX")"
trap 'rm -f "$private" "$log"' EXIT
set +e
"${submit[@]}" --conf "spark.driver.extraJavaOptions=$options" --conf spark.standalone.submit.waitAppCompletion=true \
  "$JAR" "$@" 2>&1 | tee "$log"
set -e
driver="$(grep -o 'Driver successfully submitted as [^ ]*' "$log" | awk '{print $NF}' | tail -1 || true)"
state="$(grep -o 'State of driver [^ ]* is [A-Z_]*' "$log" | awk '{print $NF}' | tail -1 || true)"
if [[ -z "$driver" ]]; then
  echo "submit.sh: the master did not accept the driver (see above)" >&2
  exit 1
fi
if [[ "$state" != FINISHED ]]; then
  echo "submit.sh: driver $driver ended in state ${state:-unknown}; its output is in the worker's work folder" \
    "(<work-dir>/$driver/stderr)" >&2
  exit 1
fi
echo "submit.sh: driver $driver finished"

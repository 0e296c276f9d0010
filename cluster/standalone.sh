#!/usr/bin/env bash
# A real Spark standalone cluster on this machine, from the project's own jars (no Spark distribution needed):
# one master and N workers on 127.0.0.1, each its own JVM; executors are launched by the workers.
#
#   cluster/standalone.sh start [--workers N] [--cores C] [--memory 3g] [--gpus N --gpu-discovery SCRIPT] [--no-auth]
#   cluster/standalone.sh status
#   cluster/standalone.sh stop                                           # ends exactly what start began
#
# start prints the master URL. The cluster authenticates with a fresh shared secret (spark.authenticate), kept in
# <run>/secret (mode 600): give it to drivers with SPARKSWEEP_AUTH_SECRET_FILE=<run>/secret.
# Then: SPARKSWEEP_AUTH_SECRET_FILE=cluster/run/secret ./sparksweep run quick --master spark://127.0.0.1:7077
# Everything lives under cluster/run/ (SPARK_HOME, logs, pids, work and local dirs); nothing listens beyond loopback.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="${SPARKSWEEP_CLUSTER_DIR:-$ROOT/cluster/run}"
LIB="$ROOT/sweep-driver/target/lib"
MASTER_PORT="${SPARKSWEEP_MASTER_PORT:-7077}"
MASTER_URL="spark://127.0.0.1:$MASTER_PORT"
source "$ROOT/cluster/java17.sh"

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

start() {
  local workers=2 cores=1 memory=3g gpus=0 discovery="" auth=1
  while (($#)); do
    case "$1" in
      --workers) workers="$2"; shift 2 ;;
      --cores) cores="$2"; shift 2 ;;
      --memory) memory="$2"; shift 2 ;;
      --gpus) gpus="$2"; shift 2 ;;
      --gpu-discovery) discovery="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
      --no-auth) auth=0; shift ;;
      *) echo "standalone.sh: unknown option $1" >&2; exit 2 ;;
    esac
  done
  if alive "$RUN/master.pid"; then
    echo "standalone.sh: already running ($MASTER_URL); stop it first" >&2
    exit 1
  fi
  if [[ ! -d "$LIB" ]]; then
    echo "standalone.sh: $LIB is missing; build first (./sparksweep --help builds)" >&2
    exit 1
  fi
  local java
  java="$(java17)"
  if ((gpus > 0)) && [[ ! -x "$discovery" ]]; then
    echo "standalone.sh: --gpus needs --gpu-discovery with an executable script (cluster/gpu-discovery.sh)" >&2
    exit 2
  fi
  rm -rf "$RUN" && mkdir -p "$RUN/spark-home/conf" "$RUN/logs" "$RUN/local" "$RUN/tmp"
  ln -s "$LIB" "$RUN/spark-home/jars"
  # Daemons read their settings, the secret included, from this file: it never appears on a command line.
  (umask 077; : > "$RUN/spark-home/conf/spark-defaults.conf")
  cat >> "$RUN/spark-home/conf/spark-defaults.conf" <<EOF
spark.ui.enabled false
spark.master.rest.enabled false
EOF
  if ((auth)); then
    (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$RUN/secret")
    printf 'spark.authenticate true\nspark.authenticate.secret %s\n' "$(cat "$RUN/secret")" \
      >> "$RUN/spark-home/conf/spark-defaults.conf"
  fi
  if ((gpus > 0)); then
    printf 'spark.worker.resource.gpu.amount %s\nspark.worker.resource.gpu.discoveryScript %s\n' "$gpus" \
      "$discovery" >> "$RUN/spark-home/conf/spark-defaults.conf"
  fi
  cat > "$RUN/spark-home/conf/log4j2.properties" <<'EOF'
rootLogger.level = info
rootLogger.appenderRef.console.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %-5p %c{1}: %m%n
EOF
  # SPARK_SCALA_VERSION: without it every executor launch fails with "Cannot find any build directories".
  export SPARK_HOME="$RUN/spark-home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1 \
    SPARK_LOCAL_DIRS="$RUN/local" OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" OMP_WAIT_POLICY=passive
  local jvm=("$java" -Xmx512m "@$ROOT/conf/java17.options" "-Djava.io.tmpdir=$RUN/tmp"
             -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*")
  nohup "${jvm[@]}" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$MASTER_PORT" \
    --webui-port 0 > "$RUN/logs/master.log" 2>&1 &
  echo $! > "$RUN/master.pid"
  wait_for "$RUN/logs/master.log" "I have been elected leader" "master"
  for ((i = 1; i <= workers; i++)); do
    nohup "${jvm[@]}" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "$cores" --memory "$memory" \
      --webui-port 0 --work-dir "$RUN/work-$i" "$MASTER_URL" > "$RUN/logs/worker-$i.log" 2>&1 &
    echo $! > "$RUN/worker-$i.pid"
  done
  for ((i = 1; i <= workers; i++)); do
    wait_for "$RUN/logs/worker-$i.log" "Successfully registered with master" "worker $i"
  done
  echo "$MASTER_URL"
  if ((auth)); then
    echo "secret: $RUN/secret"
  fi
}

wait_for() {
  local log="$1" text="$2" what="$3"
  for _ in $(seq 1 120); do
    if grep -q "$text" "$log" 2>/dev/null; then
      return
    fi
    sleep 0.5
  done
  echo "standalone.sh: $what did not come up in 60 s; see $log" >&2
  stop >&2
  exit 1
}

stop() {
  local pids=()
  for pid in "$RUN"/worker-*.pid "$RUN"/master.pid; do
    [[ -f "$pid" ]] || continue
    if alive "$pid"; then
      pids+=("$(cat "$pid")")
      # Executors are the workers' children: end them with their worker.
      pkill -TERM -P "$(cat "$pid")" 2>/dev/null || true
      kill -TERM "$(cat "$pid")" 2>/dev/null || true
    fi
    rm -f "$pid"
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  echo "stopped ${#pids[@]} process(es)"
}

status() {
  local any=0
  for pid in "$RUN"/master.pid "$RUN"/worker-*.pid; do
    [[ -f "$pid" ]] || continue
    any=1
    if alive "$pid"; then echo "$(basename "$pid" .pid): running (pid $(cat "$pid"))"; else echo "$(basename "$pid" .pid): dead"; fi
  done
  ((any)) || echo "not running"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac

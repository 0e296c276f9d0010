#!/usr/bin/env bash
# Spark resource discovery for GPUs: prints {"name":"gpu","addresses":["0","1",...]} with the nvidia-smi index of
# every GPU on this machine. Set it where Spark discovers resources:
#   standalone workers:  spark.worker.resource.gpu.discoveryScript /opt/sparksweep/gpu-discovery.sh
#   YARN / Kubernetes:   spark.executor.resource.gpu.discoveryScript /opt/sparksweep/gpu-discovery.sh
# sparksweep binds each trial to the address Spark assigns it; CUDA numbers devices the same way only with
# CUDA_DEVICE_ORDER=PCI_BUS_ID (set in the GPU spark-defaults examples). NVIDIA_SMI overrides the command.
set -euo pipefail
smi="${NVIDIA_SMI:-nvidia-smi}"
if ! command -v "$smi" > /dev/null 2>&1; then
  echo "gpu-discovery.sh: $smi not found: is the NVIDIA driver installed on this machine?" >&2
  exit 1
fi
errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT
# Only stdout is parsed: warnings nvidia-smi prints on stderr must not break discovery.
if ! indices="$("$smi" --query-gpu=index --format=csv,noheader 2> "$errors")"; then
  echo "gpu-discovery.sh: $smi failed: $indices $(cat "$errors")" >&2
  exit 1
fi
addresses=""
while read -r line; do
  index="${line//[[:space:]]/}"
  [[ -z "$index" ]] && continue
  if [[ ! "$index" =~ ^[0-9]+$ ]]; then
    echo "gpu-discovery.sh: unexpected line from $smi: $line" >&2
    exit 1
  fi
  addresses+="${addresses:+,}\"$index\""
done <<< "$indices"
echo "{\"name\":\"gpu\",\"addresses\":[${addresses}]}"

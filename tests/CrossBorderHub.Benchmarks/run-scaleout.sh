#!/usr/bin/env bash
# Scale-out throughput (docs/scale-out.md, "Sizing"): the failover cluster of the Host tests without failures: 1, 2 and
# 3 `hub run` processes on one PostgreSQL (store, payloads, clustered scheduler), the same FILES interchanges each run,
# a third each over a shared folder, a real sshd and a real RabbitMQ, into one folder; timed from the first send to the
# last delivery. RUNS rounds, the counts taking turns within each round; prints files/s per run and the median per count.
# Needs what the Host tests need (PostgreSQL, sshd, rabbitmq-server; root, as the broker runs as the rabbitmq user).
# Usage: tests/CrossBorderHub.Benchmarks/run-scaleout.sh [FILES=1000] [RUNS=3]   (./build.sh bench scaleout runs it)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
FILES=${1:-1000}
RUNS=${2:-3}
case "$FILES$RUNS" in *[!0-9]*) echo "run-scaleout.sh: FILES ($FILES) and RUNS ($RUNS) must be whole numbers, e.g. run-scaleout.sh 1000 3" >&2; exit 2 ;; esac
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The Host tests start the hub of their own build configuration (src/CrossBorderHub.Host/bin/Release), built with them.
dotnet build "$REPO/tests/CrossBorderHub.Host.Tests" -c Release -v quiet -nologo >/dev/null
echo "== machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== commit: $(git -C "$REPO" rev-parse --short HEAD)"
log=$(mktemp /tmp/xbh-scaleout.XXXXXX.log)
status=0
HUB_SCALEOUT_FILES=$FILES HUB_SCALEOUT_RUNS=$RUNS dotnet test "$REPO/tests/CrossBorderHub.Host.Tests" -c Release --no-build \
  --filter "FullyQualifiedName~ScaleOutThroughputTests" --logger "console;verbosity=normal" 2>&1 \
  | tee "$log" | sed -un 's/^.*SCALEOUT //p' || status=$?
if [ "$status" -ne 0 ]; then
  echo "run-scaleout.sh: the benchmark failed (full output: $log):" >&2
  grep -A40 -m1 "Error Message" "$log" >&2 || tail -40 "$log" >&2
  exit "$status"
fi
rm -f "$log"

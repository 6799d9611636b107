#!/usr/bin/env bash
# End-to-end throughput and latency of a published hub (docs/benchmarks.md, "End to end"): `hub run` on SQLite with
# folder in, codes-level validation, one route and folder out, in a temp folder; N interchanges dropped and timed to
# delivery, the single-file idle latency, the hub's CPU and peak RSS, and the disk's durable-write rate beside them.
# --store postgres: the same on a throw-away PostgreSQL (durable defaults) started and stopped by the run, with its
# CPU beside the hub's; --blobs postgres also keeps the payloads in it (default: files).
# Usage: tests/CrossBorderHub.Benchmarks/run-e2e.sh [N=10000] [DISK_OPS=1000] [--store sqlite|postgres] [--blobs file|postgres]
#        (expects artifacts/hub: ./build.sh bench e2e publishes it)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
HUB="$REPO/artifacts/hub/hub.dll"
[ -f "$HUB" ] || { echo "run-e2e.sh: $HUB is missing: run ./build.sh publish (or ./build.sh bench e2e) first" >&2; exit 2; }
dotnet build "$REPO/tests/CrossBorderHub.Benchmarks" -c Release -v quiet -nologo >/dev/null
exec dotnet "$REPO/tests/CrossBorderHub.Benchmarks/bin/Release/net10.0/CrossBorderHub.Benchmarks.dll" e2e "$HUB" "$@"

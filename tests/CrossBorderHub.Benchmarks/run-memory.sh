#!/usr/bin/env bash
# Memory at 1 GB (see docs/benchmarks.md, "Memory at 1 GB"):
#   - generates two CUSDEC D.96B interchanges of 1 GiB with ~1.1 KB messages (~970,000 messages): one valid at the
#     codes level, one where every message has a document name code (BGM 1001) outside UNCL (one finding each);
#   - `hub validate FILE --level L` for every level on both files under /usr/bin/time -v: peak RSS;
#   - `hub run` with a folder inbound in a temp configuration: one file dropped, the process's VmRSS read from
#     /proc/PID/status once the file is processed (delivered, or rejected with its CONTRL written) and 10 s later.
# Usage: tests/CrossBorderHub.Benchmarks/run-memory.sh [HUB_DLL] [--skip-run]
#   HUB_DLL defaults to the Release build (src/CrossBorderHub.Host/bin/Release/net10.0/hub.dll); it needs schemas/
#   beside it or in the working directory (the script runs from the checkout). Needs ~5 GB free in /tmp.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
HUB=${1:-$ROOT/src/CrossBorderHub.Host/bin/Release/net10.0/hub.dll}
SKIP_RUN=${2:-}
WORK=$(mktemp -d /tmp/xbh-memory.XXXXXX)
HUB_PID=
cleanup() { [ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
export DOTNET_gcServer=0 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== hub: $HUB"
dotnet build -c Release tests/CrossBorderHub.Benchmarks -v q -nologo | grep -E " error |warning" || true
BENCH=tests/CrossBorderHub.Benchmarks/bin/Release/net10.0/CrossBorderHub.Benchmarks
"$BENCH" generate 1024 "$WORK/valid-1gb.edi" 6
"$BENCH" generate 1024 "$WORK/findings-1gb.edi" 6 1

echo "| file | level | exit | findings printed | peak RSS (KB) | wall |"
echo "|---|---|---:|---:|---:|---:|"
for file in valid findings; do
  for level in syntax envelope directory codes; do
    status=0
    /usr/bin/time -v dotnet "$HUB" validate "$WORK/$file-1gb.edi" --level "$level" > "$WORK/out.txt" 2> "$WORK/time.txt" || status=$?
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/time.txt")
    echo "| $file | $level | $status | $(grep -c ': ERROR' "$WORK/out.txt" || true) | $rss | $wall (load $(cut -d' ' -f1 /proc/loadavg)) |"
  done
done

[ "$SKIP_RUN" = "--skip-run" ] && exit 0

# hub run: THEXPORTER (the generator's UNB sender) drops into a folder; CNCUSTOMS receives by folder.
rss() { sed -n 's/^VmRSS:[[:space:]]*//p' "/proc/$1/status"; }
hwm() { sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$1/status"; }
for file in valid findings; do
  R=$WORK/run-$file
  mkdir -p "$R/drop" "$R/deliver/CN" "$R/deliver/EX"
  cat > "$R/hub.json" <<EOF
{
  "Logging": { "LogLevel": { "Default": "Warning" } },
  "Hub": {
    "DataRoot": "$R/data",
    "Store": { "Provider": "Sqlite" },
    "Identity": { "EdifactId": "XBHUB" },
    "Admin": { "Url": "http://127.0.0.1:0" },
    "Processing": { "SchemasPath": "$ROOT/schemas" },
    "Partners": {
      "EX": { "Name": "exporter", "Identifiers": [ "THEXPORTER" ], "Validation": "codes",
              "Inbound": { "Type": "folder", "Path": "$R/drop", "Schedule": "00:00:01" },
              "Outbound": { "Type": "folder", "Path": "$R/deliver/EX" } },
      "CN": { "Name": "customs", "Identifiers": [ "CNCUSTOMS" ], "Outbound": { "Type": "folder", "Path": "$R/deliver/CN" } }
    },
    "Routes": [ { "Name": "to customs", "Recipient": "CNCUSTOMS", "To": [ "CN" ] } ]
  }
}
EOF
  dotnet "$HUB" run --config "$R/hub.json" > "$R/log.txt" 2>&1 &
  HUB_PID=$!
  sleep 15
  idle=$(rss "$HUB_PID")
  cp "$WORK/$file-1gb.edi" "$R/drop/.incoming" && mv "$R/drop/.incoming" "$R/drop/$file.edi"
  # Processed: the interchange delivered to CN, or (findings) the CONTRL written back to EX.
  for _ in $(seq 600); do
    if [ -n "$(find "$R/deliver" -type f ! -name '.*')" ]; then break; fi
    sleep 1
  done
  sleep 2
  after=$(rss "$HUB_PID")
  sleep 10
  later=$(rss "$HUB_PID")
  echo "hub run, $file: idle $idle, peak $(hwm "$HUB_PID"), after processing $after, 10 s later $later; written: $(cd "$R/deliver" && find . -type f -printf '%p (%s bytes) ')"
  [ -n "$(find "$R/deliver" -type f)" ] || { echo "nothing was delivered; the hub's log:"; tail -20 "$R/log.txt"; }
  kill "$HUB_PID"; wait "$HUB_PID" 2>/dev/null || true
  HUB_PID=
  rm -rf "$R"
done

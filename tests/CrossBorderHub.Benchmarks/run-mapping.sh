#!/usr/bin/env bash
# Mapping speed and memory (docs/benchmarks.md, "Mapping"), with the peer run in the same script:
#   1. a generated ~100 MB CUSDEC D.96B interchange (~95,000 messages) mapped EDIFACT -> WCO XML by `hub map` (the
#      shipped cusdec-d96b-to-wco-dec with "batch", as a multi-message interchange needs, and the declarant ID made
#      optional: the generator's NAD+DT has a name, no C082) against `hub validate --level codes` on the same file:
#      wall time (median of RUNS) and peak RSS (/usr/bin/time -v);
#   2. the shipped XSLT mapping sps-to-ephyto-envelope on ~10 KB and ~10 MB SPS certificates: the hub in-process
#      (stylesheet compiled once, median per document) against xsltproc (one process per document, median).
# Usage: tests/CrossBorderHub.Benchmarks/run-mapping.sh [RUNS=3]   (expects artifacts/hub: ./build.sh bench mapping publishes it)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
HUB="$REPO/artifacts/hub/hub.dll"
RUNS=${1:-3}
[ -f "$HUB" ] || { echo "run-mapping.sh: $HUB is missing: run ./build.sh publish (or ./build.sh bench mapping) first" >&2; exit 2; }
for tool in xsltproc /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "run-mapping.sh: $tool is missing: apt-get install -y xsltproc time python3" >&2; exit 2; }
done
WORK=$(mktemp -d /tmp/xbh-mapping.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export DOTNET_gcServer=0 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build "$REPO/tests/CrossBorderHub.Benchmarks" -c Release -v quiet -nologo >/dev/null
BENCH="dotnet $REPO/tests/CrossBorderHub.Benchmarks/bin/Release/net10.0/CrossBorderHub.Benchmarks.dll"
echo "== machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== commit: $(git -C "$REPO" rev-parse --short HEAD)"

$BENCH generate 100 "$WORK/cusdec-100mb.edi" 6
mkdir -p "$WORK/mappings"
cp -R "$REPO/mappings/cusdec-d96b-to-wco-dec" "$WORK/mappings/cusdec-batch"
rm -rf "$WORK/mappings/cusdec-batch/tests"
sed -i 's/"name": *"cusdec-d96b-to-wco-dec"/"name": "cusdec-batch"/' "$WORK/mappings/cusdec-batch/mapping.json"
python3 - "$WORK/mappings/cusdec-batch/rules.json" <<'PY'
import json, sys
path = sys.argv[1]
rules = json.load(open(path))
rules.pop("$schema", None)
rules["batch"] = "d:DeclarationBatch"
def relax(node):
    if isinstance(node, dict):
        if node.get("element") == "d:Declarant":
            for child in node.get("children", []):
                if child.get("element") == "d:ID":
                    child.pop("required", None)
        for value in node.values():
            relax(value)
    elif isinstance(node, list):
        for value in node:
            relax(value)
relax(rules)
json.dump(rules, open(path, "w"), indent=1)
PY
SWITCHES=(--Hub:Processing:MappingsPath="$WORK/mappings" --Hub:Processing:SchemasPath="$REPO/schemas")

# median of a list of numbers on stdin
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
seconds() { awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }'; }

measure() { # NAME COMMAND...: RUNS runs, median wall seconds and max peak RSS (KB)
  local name=$1; shift
  : > "$WORK/$name.walls"; : > "$WORK/$name.rss"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -v "$@" > /dev/null 2> "$WORK/time.txt" || { echo "run-mapping.sh: $name failed:" >&2; grep -v '^[[:space:]]' "$WORK/time.txt" >&2; exit 1; }
    sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/time.txt" | seconds >> "$WORK/$name.walls"
    sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt" >> "$WORK/$name.rss"
  done
  echo "$(median < "$WORK/$name.walls") $(sort -g "$WORK/$name.rss" | tail -1)"
}

SIZE=$(stat -c %s "$WORK/cusdec-100mb.edi")
read -r MAP_S MAP_KB < <(measure map dotnet "$HUB" map "$WORK/cusdec-100mb.edi" --mapping cusdec-batch --no-validate -o "$WORK/out.xml" "${SWITCHES[@]}")
OUT=$(stat -c %s "$WORK/out.xml")
xmllint --noout "$WORK/out.xml" 2>/dev/null || { command -v xmllint >/dev/null && { echo "run-mapping.sh: the mapped output is not well-formed" >&2; exit 1; }; }
read -r VAL_S VAL_KB < <(measure validate dotnet "$HUB" validate "$WORK/cusdec-100mb.edi" --level codes --Hub:Processing:SchemasPath="$REPO/schemas")
echo
echo "| 100 MB CUSDEC ($SIZE bytes) | median wall (s, $RUNS runs) | MB/s | peak RSS (MB) |"
echo "|---|---:|---:|---:|"
awk -v s="$MAP_S" -v kb="$MAP_KB" -v size="$SIZE" -v out="$OUT" 'BEGIN { printf "| hub map (EDIFACT -> WCO XML, %d MB out) | %.2f | %.1f | %.0f |\n", out / 1048576, s, size / 1048576 / s, kb / 1024 }'
awk -v s="$VAL_S" -v kb="$VAL_KB" -v size="$SIZE" 'BEGIN { printf "| hub validate --level codes | %.2f | %.1f | %.0f |\n", s, size / 1048576 / s, kb / 1024 }'
awk -v m="$MAP_S" -v v="$VAL_S" 'BEGIN { printf "\nmapping throughput / validation throughput: %.2f (required >= 0.5)\n", v / m }'

STYLESHEET="$REPO/mappings/sps-to-ephyto-envelope/envelope.xsl"
SAMPLE="$REPO/mappings/sps-to-ephyto-envelope/tests/01-valid.input.xml"
echo
echo "| SPS certificate | hub in-process (ms/doc, median) | xsltproc (ms/doc, median, process per doc) | hub / xsltproc |"
echo "|---|---:|---:|---:|"
for kb in 10 10240; do
  $BENCH sps-generate "$SAMPLE" "$kb" "$WORK/sps-$kb.xml" > /dev/null
  count=$([ "$kb" -le 100 ] && echo 101 || echo 11)
  hub_ms=$($BENCH map-inprocess "$REPO/mappings" "$REPO/schemas/edifact" sps-to-ephyto-envelope "$WORK/sps-$kb.xml" "$count")
  : > "$WORK/xslt.ms"
  for _ in $(seq "$count"); do
    start=$(date +%s%N)
    xsltproc "$STYLESHEET" "$WORK/sps-$kb.xml" > /dev/null
    echo $(( ($(date +%s%N) - start) / 1000 )) >> "$WORK/xslt.ms"
  done
  xslt_ms=$(awk '{ print $1 / 1000 }' "$WORK/xslt.ms" | median)
  awk -v kb="$kb" -v h="$hub_ms" -v x="$xslt_ms" -v size="$(stat -c %s "$WORK/sps-$kb.xml")" 'BEGIN { printf "| %d bytes | %.3f | %.3f | %.2f |\n", size, h, x, h / x }'
done
echo
echo "== load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

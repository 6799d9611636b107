#!/usr/bin/env bash
# EDIFACT peer benchmark, all in one run (see docs/benchmarks.md):
#   - generates CUSDEC D.96B interchanges valid at the codes level (1 MB, 100 MB, 1 GB) into a temp folder,
#   - the practical limit: a tiny C program scanning the file for the separators,
#   - npm `edifact` 1.2.12 parsing the same file end to end (segments, elements, components; syntax only),
#   - our EdifactReader over every token,
#   - `hub validate --level codes` as a whole process, and its peak RSS on the 1 GB file (/usr/bin/time -v).
# Prints wall MB/s and CPU MB/s (bytes per CPU second: stable when the machine is shared) and the ratios.
# Usage: tests/CrossBorderHub.Benchmarks/run-peers.sh [--skip-1gb]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/xbh-edifact-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
SKIP_1GB=${1:-}

echo "== machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== build (Release)"
dotnet build -c Release tests/CrossBorderHub.Benchmarks -v q -nologo | grep -E "error|Warn|Elapsed" || true
dotnet build -c Release src/CrossBorderHub.Host -v q -nologo | grep -E "error|Warn|Elapsed" || true
BENCH=tests/CrossBorderHub.Benchmarks/bin/Release/net10.0/CrossBorderHub.Benchmarks
HUB=src/CrossBorderHub.Host/bin/Release/net10.0/hub
gcc -O2 -o "$WORK/scan" tests/CrossBorderHub.Benchmarks/peers/scan.c

echo "== npm edifact@1.2.12"
(cd "$WORK" && npm install --silent --no-audit --no-fund --prefix "$WORK/npm" edifact@1.2.12 >/dev/null)

echo "== generate"
"$BENCH" generate 1 "$WORK/cusdec-1mb.edi"
"$BENCH" generate 100 "$WORK/cusdec-100mb.edi"
[ "$SKIP_1GB" = "--skip-1gb" ] || "$BENCH" generate 1024 "$WORK/cusdec-1gb.edi"

F=$WORK/cusdec-100mb.edi
SIZE=$(stat -c %s "$F")
echo "== 100 MB file ($SIZE bytes)"
C=$("$WORK/scan" "$F" 5); echo "$C"
T=$("$BENCH" tokenize "$F" 5); echo "$T"
N=$(node tests/CrossBorderHub.Benchmarks/peers/parse-npm.js "$F" 3 "$WORK/npm/node_modules"); echo "$N"

# hub validate as a whole process: 3 runs, median wall and CPU (user+sys) from /usr/bin/time.
runs=()
for i in 1 2 3; do
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$HUB" validate --level codes "$F" > "$WORK/out.txt" 2>/dev/null || { echo "hub validate reported findings:"; head "$WORK/out.txt"; }
  runs+=("$(cat "$WORK/time.txt")")
done
V=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)
read -r VWALL VUSER VSYS VRSS <<<"$V"
VCPU=$(echo "$VUSER + $VSYS" | bc -l)
echo "hub validate --level codes: median wall ${VWALL}s, cpu ${VCPU}s, peak RSS $((VRSS / 1024)) MB, $(echo "$SIZE / $VWALL / 1000000" | bc) MB/s, cpu $(echo "$SIZE / $VCPU / 1000000" | bc) MB/s"

mbs() { sed -E 's/.* ([0-9]+) MB\/s, cpu ([0-9]+) MB\/s.*/\1 \2/' <<<"$1"; }
read -r CW CC <<<"$(mbs "$C")"
read -r TW TC <<<"$(mbs "$T")"
read -r NW NC <<<"$(mbs "$N")"
VW=$(echo "$SIZE / $VWALL / 1000000" | bc -l); VC=$(echo "$SIZE / $VCPU / 1000000" | bc -l)
echo "== ratios on 100 MB (wall | cpu)"
printf "tokenizer / C scan        %.2fx | %.2fx   (target >= 1.0x)\n" "$(echo "$TW/$CW" | bc -l)" "$(echo "$TC/$CC" | bc -l)"
printf "tokenizer / npm edifact   %.1fx | %.1fx   (target >= 20x)\n" "$(echo "$TW/$NW" | bc -l)" "$(echo "$TC/$NC" | bc -l)"
printf "hub validate / npm        %.1fx | %.1fx   (target >= 4x; hub = whole process at codes level, npm = parse only)\n" "$(echo "$VW/$NW" | bc -l)" "$(echo "$VC/$NC" | bc -l)"

if [ "$SKIP_1GB" != "--skip-1gb" ]; then
  G=$WORK/cusdec-1gb.edi
  echo "== 1 GB file ($(stat -c %s "$G") bytes): hub validate --level codes, /usr/bin/time -v"
  /usr/bin/time -v "$HUB" validate --level codes "$G" > "$WORK/out.txt" 2> "$WORK/time-v.txt" || true
  grep -E "Elapsed|Maximum resident|User time|System time" "$WORK/time-v.txt"
  head -3 "$WORK/out.txt"
  rm -f "$G"
fi

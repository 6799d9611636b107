#!/usr/bin/env bash
# EDIFACT peer benchmark, all in one run (see docs/benchmarks.md):
#   - generates CUSDEC D.96B interchanges valid at the codes level (1 MB, 100 MB, 1 GB) into a temp folder,
#   - the practical limit: a tiny C program scanning the file for the separators,
#   - npm `edifact` 1.2.12 parsing the same file end to end (segments, elements, components; syntax only),
#   - our EdifactReader over every token,
#   - `hub validate --level codes` as a whole process, and its peak RSS on the 1 GB file (/usr/bin/time -v).
# Prints wall MB/s and CPU MB/s (bytes per CPU second) per round and tool, the medians and the ratios.
# Usage: [ROUNDS=5] tests/CrossBorderHub.Benchmarks/run-peers.sh [--skip-1gb]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/xbh-edifact-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
SKIP_1GB=${1:-}

echo "== machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== build (Release)"
dotnet build -c Release tests/CrossBorderHub.Benchmarks -v q -nologo | grep -E "error|Warn|Elapsed" || true
# The hub as ./build.sh run deploys it: published ReadyToRun into artifacts/hub.
./build.sh publish > "$WORK/publish.txt" 2>&1 || { cat "$WORK/publish.txt"; exit 1; }
grep -q "ReadyToRun publish failed" "$WORK/publish.txt" && echo "(ReadyToRun publish failed: measuring a plain build)"
BENCH=tests/CrossBorderHub.Benchmarks/bin/Release/net10.0/CrossBorderHub.Benchmarks
HUB=artifacts/hub/hub
gcc -O2 -o "$WORK/scan" tests/CrossBorderHub.Benchmarks/peers/scan.c

echo "== npm edifact@1.2.12"
(cd "$WORK" && npm install --silent --no-audit --no-fund --prefix "$WORK/npm" edifact@1.2.12 >/dev/null)

echo "== generate"
"$BENCH" generate 1 "$WORK/cusdec-1mb.edi"
"$BENCH" generate 100 "$WORK/cusdec-100mb.edi"
[ "$SKIP_1GB" = "--skip-1gb" ] || "$BENCH" generate 1024 "$WORK/cusdec-1gb.edi"

F=$WORK/cusdec-100mb.edi
SIZE=$(stat -c %s "$F")
ROUNDS=${ROUNDS:-5}
# The machine is shared and its speed drifts within seconds: every tool runs once per round, rounds alternate the
# tools, and the report takes the median of each tool over the rounds (and the median of the per-round ratios).
echo "== 100 MB file ($SIZE bytes), $ROUNDS rounds of: C scan, tokenizer, npm edifact, hub validate"
"$HUB" validate --level codes "$F" > /dev/null 2>&1 || true # parses the D.96B directory into its cache, as any first run does
mbs() { sed -E 's/.* ([0-9]+) MB\/s, cpu ([0-9]+) MB\/s.*/\1 \2/' <<<"$1"; }
: > "$WORK/rounds.txt"
for round in $(seq "$ROUNDS"); do
  C=$("$WORK/scan" "$F" 5)
  T=$("$BENCH" tokenize "$F" 5)
  N=$(node tests/CrossBorderHub.Benchmarks/peers/parse-npm.js "$F" 3 "$WORK/npm/node_modules")
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$HUB" validate --level codes "$F" > "$WORK/out.txt" 2>/dev/null \
    || { echo "hub validate reported findings:"; head "$WORK/out.txt"; }
  read -r VWALL VUSER VSYS VRSS < "$WORK/time.txt"
  read -r CW CC <<<"$(mbs "$C")"
  read -r TW TC <<<"$(mbs "$T")"
  read -r NW NC <<<"$(mbs "$N")"
  VW=$(echo "$SIZE / $VWALL / 1000000" | bc)
  VC=$(echo "$SIZE / ($VUSER + $VSYS) / 1000000" | bc)
  echo "$CW $CC $TW $TC $NW $NC $VW $VC $((VRSS / 1024))" >> "$WORK/rounds.txt"
  printf "round %d: C scan %s MB/s | tokenizer %s MB/s | npm edifact %s MB/s | hub validate %s MB/s (%ss, peak RSS %s MB)\n" \
    "$round" "$CW" "$TW" "$NW" "$VW" "$VWALL" "$((VRSS / 1024))"
done
echo "(last round) $C"
echo "(last round) $T"
echo "(last round) $N"
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v c="$1" '{ print $c }' "$WORK/rounds.txt" | median; }
ratio() { awk -v a="$1" -v b="$2" '{ printf "%.3f\n", $a / $b }' "$WORK/rounds.txt" | median; }
echo "== medians over $ROUNDS rounds (wall MB/s; cpu MB/s = bytes per CPU second)"
echo "C scan:                 $(col 1) MB/s (cpu $(col 2))"
echo "tokenizer (every token): $(col 3) MB/s (cpu $(col 4))"
echo "npm edifact 1.2.12:     $(col 5) MB/s (cpu $(col 6))"
echo "hub validate --level codes (whole process): $(col 7) MB/s (cpu $(col 8)), peak RSS $(col 9) MB"
echo "== ratios (median of the per-round ratios; wall | cpu)"
printf "tokenizer / C scan        %.2fx | %.2fx   (target >= 1.0x)\n" "$(ratio 3 1)" "$(ratio 4 2)"
printf "tokenizer / npm edifact   %.1fx | %.1fx   (target >= 20x)\n" "$(ratio 3 5)" "$(ratio 4 6)"
printf "hub validate / npm        %.1fx | %.1fx   (target >= 4x; hub = whole process at codes level, npm = parse only)\n" "$(ratio 7 5)" "$(ratio 8 6)"

if [ "$SKIP_1GB" != "--skip-1gb" ]; then
  G=$WORK/cusdec-1gb.edi
  echo "== 1 GB file ($(stat -c %s "$G") bytes): hub validate --level codes, /usr/bin/time -v"
  status=0
  /usr/bin/time -v "$HUB" validate --level codes "$G" > "$WORK/out.txt" 2> "$WORK/time-v.txt" || status=$?
  grep -E "Elapsed|Maximum resident|User time|System time" "$WORK/time-v.txt"
  echo "exit $status (0: valid), findings: $(wc -l < "$WORK/out.txt")"
  head -3 "$WORK/out.txt"
  rm -f "$G"
fi

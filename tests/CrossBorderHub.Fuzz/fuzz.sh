#!/usr/bin/env bash
# Instruments the fuzz harness with SharpFuzz and runs afl-fuzz on one target or all of them.
#   tests/CrossBorderHub.Fuzz/fuzz.sh TARGET|all SECONDS [WORKDIR]
# Needs the harness built (dotnet build tests/CrossBorderHub.Fuzz -c Release; ./build.sh fuzz does it) and afl-fuzz
# (Debian package afl++). Prints one line per target: execs, execs/s, paths, crashes, hangs. Exits 1 on any crash or
# hang, after copying each input to WORKDIR/TARGET/found/ (and, with FUZZ_KEEP=1, to regressions/TARGET/).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
targets_all=(edifact xml as2 config)
[ $# -ge 2 ] || { echo "usage: fuzz.sh TARGET|all SECONDS [WORKDIR]   targets: ${targets_all[*]}" >&2; exit 2; }
target="$1" seconds="$2" work="${3:-$repo/artifacts/fuzz}"
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || { echo "fuzz.sh: SECONDS must be a positive whole number, not '$seconds'" >&2; exit 2; }
if [ "$target" = all ]; then targets=("${targets_all[@]}"); else targets=("$target"); fi
for t in "${targets[@]}"; do
  [[ " ${targets_all[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t': use one of ${targets_all[*]} or all" >&2; exit 2; }
done
command -v afl-fuzz >/dev/null || { echo "fuzz.sh: afl-fuzz not found: apt-get install afl++" >&2; exit 2; }
built="$here/bin/Release/net10.0"
[ -f "$built/hub-fuzz.dll" ] || { echo "fuzz.sh: $built/hub-fuzz.dll missing: dotnet build tests/CrossBorderHub.Fuzz -c Release" >&2; exit 2; }

# Instrument a copy, never the build output: the normal tests load the uninstrumented assemblies.
rm -rf "$work/bin" && mkdir -p "$work" && cp -r "$built" "$work/bin"
(cd "$repo" && dotnet tool restore >/dev/null)
for dll in CrossBorderHub.Edifact CrossBorderHub.Xml CrossBorderHub.Core CrossBorderHub.Channels hub; do
  (cd "$repo" && dotnet sharpfuzz "$work/bin/$dll.dll") >/dev/null
done

# The .NET target is not built with afl's compiler (SKIP_BIN_CHECK); several helpers share the cores (NO_AFFINITY);
# no core_pattern changes on a shared machine (crashes are exceptions reported by SharpFuzz, not core dumps).
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export HUB_REPO="$repo" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
failed=0
for t in "${targets[@]}"; do
  dir="$work/$t"
  rm -rf "$dir" && mkdir -p "$dir"
  # Seeds from the uninstrumented build: instrumented code needs the shared memory only afl-fuzz provides.
  dotnet "$built/hub-fuzz.dll" seeds "$t" "$dir/seeds" >/dev/null
  # -t: an input that takes 3 s is a hang (the seeds take milliseconds); -V: stop after SECONDS.
  if ! afl-fuzz -i "$dir/seeds" -o "$dir/out" -t 3000 -V "$seconds" -- dotnet "$work/bin/hub-fuzz.dll" fuzz "$t" >"$dir/afl.log" 2>&1; then
    echo "fuzz $t: afl-fuzz failed, see $dir/afl.log:" >&2; grep -E "PROGRAM ABORT|Location|Whoops" "$dir/afl.log" >&2 || tail -5 "$dir/afl.log" >&2
    failed=1; continue
  fi
  stats="$dir/out/default/fuzzer_stats"
  value() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  crashes=$(value saved_crashes) hangs=$(value saved_hangs)
  echo "fuzz $t: $(value execs_done) execs, $(value execs_per_sec) execs/s, $(value corpus_count) paths, $crashes crashes, $hangs hangs in $(value run_time) s"
  if [ "$crashes" != 0 ] || [ "$hangs" != 0 ]; then
    failed=1
    mkdir -p "$dir/found"
    for f in "$dir"/out/default/crashes/id:* "$dir"/out/default/hangs/id:*; do
      [ -f "$f" ] || continue
      kind=$([[ "$f" == */hangs/* ]] && echo hang || echo crash)
      name="$kind-$(sha256sum "$f" | cut -c1-12)"
      cp "$f" "$dir/found/$name"
      [ "${FUZZ_KEEP:-0}" = 1 ] && mkdir -p "$here/regressions/$t" && cp "$f" "$here/regressions/$t/$name"
      echo "  $dir/found/$name   (replay: dotnet $built/hub-fuzz.dll replay $t $dir/found/$name)"
    done
  fi
done
exit "$failed"

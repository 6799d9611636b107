#!/usr/bin/env bash
# The kill -9 soak (docs/reliability.md, "Crash safety and kill -9 soak"): N interchanges dropped into the real hub's
# folder while it is SIGKILLed K times and restarted; then every delivery, CONTRL, message state and blob is checked.
#   tests/soak/kill9-soak.sh [N] [K] [SEED]     defaults: N=2000 K=40 SEED=20261202
# Prints the summary line "N delivered, 0 lost, 0 duplicated, 0 stuck" and every problem found; exit 0 only when clean.
# The soak itself is the Kill9Soak test in tests/CrossBorderHub.Host.Tests/Soak (CI runs it with N=300 K=10).
set -euo pipefail
cd "$(dirname "$0")/../.."
usage() { echo "usage: tests/soak/kill9-soak.sh [N] [K] [SEED]  (whole numbers > 0; defaults 2000 40 20261202)" >&2; exit 2; }
N="${1:-2000}"; K="${2:-40}"; SEED="${3:-20261202}"
for value in "$N" "$K" "$SEED"; do [[ "$value" =~ ^[1-9][0-9]*$ ]] || usage; done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
report="$(mktemp -t kill9-soak.XXXXXX)"
trap 'rm -f "$report"' EXIT

echo "kill9-soak: building the hub and the soak (Release)"
dotnet build tests/CrossBorderHub.Host.Tests -c Release -v quiet -nologo >/dev/null \
  || { echo "kill9-soak: the build failed; run 'dotnet build tests/CrossBorderHub.Host.Tests -c Release' to see why" >&2; exit 2; }
echo "kill9-soak: N=$N K=$K seed=$SEED on $(nproc) cores, $(uname -srm), $(date -u +%Y-%m-%dT%H:%MZ)"
started=$(date +%s)
status=0
SOAK_N="$N" SOAK_K="$K" SOAK_SEED="$SEED" SOAK_REPORT="$report" \
  dotnet test tests/CrossBorderHub.Host.Tests -c Release --no-build --nologo -v quiet \
    --filter "FullyQualifiedName~Kill9SoakTests" >/dev/null || status=$?
if [ ! -s "$report" ]; then
  echo "kill9-soak: the soak did not run to its report (dotnet test exit $status); run it with: SOAK_N=$N SOAK_K=$K dotnet test tests/CrossBorderHub.Host.Tests -c Release --filter FullyQualifiedName~Kill9SoakTests" >&2
  exit 2
fi
cat "$report"
echo "kill9-soak: $(( $(date +%s) - started )) s in all"
exit $(( status == 0 ? 0 : 1 ))

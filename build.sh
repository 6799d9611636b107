#!/usr/bin/env bash
# CrossBorderHub build entry point.
#   ./build.sh run    build and start the hub on its embedded defaults (SQLite, local folders, dev certificate)
#   ./build.sh test   install what the tests need (apt-get, when root) and run every test
#   ./build.sh build  build only
#   ./build.sh bench  run the benchmarks and the peer-tool comparison (see docs/benchmarks.md)
#   ./build.sh bench e2e [N] [DISK_OPS] [--store postgres] [--blobs postgres]  publish the hub and time N interchanges
#       (10000) through `hub run` on SQLite, or on a throw-away PostgreSQL (docs/benchmarks.md)
#   ./build.sh bench mapping [RUNS]  publish the hub; `hub map` on 100 MB vs `hub validate`, XSLT vs xsltproc (docs/benchmarks.md)
#   ./build.sh bench scaleout [FILES] [RUNS]  files/s of 1, 2 and 3 instances on one PostgreSQL, median of RUNS (3) (docs/scale-out.md)
#   ./build.sh soak [N] [K]  the kill -9 soak: N interchanges (2000), K SIGKILLs (40); see docs/reliability.md
#   ./build.sh fuzz [TARGET|all] [SECONDS]   fuzz with AFL++ (default: all targets, 300 s each; docs/reliability.md)
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# What the test suite starts for real (servers, independent peers, the browser): a command and its Debian package.
TEST_TOOLS=(
  "/usr/sbin/sshd:openssh-server" "sftp:openssh-client" "vsftpd:vsftpd" "pg_ctlcluster:postgresql"
  "rabbitmq-server:rabbitmq-server" "xmlsec1:xmlsec1" "openssl:openssl" "chromium:chromium" "node:nodejs" "npm:npm"
  "afl-fuzz:afl++" "aiosmtpd:python3-aiosmtpd"
)

install_test_dependencies() {
  local missing=()
  for entry in "${TEST_TOOLS[@]}"; do
    command -v "${entry%%:*}" >/dev/null 2>&1 || missing+=("${entry##*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "build.sh: installing test dependencies: ${missing[*]}"
    # Debian's packages start their services on install; the tests start their own copies instead.
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    rm -f /usr/sbin/policy-rc.d
  else
    echo "build.sh: not root (or no apt-get): the tests need these packages, install them: ${missing[*]}" >&2
  fi
}

# build.ps1's tests run the real PowerShell (tests/CrossBorderHub.Host.Tests/Operations/BuildPs1Tests.cs). Debian has
# no package for it; the .NET tool is installed into .tools/ (git-ignored), where the tests look first. The version is
# pinned: 7.7.0 does not install from this registry.
PWSH_VERSION=7.6.10
install_pwsh() {
  command -v pwsh >/dev/null 2>&1 && return 0
  [ -x .tools/pwsh ] && return 0
  echo "build.sh: installing PowerShell $PWSH_VERSION into .tools/ (dotnet tool)"
  dotnet tool install --tool-path .tools PowerShell --version "$PWSH_VERSION" >/dev/null \
    || echo "build.sh: PowerShell could not be installed: the build.ps1 tests will fail under CI=true; install it with: dotnet tool install --tool-path .tools PowerShell --version $PWSH_VERSION" >&2
}

# The hub as it is deployed: precompiled (ReadyToRun), so every `hub` command starts without compiling the code it
# runs first (a cold `hub validate` of 1 MB: 0.25 s -> 0.17 s). When the precompiler package cannot be restored,
# a plain build works the same, only starts slower.
publish_hub() {
  local rid
  rid="linux-$(uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')"
  dotnet publish src/CrossBorderHub.Host -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o artifacts/hub \
    || { echo "build.sh: ReadyToRun publish failed; building without it" >&2; dotnet build src/CrossBorderHub.Host -c Release -o artifacts/hub; }
  # A plain build does not carry the data folders that `dotnet publish` does (see CrossBorderHub.Host.csproj): the
  # copy must work wherever it is moved, so schemas/ and mappings/ (when there is one) go beside hub.dll either way.
  local folder
  for folder in schemas mappings; do
    if [ -d "$folder" ]; then
      mkdir -p "artifacts/hub/$folder" && cp -R "$folder/." "artifacts/hub/$folder/"
    fi
  done
  # This machine's directory cache names its files' times: a copy would only be rebuilt (as dotnet publish leaves it out).
  rm -rf artifacts/hub/schemas/edifact/.cache
}

case "${1:-run}" in
  build)
    dotnet build CrossBorderHub.sln -c Release
    ;;
  run)
    shift || true
    publish_hub
    exec dotnet artifacts/hub/hub.dll run "$@"
    ;;
  publish)
    publish_hub
    echo "build.sh: the hub is in artifacts/hub (run: dotnet artifacts/hub/hub.dll run)"
    ;;
  test)
    shift || true
    install_test_dependencies
    install_pwsh
    dotnet build CrossBorderHub.sln -c Release
    dotnet test CrossBorderHub.sln -c Release --no-build "$@"
    ;;
  bench)
    shift || true
    if [ "${1:-}" = "e2e" ]; then
      shift
      publish_hub
      exec tests/CrossBorderHub.Benchmarks/run-e2e.sh "$@"
    fi
    if [ "${1:-}" = "scaleout" ]; then
      shift
      install_test_dependencies
      exec tests/CrossBorderHub.Benchmarks/run-scaleout.sh "$@"
    fi
    if [ "${1:-}" = "mapping" ]; then
      shift
      publish_hub
      exec tests/CrossBorderHub.Benchmarks/run-mapping.sh "$@"
    fi
    exec tests/CrossBorderHub.Benchmarks/run-peers.sh "$@"
    ;;
  soak)
    shift || true
    exec tests/soak/kill9-soak.sh "$@"
    ;;
  fuzz)
    shift || true
    install_test_dependencies
    dotnet build tests/CrossBorderHub.Fuzz -c Release
    # Each crash or hang found is copied to tests/CrossBorderHub.Fuzz/regressions/TARGET/, replayed by the tests.
    FUZZ_KEEP=1 exec tests/CrossBorderHub.Fuzz/fuzz.sh "${1:-all}" "${2:-300}"
    ;;
  *)
    echo "usage: ./build.sh [run|test|build|publish|bench [e2e [N] [DISK_OPS] [--store postgres] [--blobs postgres]|mapping [RUNS]|scaleout [FILES] [RUNS]]|soak [N] [K]|fuzz [TARGET|all] [SECONDS]]" >&2
    exit 2
    ;;
esac

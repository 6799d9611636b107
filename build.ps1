# CrossBorderHub build entry point for Windows (PowerShell 7+).
#   ./build.ps1 run    build and start the hub on its embedded defaults
#   ./build.ps1 test   run every test (the real-server tests need OpenSSH, vsftpd, PostgreSQL, RabbitMQ and xmlsec1
#                      on PATH; without them they are ignored locally and fail with CI=true)
#   ./build.ps1 build  build only
#   ./build.ps1 publish  publish the hub precompiled (ReadyToRun) into artifacts/hub, as `run` does first
#   ./build.ps1 bench e2e [N] [DISK_OPS] [--store postgres] [--blobs postgres]  publish the hub and time N interchanges
#       (10000) through `hub run` on SQLite, or on a throw-away PostgreSQL (Linux: needs initdb) (docs/benchmarks.md)
#   ./build.ps1 install [FOLDER] [CONFIG]  publish, copy to FOLDER (%ProgramFiles%\CrossBorderHub) and register + start
#                      the Windows service CrossBorderHub (administrator; docs/operations.md, Windows service)
#   ./build.ps1 uninstall  stop and remove the Windows service (the installed folder and its data stay)
param([ValidateSet('run', 'test', 'build', 'publish', 'bench', 'install', 'uninstall')][string]$Verb = 'run', [Parameter(ValueFromRemainingArguments)][string[]]$Rest)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

# The hub as it is deployed, as build.sh does: precompiled (ReadyToRun) for this machine's runtime identifier, so
# every `hub` command starts without compiling the code it runs first. When the precompiler package cannot be
# restored, a plain build works the same, only starts slower.
function Publish-Hub {
  $rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
  dotnet publish src/CrossBorderHub.Host -c Release -r $rid --self-contained false -p:PublishReadyToRun=true -o artifacts/hub
  if ($LASTEXITCODE -ne 0) {
    Write-Warning 'build.ps1: ReadyToRun publish failed; building without it'
    dotnet build src/CrossBorderHub.Host -c Release -o artifacts/hub
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
  }
  # A plain build does not carry the data folders that `dotnet publish` does (see CrossBorderHub.Host.csproj): the
  # copy must work wherever it is moved, so schemas/ and mappings/ (when there is one) go beside hub.dll either way.
  foreach ($folder in 'schemas', 'mappings') {
    if (Test-Path $folder -PathType Container) {
      New-Item -ItemType Directory -Force -Path "artifacts/hub/$folder" | Out-Null
      Copy-Item -Recurse -Force -Path "$folder/*" -Destination "artifacts/hub/$folder"
    }
  }
  # This machine's directory cache names its files' times: a copy would only be rebuilt (as dotnet publish leaves it out).
  Remove-Item -Recurse -Force -ErrorAction SilentlyContinue 'artifacts/hub/schemas/edifact/.cache'
}

$ServiceName = 'CrossBorderHub'

# A Windows service is registered through the service control manager, which exists on Windows only: elsewhere
# these verbs say so (one line, exit 2) instead of failing half-way. Linux deploys with deploy/systemd.
function Assert-Windows {
  if (-not $IsWindows) {
    Write-Host "build.ps1: '$Verb' registers a Windows service and needs Windows; on Linux install deploy/systemd/crossborderhub.service (docs/operations.md)"
    exit 2
  }
}

switch ($Verb) {
  'install' {
    Assert-Windows
    $target = if ($Rest.Count -gt 0) { $Rest[0] } else { Join-Path $env:ProgramFiles 'CrossBorderHub' }
    $config = if ($Rest.Count -gt 1) { $Rest[1] } else { Join-Path $target 'hub.json' }
    if (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue) {
      Write-Host "build.ps1: the service $ServiceName exists already: run ./build.ps1 uninstall first"
      exit 2
    }
    Publish-Hub
    New-Item -ItemType Directory -Force -Path $target | Out-Null
    Copy-Item -Recurse -Force -Path 'artifacts/hub/*' -Destination $target
    $dotnet = (Get-Command dotnet).Source
    # The hub runs as a service through UseWindowsService (RunVerb): it reports start and stop to the manager itself.
    New-Service -Name $ServiceName -DisplayName 'CrossBorderHub EDI hub' -StartupType Automatic `
      -BinaryPathName "`"$dotnet`" `"$(Join-Path $target 'hub.dll')`" run --config `"$config`"" | Out-Null
    # Restart after a crash, as the systemd unit's Restart=on-failure does.
    sc.exe failure $ServiceName reset= 86400 actions= restart/5000/restart/5000/restart/30000 | Out-Null
    Start-Service -Name $ServiceName
    Write-Host "build.ps1: service $ServiceName installed from $target (config $config) and started"
    exit 0
  }
  'uninstall' {
    Assert-Windows
    if (-not (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue)) {
      Write-Host "build.ps1: there is no service $ServiceName to remove"
      exit 0
    }
    Stop-Service -Name $ServiceName -ErrorAction SilentlyContinue
    sc.exe delete $ServiceName | Out-Null
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    Write-Host "build.ps1: service $ServiceName removed (its folder and data are left in place)"
    exit 0
  }
  'build' { dotnet build CrossBorderHub.sln -c Release; exit $LASTEXITCODE }
  'publish' {
    Publish-Hub
    Write-Host 'build.ps1: the hub is in artifacts/hub (run: dotnet artifacts/hub/hub.dll run)'
    exit 0
  }
  'bench' {
    if ($Rest.Count -lt 1 -or $Rest[0] -ne 'e2e') {
      Write-Error 'build.ps1: usage: ./build.ps1 bench e2e [N] [DISK_OPS] [--store sqlite|postgres] [--blobs file|postgres] (the other benchmarks run with ./build.sh bench)'
      exit 2
    }
    Publish-Hub
    dotnet build tests/CrossBorderHub.Benchmarks -c Release -v quiet -nologo
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    # N, DISK_OPS and the --store/--blobs options go through as given; the driver supplies the defaults (10000, 1000).
    $benchArgs = @($Rest | Select-Object -Skip 1)
    dotnet tests/CrossBorderHub.Benchmarks/bin/Release/net10.0/CrossBorderHub.Benchmarks.dll e2e artifacts/hub/hub.dll @benchArgs
    exit $LASTEXITCODE
  }
  'run' {
    Publish-Hub
    dotnet artifacts/hub/hub.dll run @Rest
    exit $LASTEXITCODE
  }
  'test' {
    dotnet build CrossBorderHub.sln -c Release
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    dotnet test CrossBorderHub.sln -c Release --no-build @Rest
    exit $LASTEXITCODE
  }
}

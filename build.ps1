# CrossBorderHub build entry point for Windows (PowerShell 7+).
#   ./build.ps1 run    build and start the hub on its embedded defaults
#   ./build.ps1 test   run every test (the real-server tests need OpenSSH, vsftpd, PostgreSQL, RabbitMQ and xmlsec1
#                      on PATH; without them they are ignored locally and fail with CI=true)
#   ./build.ps1 build  build only
param([ValidateSet('run', 'test', 'build')][string]$Verb = 'run', [Parameter(ValueFromRemainingArguments)][string[]]$Rest)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
switch ($Verb) {
  'build' { dotnet build CrossBorderHub.sln -c Release; exit $LASTEXITCODE }
  'run' {
    dotnet build src/CrossBorderHub.Host -c Release -o artifacts/hub
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
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

#Requires -Version 7
# CrossBorderHub build entry point for Windows (PowerShell 7+; it runs on Linux PowerShell too, see ./build.ps1 help).
# The arguments are read from $args, not a param() block: PowerShell would bind an argument meant for the hub to a
# declared parameter whose name it starts (`--Hub:...` to a -HubFolder) or to a common parameter (-v, -ea).
$ScriptArguments = @($args)
$ErrorActionPreference = 'Stop'
# Paths given on the command line are the caller's, not the repository's: resolved before leaving the caller's folder.
$CallerFolder = (Get-Location -PSProvider FileSystem).ProviderPath
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

$Usage = @'
usage: ./build.ps1 VERB [ARGUMENTS] [-WhatIf]
  run [HUB ARGUMENTS]   publish the hub into artifacts/hub and start it (`hub run`, e.g. --config hub.json)
  test [ARGUMENTS]      build and run every test (the real-server tests need OpenSSH, vsftpd, PostgreSQL, RabbitMQ and
                        xmlsec1 on PATH; without them they are ignored locally and fail with CI=true)
  build                 build only
  publish               publish the hub precompiled (ReadyToRun) into artifacts/hub, as `run` does first
  bench e2e [N] [DISK_OPS] [--store sqlite|postgres] [--blobs file|postgres]  publish the hub and time N interchanges
                        (10000) through `hub run` on SQLite, or on a throw-away PostgreSQL (docs/benchmarks.md)
  bench scaleout [FILES] [RUNS]  files/s of 1, 2 and 3 instances on one PostgreSQL, median of RUNS (3); needs
                        PostgreSQL, sshd and rabbitmq-server as the Host tests do (docs/scale-out.md)
  install [FOLDER] [CONFIG] [-From PUBLISHED]  publish (or take the hub published in PUBLISHED), copy it to FOLDER
                        (%ProgramFiles%\CrossBorderHub) and register + start the Windows service CrossBorderHub running
                        `dotnet FOLDER\hub.dll run --config CONFIG` (FOLDER\hub.json, written when missing); administrator
  uninstall             stop and remove the Windows service (the installed folder and its data stay)
  help                  this text
-WhatIf prints the commands a verb would run and runs none (install/uninstall: the New-Service and sc.exe calls).
install and uninstall need Windows (docs/operations.md, Windows service); Linux uses deploy/systemd.
'@

$ServiceName = 'CrossBorderHub'

# Bad usage: one line naming the problem and the fix, exit 2 (as every hub command does).
function Stop-Usage([string]$Message) {
  [Console]::Error.WriteLine("build.ps1: $Message")
  exit 2
}

# `pwsh -File build.ps1 run --Hub:Key=value` arrives split in two ('--Hub', 'Key=value'): PowerShell's command line
# reads `-name:value` as a parameter and its value. The hub only knows the joined form, so it is joined back.
function Join-HubSwitches([string[]]$Arguments) {
  $joined = [System.Collections.Generic.List[string]]::new()
  for ($i = 0; $i -lt $Arguments.Count; $i++) {
    if ($Arguments[$i] -in '--Hub', '--Logging' -and $i + 1 -lt $Arguments.Count) {
      $joined.Add("$($Arguments[$i]):$($Arguments[++$i])")
    } else {
      $joined.Add($Arguments[$i])
    }
  }
  return , $joined.ToArray()
}

$Verb = if ($ScriptArguments.Count -gt 0) { $ScriptArguments[0] } else { 'run' }
$Rest = Join-HubSwitches @($ScriptArguments | Select-Object -Skip 1)
$WhatIf = $Rest -contains '-WhatIf'
$Rest = @($Rest | Where-Object { $_ -ne '-WhatIf' })

# An argument as pwsh would need it typed: quoted when it holds a space or a quote (so a printed line can be pasted).
function Format-Argument([string]$Value) {
  if ($Value -match '^[\w./:=\\~+%-]+$') { return $Value }
  return "'" + $Value.Replace("'", "''") + "'"
}

# Runs a program, or with -WhatIf prints it (`what if: dotnet publish ...`) and leaves $LASTEXITCODE at 0.
function Invoke-Program([string]$File, [string[]]$Arguments) {
  if ($WhatIf) {
    Write-Host ("what if: $File " + (($Arguments | ForEach-Object { Format-Argument $_ }) -join ' '))
    $global:LASTEXITCODE = 0
    return
  }
  & $File @Arguments
}

function Exit-OnFailure {
  if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

# The hub as it is deployed, as build.sh does: precompiled (ReadyToRun) for this machine's runtime identifier, so
# every `hub` command starts without compiling the code it runs first. When the precompiler package cannot be
# restored, a plain build works the same, only starts slower.
function Publish-Hub {
  $rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
  Invoke-Program dotnet @('publish', 'src/CrossBorderHub.Host', '-c', 'Release', '-r', $rid, '--self-contained', 'false', '-p:PublishReadyToRun=true', '-o', 'artifacts/hub')
  if ($LASTEXITCODE -ne 0) {
    Write-Warning 'build.ps1: ReadyToRun publish failed; building without it'
    Invoke-Program dotnet @('build', 'src/CrossBorderHub.Host', '-c', 'Release', '-o', 'artifacts/hub')
    Exit-OnFailure
  }
  # A plain build does not carry the data folders that `dotnet publish` does (see CrossBorderHub.Host.csproj): the
  # copy must work wherever it is moved, so schemas/ and mappings/ (when there is one) go beside hub.dll either way.
  foreach ($folder in 'schemas', 'mappings') {
    if (-not (Test-Path $folder -PathType Container)) { continue }
    if ($WhatIf) { Write-Host "what if: copy $folder/ to artifacts/hub/$folder/"; continue }
    New-Item -ItemType Directory -Force -Path "artifacts/hub/$folder" | Out-Null
    Copy-Item -Recurse -Force -Path "$folder/*" -Destination "artifacts/hub/$folder"
  }
  # This machine's directory cache names its files' times: a copy would only be rebuilt (as dotnet publish leaves it out).
  if (-not $WhatIf) { Remove-Item -Recurse -Force -ErrorAction SilentlyContinue 'artifacts/hub/schemas/edifact/.cache' }
}

# The verbs that need no more than their own arguments checked.
function Assert-NoArguments {
  if ($Rest.Count -gt 0) { Stop-Usage "'$Verb' takes no arguments (got '$($Rest -join ' ')'): ./build.ps1 help" }
}

switch ($Verb) {
  { $_ -in 'help', '-h', '--help' } {
    Write-Host $Usage
    exit 0
  }
  { $_ -in 'install', 'uninstall' } {
    # The service verbs live beside the script: the logic that runs (and is tested) on Linux up to the Windows calls.
    . (Join-Path $PSScriptRoot 'deploy/windows/WindowsService.ps1')
    if ($Verb -eq 'install') { Install-HubService } else { Uninstall-HubService }
    exit 0
  }
  'build' {
    Assert-NoArguments
    Invoke-Program dotnet @('build', 'CrossBorderHub.sln', '-c', 'Release')
    exit $LASTEXITCODE
  }
  'publish' {
    Assert-NoArguments
    Publish-Hub
    if (-not $WhatIf) { Write-Host 'build.ps1: the hub is in artifacts/hub (run: dotnet artifacts/hub/hub.dll run)' }
    exit 0
  }
  'bench' {
    if ($Rest.Count -ge 1 -and $Rest[0] -eq 'scaleout') {
      # The same run as tests/CrossBorderHub.Benchmarks/run-scaleout.sh: the explicit Host test prints the figures.
      $files = if ($Rest.Count -gt 1) { $Rest[1] } else { '1000' }
      $runs = if ($Rest.Count -gt 2) { $Rest[2] } else { '3' }
      if ($Rest.Count -gt 3 -or "$files$runs" -notmatch '^[0-9]+$') {
        Stop-Usage "bench scaleout: FILES ($files) and RUNS ($runs) must be whole numbers, e.g. ./build.ps1 bench scaleout 1000 3"
      }
      $env:HUB_SCALEOUT_FILES = $files
      $env:HUB_SCALEOUT_RUNS = $runs
      Invoke-Program dotnet @('build', 'tests/CrossBorderHub.Host.Tests', '-c', 'Release', '-v', 'quiet', '-nologo')
      Exit-OnFailure
      if ($WhatIf) {
        Write-Host "what if: dotnet test tests/CrossBorderHub.Host.Tests -c Release --no-build --filter FullyQualifiedName~ScaleOutThroughputTests (HUB_SCALEOUT_FILES=$files HUB_SCALEOUT_RUNS=$runs)"
        exit 0
      }
      dotnet test tests/CrossBorderHub.Host.Tests -c Release --no-build --filter 'FullyQualifiedName~ScaleOutThroughputTests' --logger 'console;verbosity=normal' |
        ForEach-Object { if ($_ -match 'SCALEOUT (.*)$') { $Matches[1] } elseif ($_ -match 'Error Message|Expected|But was|Failed ') { $_ } }
      exit $LASTEXITCODE
    }
    # Checked before publishing, which takes minutes: a typo fails at once. --store/--blobs go to the driver, which
    # checks their values (sqlite|postgres, file|postgres).
    $usage = 'usage: ./build.ps1 bench e2e [N] [DISK_OPS] [--store sqlite|postgres] [--blobs file|postgres] | bench scaleout [FILES] [RUNS] (the other benchmarks run with ./build.sh bench)'
    if ($Rest.Count -lt 1 -or $Rest[0] -ne 'e2e') {
      Stop-Usage $usage
    }
    $benchArgs = @($Rest | Select-Object -Skip 1)
    $positional = @()
    $switches = @()
    for ($i = 0; $i -lt $benchArgs.Count; $i++) {
      if ($benchArgs[$i] -in @('--store', '--blobs')) {
        $switches += @($benchArgs[$i]) + @($benchArgs | Select-Object -Skip ($i + 1) -First 1)
        $i++
        continue
      }
      $positional += $benchArgs[$i]
    }
    if ($positional.Count -gt 2) {
      Stop-Usage $usage
    }
    $count = if ($positional.Count -gt 0) { $positional[0] } else { '10000' }
    $diskOps = if ($positional.Count -gt 1) { $positional[1] } else { '1000' }
    foreach ($number in @(@('N', $count), @('DISK_OPS', $diskOps))) {
      if ($number[1] -notmatch '^[1-9][0-9]{0,8}$') {
        Stop-Usage "bench e2e: $($number[0]) '$($number[1])' is not a positive whole number: e.g. ./build.ps1 bench e2e 10000 1000"
      }
    }
    Publish-Hub
    Invoke-Program dotnet @('build', 'tests/CrossBorderHub.Benchmarks', '-c', 'Release', '-v', 'quiet', '-nologo')
    Exit-OnFailure
    Invoke-Program dotnet (@('tests/CrossBorderHub.Benchmarks/bin/Release/net10.0/CrossBorderHub.Benchmarks.dll', 'e2e', 'artifacts/hub/hub.dll', $count, $diskOps) + $switches)
    exit $LASTEXITCODE
  }
  'run' {
    Publish-Hub
    Invoke-Program dotnet (@('artifacts/hub/hub.dll', 'run') + $Rest)
    exit $LASTEXITCODE
  }
  'test' {
    Invoke-Program dotnet @('build', 'CrossBorderHub.sln', '-c', 'Release')
    Exit-OnFailure
    Invoke-Program dotnet (@('test', 'CrossBorderHub.sln', '-c', 'Release', '--no-build') + $Rest)
    exit $LASTEXITCODE
  }
  default {
    Stop-Usage "unknown verb '$Verb': use run, test, build, publish, bench, install, uninstall or help"
  }
}

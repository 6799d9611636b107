# `./build.ps1 install` and `uninstall`: the Windows service CrossBorderHub (docs/operations.md, Windows service).
# Dot-sourced by build.ps1, whose $Rest (the verb's arguments), $WhatIf, $CallerFolder, $ServiceName, Stop-Usage and
# Publish-Hub it uses. Everything up to the service manager's calls runs on any system, so `-WhatIf` on Linux shows
# (and the tests check) the exact New-Service and sc.exe calls; the calls themselves need Windows.

$DisplayName = 'CrossBorderHub EDI hub'
# Restart after a crash, as the systemd unit's Restart=on-failure does: twice after 5 s, then every 30 s; the count
# resets after a day without a failure.
$FailureActions = @('reset=', '86400', 'actions=', 'restart/5000/restart/5000/restart/30000')

# A Windows path (C:\..., \\server\share) stays as it is even when the script runs elsewhere (-WhatIf on Linux).
function Test-WindowsPath([string]$Path) { return $Path -match '^[A-Za-z]:[\\/]|^\\\\' }

function Resolve-CallerPath([string]$Path) {
  if (Test-WindowsPath $Path) { return $Path }
  return [System.IO.Path]::GetFullPath($Path, $CallerFolder)
}

function Join-ServicePath([string]$Folder, [string]$Leaf) {
  if (Test-WindowsPath $Folder) { return $Folder.TrimEnd('\', '/') + '\' + $Leaf }
  return [System.IO.Path]::Combine($Folder, $Leaf)
}

function Test-AbsolutePath([string]$Path) {
  return (Test-WindowsPath $Path) -or [System.IO.Path]::IsPathFullyQualified($Path)
}

# The service manager and its cmdlets (New-Service, Get-Service, sc.exe) exist on Windows only: elsewhere one line,
# exit 2, before anything is published or copied. -WhatIf still runs everywhere: it calls none of them.
function Assert-Windows([string]$What, [string]$Tools) {
  if (-not $IsWindows -and -not $WhatIf) {
    Stop-Usage "'$Verb' $What a Windows service with $Tools, which need Windows: on Linux install deploy/systemd/crossborderhub.service (docs/operations.md); ./build.ps1 $Verb -WhatIf shows the calls it would make"
  }
}

function Write-Plan([string]$Line) { Write-Host "what if: $Line" }

function Format-Call([string]$Command, [System.Collections.Specialized.OrderedDictionary]$Parameters) {
  $parts = foreach ($entry in $Parameters.GetEnumerator()) { "-$($entry.Key) $(Format-Argument $entry.Value)" }
  return "$Command $($parts -join ' ')"
}

# `install [FOLDER] [CONFIG] [-From PUBLISHED]`, checked in full before anything is changed.
function Read-InstallArguments {
  $positional = [System.Collections.Generic.List[string]]::new()
  $from = $null
  for ($i = 0; $i -lt $Rest.Count; $i++) {
    if ($Rest[$i] -eq '-From') {
      if ($i + 1 -ge $Rest.Count) { Stop-Usage 'install: -From needs the folder of a published hub (the one holding hub.dll)' }
      $from = Resolve-CallerPath $Rest[++$i]
    } elseif ($Rest[$i].StartsWith('-')) {
      Stop-Usage "install: unknown option '$($Rest[$i])': usage: ./build.ps1 install [FOLDER] [CONFIG] [-From PUBLISHED] [-WhatIf]"
    } else {
      $positional.Add($Rest[$i])
    }
  }
  if ($positional.Count -gt 2) {
    Stop-Usage "install: too many arguments ('$($positional -join ' ')'): usage: ./build.ps1 install [FOLDER] [CONFIG] [-From PUBLISHED] [-WhatIf]"
  }
  $programFiles = if ($env:ProgramFiles) { $env:ProgramFiles } else { 'C:\Program Files' }
  $folder = if ($positional.Count -gt 0) { Resolve-CallerPath $positional[0] } else { Join-ServicePath $programFiles 'CrossBorderHub' }
  $config = if ($positional.Count -gt 1) { Resolve-CallerPath $positional[1] } else { $null }
  if ($from -and -not (Test-Path (Join-Path $from 'hub.dll') -PathType Leaf)) {
    Stop-Usage "install: $from holds no hub.dll: pass -From the folder ./build.ps1 publish fills (artifacts/hub), or leave -From out to publish first"
  }
  return [pscustomobject]@{ Folder = $folder; Config = $config; From = $from }
}

# A service starts in C:\Windows\System32: a relative Hub:DataRoot (the default is ./data) would put the store,
# the payloads and the keys there. The configuration must name an absolute one.
function Assert-AbsoluteDataRoot([string]$Config) {
  try {
    $json = Get-Content -Raw -LiteralPath $Config | ConvertFrom-Json
  } catch {
    Stop-Usage "install: $Config is not valid JSON ($($_.Exception.Message.Split([Environment]::NewLine)[0])): fix the file or leave CONFIG out to have one written"
  }
  $dataRoot = $json.Hub.DataRoot
  if (-not $dataRoot -or -not (Test-AbsolutePath $dataRoot)) {
    $shown = if ($dataRoot) { "'$dataRoot'" } else { 'not set (./data)' }
    Stop-Usage "install: Hub:DataRoot in $Config is $shown, relative to the service's working folder C:\Windows\System32: set it to an absolute folder, e.g. C:\ProgramData\CrossBorderHub"
  }
}

# The configuration the service runs with: CONFIG as given (it must exist), FOLDER\hub.json when a previous install
# left one, else a copy of the sample configuration (samples/config/hub.json) with Hub:DataRoot set to FOLDER\data.
function Resolve-ServiceConfig($Install) {
  if ($Install.Config) {
    if (-not (Test-Path -LiteralPath $Install.Config -PathType Leaf)) {
      Stop-Usage "install: the configuration $($Install.Config) does not exist: create it (samples/config/hub.json is a start) or leave CONFIG out"
    }
    Assert-AbsoluteDataRoot $Install.Config
    return [pscustomobject]@{ Path = $Install.Config; Write = $null }
  }
  $path = Join-ServicePath $Install.Folder 'hub.json'
  if (Test-Path -LiteralPath $path -PathType Leaf) {
    Assert-AbsoluteDataRoot $path
    return [pscustomobject]@{ Path = $path; Write = $null }
  }
  $sample = Get-Content -Raw 'samples/config/hub.json' | ConvertFrom-Json
  $sample.Hub | Add-Member -Force -NotePropertyName DataRoot -NotePropertyValue (Join-ServicePath $Install.Folder 'data')
  return [pscustomobject]@{ Path = $path; Write = $sample }
}

function Install-HubService {
  $install = Read-InstallArguments
  Assert-Windows 'registers' 'New-Service and sc.exe'
  $config = Resolve-ServiceConfig $install
  # By full path: the service runs as LocalSystem, whose PATH need not hold this user's dotnet.
  $dotnet = (Get-Command dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
  if (-not $dotnet) { Stop-Usage 'install: dotnet is not on PATH: install the .NET 10 runtime (https://dot.net) and open a new shell' }
  $hubDll = Join-ServicePath $install.Folder 'hub.dll'
  # The hub runs as a service through UseWindowsService (RunVerb): it reports start and stop to the manager itself.
  $newService = [ordered]@{
    Name           = $ServiceName
    DisplayName    = $DisplayName
    StartupType    = 'Automatic'
    BinaryPathName = "`"$dotnet`" `"$hubDll`" run --config `"$($config.Path)`""
  }
  $failure = @('failure', $ServiceName) + $FailureActions
  if ($WhatIf) {
    if ($install.From) { Write-Plan "copy $($install.From) to $($install.Folder)" } else { Write-Plan "publish the hub into artifacts/hub (./build.ps1 publish), copy it to $($install.Folder)" }
    if ($config.Write) { Write-Plan "write $($config.Path) from samples/config/hub.json with Hub:DataRoot $($config.Write.Hub.DataRoot)" }
    Write-Plan (Format-Call 'New-Service' $newService)
    Write-Plan "sc.exe $($failure -join ' ')"
    Write-Plan "Start-Service -Name $ServiceName"
    return
  }
  if (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue) {
    Stop-Usage "the service $ServiceName exists already: run ./build.ps1 uninstall first"
  }
  $source = $install.From
  if (-not $source) {
    Publish-Hub
    $source = 'artifacts/hub'
  }
  New-Item -ItemType Directory -Force -Path $install.Folder | Out-Null
  Copy-Item -Recurse -Force -Path (Join-Path $source '*') -Destination $install.Folder
  if ($config.Write) { $config.Write | ConvertTo-Json -Depth 32 | Set-Content -LiteralPath $config.Path -Encoding utf8 }
  New-Service @newService | Out-Null
  & sc.exe @failure | Out-Null
  if ($LASTEXITCODE -ne 0) { Write-Warning "build.ps1: sc.exe failure exited $($LASTEXITCODE): the service will not restart after a crash" }
  try {
    Start-Service -Name $ServiceName
  } catch {
    [Console]::Error.WriteLine("build.ps1: the service $ServiceName is registered but did not start ($($_.Exception.Message)): see the Application event log, source $ServiceName")
    exit 1
  }
  Write-Host "build.ps1: service $ServiceName installed in $($install.Folder) (config $($config.Path)) and started"
}

function Uninstall-HubService {
  if ($Rest.Count -gt 0) { Stop-Usage "uninstall takes no arguments (got '$($Rest -join ' ')'): usage: ./build.ps1 uninstall [-WhatIf]" }
  Assert-Windows 'removes' 'Stop-Service and sc.exe'
  $delete = @('delete', $ServiceName)
  if ($WhatIf) {
    Write-Plan "Stop-Service -Name $ServiceName"
    Write-Plan "sc.exe $($delete -join ' ')"
    return
  }
  if (-not (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue)) {
    Write-Host "build.ps1: there is no service $ServiceName to remove"
    return
  }
  Stop-Service -Name $ServiceName -ErrorAction SilentlyContinue
  & sc.exe @delete | Out-Null
  if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
  Write-Host "build.ps1: service $ServiceName removed (its folder and data are left in place)"
}

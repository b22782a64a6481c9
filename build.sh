#!/usr/bin/env sh
# Runs build.ps1 through the PowerShell that .config/dotnet-tools.json pins, for machines without pwsh.
set -e
cd "$(dirname "$0")"
dotnet tool restore >/dev/null
exec dotnet pwsh -NoProfile -File ./build.ps1 "$@"

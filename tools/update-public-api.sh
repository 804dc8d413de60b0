#!/usr/bin/env bash
# Regenerates src/AutoGlacier/PublicAPI.Shipped.txt from the code (Microsoft.CodeAnalysis.PublicApiAnalyzers):
# empties both API files, lets the analyzer's code fix (RS0016) list every public symbol into Unshipped.txt, then
# moves them, sorted, into Shipped.txt. Review the resulting `git diff` of Shipped.txt: it is the public API change.
# Takes a few minutes (dotnet format compiles the project). Usage: tools/update-public-api.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=src/AutoGlacier
header='#nullable enable'
printf '%s\n' "$header" > "$dir/PublicAPI.Shipped.txt"
printf '%s\n' "$header" > "$dir/PublicAPI.Unshipped.txt"
dotnet format analyzers "$dir/AutoGlacier.csproj" --diagnostics RS0016 RS0017 --severity warn
{
  printf '%s\n' "$header"
  grep -v -x -F "$header" "$dir/PublicAPI.Unshipped.txt" | grep -v '^$' | LC_ALL=C sort -u
} > "$dir/PublicAPI.Shipped.txt.new"
mv "$dir/PublicAPI.Shipped.txt.new" "$dir/PublicAPI.Shipped.txt"
printf '%s\n' "$header" > "$dir/PublicAPI.Unshipped.txt"
echo "$(($(wc -l < "$dir/PublicAPI.Shipped.txt") - 1)) public symbols in $dir/PublicAPI.Shipped.txt"

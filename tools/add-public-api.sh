#!/usr/bin/env bash
# Adds the symbols the analyzer reports as undeclared (RS0016) to src/AutoGlacier/PublicAPI.Shipped.txt, sorted,
# without the full regeneration of update-public-api.sh (which also drops removed symbols). Review the git diff.
# Usage: tools/add-public-api.sh
set -euo pipefail
cd "$(dirname "$0")/.."
file=src/AutoGlacier/PublicAPI.Shipped.txt
new=$(dotnet build src/AutoGlacier/AutoGlacier.csproj 2>&1 | grep -o "error RS0016: Symbol '[^']*'" | sed "s/error RS0016: Symbol '//; s/'\$//" | sort -u || true)
[ -z "$new" ] && { echo "no undeclared public symbols"; exit 0; }
{ head -1 "$file"; { tail -n +2 "$file"; printf '%s\n' "$new"; } | grep -v '^$' | LC_ALL=C sort -u; } > "$file.new"
mv "$file.new" "$file"
echo "$(printf '%s\n' "$new" | wc -l) symbols added to $file"

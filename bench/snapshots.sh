#!/usr/bin/env bash
# Snapshot benchmark (issue 8): a full backup, an unchanged re-run, and a run after changing 1% of the files, for
# AutoGlacier (local vault) and restic (a local repository) on the same tree states, in one run.
#
# Usage: bench/snapshots.sh [--corpus DIR | --size-mb N] [--files N] [--codec zstd|lzma] [--out DIR] [--no-restic] [--skip-build]
#   --corpus DIR   copy DIR (any directory) and use the copy (it is modified by the 1% step)
#   --size-mb N    generate the mixed corpus of bench/gen_corpus.py with N MiB (default 512)
#   --files N      instead: a tree of N small files (e.g. 1000000; 1–200 bytes each, 1,000 per directory) made on the
#                  tmpfs /dev/shm; for the memory of an unchanged re-run over a million files
#   --codec C      our COMPRESSION (default zstd)
#   --out DIR      work directory (default bench/out-snapshots)
# For each step: wall seconds, CPU seconds (user + sys), peak RSS, bytes read from files (ours: the run's
# plaintext_size; restic: "processed" is not what it read, so its column is "-"), and bytes added to the
# vault/repository. Targets (PASS/MISS): our unchanged re-run wall time <= restic's; our 1% run adds <= 2% of our
# full's bytes; every peak RSS < 200 MiB (with --files: our unchanged re-run < 300 MiB).
# Needs: dotnet (.NET 10 SDK), python3, GNU time at /usr/bin/time, restic (optional).
set -euo pipefail

die() { echo "snapshots.sh: error: $*" >&2; exit 1; }
say() { echo "snapshots.sh: $*" >&2; }

BENCH="$(cd "$(dirname "$0")" && pwd)"; ROOT="$(dirname "$BENCH")"
CORPUS="" SIZE_MB=512 FILES="" CODEC=zstd OUT="$BENCH/out-snapshots" RESTIC=1 SKIP_BUILD=0
while (($#)); do
  case "$1" in
    --corpus) CORPUS="$2"; shift 2 ;;
    --size-mb) SIZE_MB="$2"; shift 2 ;;
    --files) FILES="$2"; shift 2 ;;
    --codec) CODEC="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --no-restic) RESTIC=0; shift ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
command -v restic >/dev/null || RESTIC=0
[[ -x /usr/bin/time ]] || die "GNU time is needed at /usr/bin/time (apt-get install time)"

mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"; W="$OUT/work"; LOGS="$OUT/logs"
rm -rf "$W"; mkdir -p "$W/tmp" "$LOGS"
ROWS="$W/rows.tsv"; : >"$ROWS"
CLI="$ROOT/src/AutoGlacier.Cli/bin/Release/net10.0/AutoGlacier.Cli.dll"
((SKIP_BUILD)) || dotnet build -c Release "$ROOT/src/AutoGlacier.Cli" >"$LOGS/build.log" 2>&1 || die "build failed, see $LOGS/build.log"
TREE="$W/tree"; [[ -n "$FILES" ]] && TREE="/dev/shm/autoglacier-snapbench-tree"
cleanup() { rm -rf "$W/vault" "$W/restic-repo" "$W/restic-cache" "/dev/shm/autoglacier-snapbench-tree"; }
trap cleanup EXIT

# The tree the three runs see (a copy or a generated one: the 1% step changes it).
rm -rf "$TREE"
if [[ -n "$FILES" ]]; then
  say "making $FILES small files in $TREE"
  python3 - "$TREE" "$FILES" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2]); rnd = random.Random(8)
for i in range(n):
    d = os.path.join(root, f"d{i // 1000:04d}")
    if i % 1000 == 0: os.makedirs(d)
    with open(os.path.join(d, f"f{i:07d}.txt"), "wb") as f: f.write(rnd.randbytes(rnd.randint(1, 200)))
PY
elif [[ -n "$CORPUS" ]]; then
  cp -a "$CORPUS" "$TREE"
else
  python3 "$BENCH/gen_corpus.py" mixed "$TREE" --size-mb "$SIZE_MB" >"$LOGS/gen.log" 2>&1 || die "corpus generation failed, see $LOGS/gen.log"
fi
BYTES=$(find "$TREE" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.0f\n", s}')
NFILES=$(find "$TREE" -type f | wc -l)
say "tree: $NFILES files, $BYTES bytes"

KEYS="$W/keys"; mkdir -p "$KEYS"
AUTOGLACIER_PASSPHRASE=bench dotnet "$CLI" keygen --private-key "$KEYS/private.pem" --public-key "$KEYS/public.pem" >"$LOGS/keygen.log" 2>&1
CFG="$W/config.json"
cat >"$CFG" <<JSON
{"COMPRESSION": "$CODEC", "TMP_DIR": "$W/tmp", "JSON_DATABASE": "$W/log.json", "PUBL_RSA_KEY_PATH": "$KEYS/public.pem",
 "BACKEND": "local", "LOCAL_VAULT_DIR": "$W/vault"}
JSON

# measure NAME CMD... : GNU time; sets SECS, CPU, RSS_KB
measure() {
  local name="$1"; shift
  say "running $name"
  /usr/bin/time -f '%e %U %S %M' -o "$W/$name.time" "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.log" || { tail -n 20 "$LOGS/$name.log" >&2; die "$name failed"; }
  local user sys; read -r SECS user sys RSS_KB < <(tail -n 1 "$W/$name.time")
  CPU="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
}
size_of() { du -sb "$1" 2>/dev/null | cut -f1 || echo 0; }
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$SECS" "$CPU" "$RSS_KB" "$2" "$3" >>"$ROWS"; }

ours() {  # ours STEP : one backup; row with bytes read and bytes added to the vault
  local before; before=$(size_of "$W/vault")
  measure "ours-${1// /}" dotnet "$CLI" backup --config "$CFG" --file "$TREE" --recursive --job bench --json --quiet
  local read; read=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bytes_read"])' "$LOGS/ours-${1// /}.out")
  row "ours ($CODEC): $1" "$read" "$(( $(size_of "$W/vault") - before ))"
}
theirs() {  # theirs STEP : one restic backup; row with bytes added to the repository
  local before; before=$(size_of "$W/restic-repo")
  measure "restic-${1// /}" restic --repo "$W/restic-repo" backup --host bench "$TREE"
  row "restic: $1" "-" "$(( $(size_of "$W/restic-repo") - before ))"
}
change_one_percent() {  # every 100th file (sorted) gets 1 KiB appended
  say "changing 1% of the files"
  find "$TREE" -type f | LC_ALL=C sort | awk 'NR % 100 == 0' | while IFS= read -r f; do head -c 1024 /dev/urandom >>"$f"; done
}

export RESTIC_PASSWORD=bench RESTIC_CACHE_DIR="$W/restic-cache"
((RESTIC)) && restic init --repo "$W/restic-repo" >"$LOGS/restic-init.log" 2>&1
ours full; ((RESTIC)) && theirs full
ours unchanged; ((RESTIC)) && theirs unchanged
change_one_percent
ours "1% changed"; ((RESTIC)) && theirs "1% changed"

python3 - "$ROWS" "$BYTES" "$NFILES" "$([[ -n "$FILES" ]] && echo 300 || echo 200)" "$OUT/results.md" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
total, nfiles, rss_limit, out = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
lines = [f"Tree: {nfiles:,} files, {total/2**20:,.1f} MiB", "",
         "| step | wall s | CPU s | peak RSS MiB | bytes read | bytes added |", "|---|---:|---:|---:|---:|---:|"]
by = {}
for name, secs, cpu, rss, read, added in rows:
    by[name] = (float(secs), float(cpu), int(rss) / 1024, read, int(added))
    lines.append(f"| {name} | {secs} | {cpu} | {int(rss)/1024:.0f} | {read if read == '-' else f'{int(read):,}'} | {int(added):,} |")
ours = {k.split(": ", 1)[1]: v for k, v in by.items() if k.startswith("ours")}
theirs = {k.split(": ", 1)[1]: v for k, v in by.items() if k.startswith("restic")}
lines.append("")
def verdict(text, ok): lines.append(f"- {'PASS' if ok else 'MISS'}: {text}")
if "unchanged" in theirs:
    verdict(f"unchanged re-run wall time, ours {ours['unchanged'][0]:.1f} s <= restic {theirs['unchanged'][0]:.1f} s "
            f"(ratio {ours['unchanged'][0] / max(theirs['unchanged'][0], 0.01):.2f})", ours["unchanged"][0] <= theirs["unchanged"][0])
share = ours["1% changed"][4] / max(ours["full"][4], 1)
verdict(f"1% run adds {share:.2%} of the full's bytes (<= 2%)", share <= 0.02)
worst = max(v[2] for v in ours.values())
verdict(f"our peak RSS {worst:.0f} MiB < {rss_limit} MiB", worst < rss_limit)
text = "\n".join(lines)
print(text); open(out, "w").write(text + "\n")
PY

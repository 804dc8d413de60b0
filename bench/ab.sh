#!/usr/bin/env bash
# A/B of our CLI: a base commit against the working tree, on one directory, interleaved (base, new, base, new, ...),
# reporting each side's minimum wall and CPU seconds. On a shared or virtual machine whose speed drifts over minutes,
# only such interleaved pairs compare; single runs minutes apart do not (docs/BENCHMARK.md, "fourth pass").
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/ab.sh --corpus DIR [--base REV] [--step backup|restore] [--codec zstd|lzma] [--runs N] [--rounds R]
                   [--out DIR]

  --corpus DIR   the directory to back up (restores go to a fresh directory under /dev/shm)
  --base REV     the commit to compare against (default HEAD); built in Release in a temporary worktree
  --step S       backup (default) or restore (of a backup made once per side before timing)
  --codec C      COMPRESSION of both sides (default zstd)
  --runs N       runs per side per round; the minimum is kept (default 3)
  --rounds R     rounds of base-then-new (default 2)
  --out DIR      work directory (default /tmp/agab); removed and recreated
The working tree is built in Release first (src/AutoGlacier.Cli), the base in OUT/base.
Prints one line per side per round: min wall s, min CPU s (user + sys), peak RSS MiB of the last run.
EOF
}

REPO="$(cd "$(dirname "$0")/.." && pwd)"
CORPUS="" BASE="HEAD" STEP="backup" CODEC="zstd" RUNS=3 ROUNDS=2 OUT="/tmp/agab"
while (($#)); do
  case "$1" in
    --corpus) CORPUS="$2"; shift 2 ;;
    --base) BASE="$2"; shift 2 ;;
    --step) STEP="$2"; shift 2 ;;
    --codec) CODEC="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "ab.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ -d "$CORPUS" ]] || { echo "ab.sh: --corpus DIR is required and must exist" >&2; exit 2; }
[[ "$STEP" == backup || "$STEP" == restore ]] || { echo "ab.sh: --step is backup or restore" >&2; exit 2; }

rm -rf "$OUT"; mkdir -p "$OUT/tmp"
cleanup() { git -C "$REPO" worktree remove --force "$OUT/base" >/dev/null 2>&1 || true; rm -rf "/dev/shm/agab-restore"; }
trap cleanup EXIT

echo "ab.sh: building the working tree and $BASE (Release)" >&2
dotnet build -c Release "$REPO/src/AutoGlacier.Cli" >"$OUT/build-new.log" 2>&1
git -C "$REPO" worktree prune # a base left registered by an earlier run whose OUT was removed
git -C "$REPO" worktree add -q --detach "$OUT/base" "$BASE"
dotnet build -c Release "$OUT/base/src/AutoGlacier.Cli" >"$OUT/build-base.log" 2>&1
declare -A CLI=([new]="$REPO/src/AutoGlacier.Cli/bin/Release/net10.0/AutoGlacier.Cli.dll"
                [base]="$OUT/base/src/AutoGlacier.Cli/bin/Release/net10.0/AutoGlacier.Cli.dll")

export AUTOGLACIER_PASSPHRASE=ab-bench
dotnet "${CLI[new]}" keygen -q --private-key "$OUT/keys/private.pem" --public-key "$OUT/keys/public.pem" --bits 2048 >/dev/null
for side in base new; do
  cat >"$OUT/config-$side.json" <<JSON
{"COMPRESSION": "$CODEC", "COMPRESSION_THREADS": 2, "TMP_DIR": "$OUT/tmp", "JSON_DATABASE": "$OUT/log-$side.json",
 "PUBL_RSA_KEY_PATH": "$OUT/keys/public.pem", "BACKEND": "local", "LOCAL_VAULT_DIR": "$OUT/vault-$side"}
JSON
done

# step_command SIDE: the step's command line (for a restore, of the side's only run; RUN_KEY_<side> is set first)
step_command() {
  if [[ "$STEP" == backup ]]; then
    echo dotnet "${CLI[$1]}" backup -q --config "$OUT/config-$1.json" --file "$CORPUS" --recursive
  else
    local key="RUN_KEY_$1"
    echo dotnet "${CLI[$1]}" restore -q --config "$OUT/config-$1.json" --private-key "$OUT/keys/private.pem" --run "${!key}" --to /dev/shm/agab-restore
  fi
}
# fresh SIDE: what a step starts from (untimed): an empty vault and log, or no restore directory
fresh() { if [[ "$STEP" == backup ]]; then rm -rf "$OUT/vault-$1" "$OUT/log-$1.json"*; else rm -rf /dev/shm/agab-restore; fi; }
# timed SIDE: RUNS timed steps; prints "min wall, min cpu, rss"
timed() {
  local i
  : >"$OUT/times"
  for ((i = 0; i < RUNS; i++)); do
    fresh "$1"
    # shellcheck disable=SC2046 # the command line is split on purpose (no path here holds a space; checked below)
    if ! /usr/bin/time -f '%e %U %S %M' -o "$OUT/time" $(step_command "$1") >/dev/null 2>"$OUT/step.log"; then
      cat "$OUT/step.log" >&2; echo "ab.sh: the $1 $STEP failed" >&2; return 1
    fi
    tail -n 1 "$OUT/time" >>"$OUT/times"
  done
  awk '{ c = $2 + $3; if (w == "" || $1 < w) w = $1; if (m == "" || c < m) m = c; r = $4 }
       END { printf "min wall %.2f s, min cpu %.2f s, rss %d MiB\n", w, m, r / 1024 }' "$OUT/times"
}

[[ "$REPO$OUT$CORPUS" != *" "* ]] || { echo "ab.sh: paths with spaces are not supported" >&2; exit 2; }
if [[ "$STEP" == restore ]]; then
  for side in base new; do
    rm -rf "$OUT/vault-$side" "$OUT/log-$side.json"*
    dotnet "${CLI[$side]}" backup -q --config "$OUT/config-$side.json" --file "$CORPUS" --recursive >/dev/null
    declare "RUN_KEY_$side=$(dotnet "${CLI[$side]}" list --config "$OUT/config-$side.json" --json |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["runs"][0]["run_key"])')"
  done
fi
# One untimed run of each side first: the first run after a build reads the freshly written assemblies from disk.
for side in base new; do fresh "$side"; $(step_command "$side") >/dev/null 2>&1 || true; done
for ((round = 1; round <= ROUNDS; round++)); do
  for side in base new; do
    result="$(timed "$side")" || exit 1
    printf 'round %d %-4s (%s): %s\n' "$round" "$side" "$([[ $side == base ]] && echo "$BASE" || echo working tree)" "$result"
  done
done

#!/usr/bin/env bash
# AutoGlacier benchmark: our backup/restore against `tar | xz -T2 -6 | openssl enc` on one deterministic corpus.
#
# Usage: bench/run.sh [--size-mb N] [--big-file-gb G] [--big-only] [--big-codecs "zstd lzma"]
#                     [--threads T] [--out DIR] [--skip-build]
#
#   --size-mb N       size of the mixed corpus in MiB (default 512; use e.g. 40 for a quick check)
#   --big-file-gb G   also run the big-file phase: a corpus of ONE G GiB file (G may be fractional),
#                     measuring peak RSS of our backup and restore (time is reported but not judged)
#   --big-only        skip the mixed-corpus phase (with --big-file-gb)
#   --big-codecs L    codecs for the big-file phase, in order (default "zstd lzma"; "zstd" alone is quicker)
#   --threads T       compression threads for us (COMPRESSION_THREADS) and for the baseline's xz -T (default 2)
#   --out DIR         work directory (default bench/out); corpora are kept there and reused when their
#                     parameters and the generator are unchanged; vaults/restores are removed after each step
#   --skip-build      do not run `dotnet build -c Release src/AutoGlacier.Cli` first (never timed anyway)
#
# Needs: dotnet (.NET 10 SDK), python3 (3.9+), GNU tar, xz, openssl, coreutils, GNU time at /usr/bin/time.
# Prints a table (seconds, MiB/s of corpus bytes, output bytes, peak RSS MiB), the ratios against the targets
# with PASS/MISS, and writes the same to OUT/results.md. Raw logs of every step are in OUT/logs/.
# Examples:  bench/run.sh                                  # default 512 MiB corpus
#            bench/run.sh --size-mb 40 --big-file-gb 0.5   # quick smoke run
#            bench/run.sh --big-file-gb 4 --big-only       # RSS with one 4 GiB file
set -euo pipefail

die() { echo "run.sh: error: $*" >&2; exit 1; }
say() { echo "run.sh: $*" >&2; }

SIZE_MB=512 BIG_GB="" BIG_ONLY=0 BIG_CODECS="zstd lzma" THREADS=2 OUT="" SKIP_BUILD=0
while (($#)); do
  case "$1" in
    --size-mb) SIZE_MB="${2:?--size-mb needs a value}"; shift 2 ;;
    --big-file-gb) BIG_GB="${2:?--big-file-gb needs a value}"; shift 2 ;;
    --big-only) BIG_ONLY=1; shift ;;
    --big-codecs) BIG_CODECS="${2:?--big-codecs needs a value}"; shift 2 ;;
    --threads) THREADS="${2:?--threads needs a value}"; shift 2 ;;
    --out) OUT="${2:?--out needs a value}"; shift 2 ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ "$SIZE_MB" =~ ^[0-9]+$ && "$SIZE_MB" -ge 1 ]] || die "--size-mb must be a positive integer, got '$SIZE_MB'"
[[ -z "$BIG_GB" || "$BIG_GB" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--big-file-gb must be a number, got '$BIG_GB'"
[[ "$THREADS" =~ ^[0-9]+$ && "$THREADS" -ge 1 ]] || die "--threads must be a positive integer, got '$THREADS'"
((BIG_ONLY == 0)) || [[ -n "$BIG_GB" ]] || die "--big-only needs --big-file-gb"
for c in $BIG_CODECS; do [[ "$c" == lzma || "$c" == zstd ]] || die "--big-codecs: '$c' is not lzma or zstd"; done

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$REPO/bench"
OUT="${OUT:-$BENCH/out}"
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
[[ "$OUT" != *\'* ]] || die "--out must not contain a single quote: $OUT"
W="$OUT/work" LOGS="$OUT/logs"
export TMPDIR="$OUT/tmp"
rm -rf "$W" "$LOGS" "$TMPDIR"; mkdir -p "$W" "$LOGS" "$TMPDIR"

[[ -x /usr/bin/time ]] || die "GNU time is needed at /usr/bin/time (apt-get install time)"
/usr/bin/time -f '%e %M' true 2>/dev/null || die "/usr/bin/time does not accept -f: GNU time is needed"
for t in dotnet python3 tar xz openssl sha256sum find awk; do command -v "$t" >/dev/null || die "'$t' is not on PATH"; done

CLI="$REPO/src/AutoGlacier.Cli/bin/Release/net10.0/AutoGlacier.Cli.dll"
if ((SKIP_BUILD == 0)); then
  say "building the CLI (Release, not timed)"
  dotnet build -c Release "$REPO/src/AutoGlacier.Cli" >"$LOGS/build.log" 2>&1 || die "build failed, see $LOGS/build.log"
fi
[[ -f "$CLI" ]] || die "$CLI not found (build it: dotnet build -c Release src/AutoGlacier.Cli)"

export AUTOGLACIER_PASSPHRASE="bench-passphrase"
KEYS="$OUT/keys"
if [[ ! -f "$KEYS/private.pem" || ! -f "$KEYS/public.pem" ]]; then
  rm -rf "$KEYS"; mkdir -p "$KEYS"
  dotnet "$CLI" keygen --private-key "$KEYS/private.pem" --public-key "$KEYS/public.pem" --bits 3072 >"$LOGS/keygen.log" 2>&1 \
    || die "keygen failed, see $LOGS/keygen.log"
fi

ROWS="$W/rows.tsv"; : >"$ROWS"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
cleanup() { rm -rf "$W"/restore-* "$W"/vault-* "$TMPDIR"; }
trap cleanup EXIT

# corpus MODE NAME ARGS... : generate OUT/NAME unless its stamp matches; prints the directory
corpus() {
  local mode="$1" name="$2"; shift 2
  local dir="$OUT/$name" stamp="$OUT/$name.stamp"
  local want; want="mode=$mode args=$* gen=$(sha256sum "$BENCH/gen_corpus.py" | cut -c1-16)"
  if [[ -d "$dir" && -f "$stamp" && "$(head -1 "$stamp")" == "$want" ]]; then
    say "reusing corpus $dir"
  else
    say "generating corpus $dir ($mode $*)"
    rm -rf "$dir" "$stamp"
    python3 "$BENCH/gen_corpus.py" "$mode" "$dir" "$@" >"$LOGS/gen-$name.log" 2>&1 || die "corpus generation failed, see $LOGS/gen-$name.log"
    { echo "$want"; find "$dir" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.0f\n", s}'; } >"$stamp"
  fi
  echo "$dir"
}

# measure NAME CMD... : run under GNU time, log to LOGS/NAME.log; sets SECS and RSS_KB
measure() {
  local name="$1"; shift
  say "running $name"
  if ! /usr/bin/time -f '%e %M' -o "$W/$name.time" "$@" >"$LOGS/$name.log" 2>&1; then
    tail -n 20 "$LOGS/$name.log" >&2
    die "$name failed (exit status in $W/$name.time; log $LOGS/$name.log)"
  fi
  read -r SECS RSS_KB < <(tail -n 1 "$W/$name.time")
}
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$ROWS"; }  # phase name secs input_bytes output_bytes rss_kb

# our_backup PHASE CODEC CORPUS_DIR INPUT_BYTES : backup into a fresh vault; sets RUN_KEY, ARCHIVE
our_backup() {
  local phase="$1" codec="$2" dir="$3" bytes="$4" cfg="$W/config-$2.json"
  rm -rf "$W/vault-$codec" "$W/log-$codec.json"
  cat >"$cfg" <<JSON
{"COMPRESSION": "$codec", "COMPRESSION_THREADS": $THREADS, "TMP_DIR": "$TMPDIR", "JSON_DATABASE": "$W/log-$codec.json",
 "PUBL_RSA_KEY_PATH": "$KEYS/public.pem", "BACKEND": "local", "LOCAL_VAULT_DIR": "$W/vault-$codec"}
JSON
  measure "$phase-backup-$codec" dotnet "$CLI" backup --config "$cfg" --file "$dir" --recursive --description "bench $phase $codec"
  read -r RUN_KEY ARCHIVE < <(dotnet "$CLI" list --config "$cfg" --json | python3 -c '
import json, sys
runs = json.load(sys.stdin)
(key, run), = runs.items()
print(key, run["archive_location"])')
  [[ -f "$ARCHIVE" ]] || die "archive $ARCHIVE of run $RUN_KEY not found"
  row "$phase" "our backup ($codec)" "$SECS" "$bytes" "$(stat -c %s "$ARCHIVE")" "$RSS_KB"
}

# check_same ORIG RESTORED_ROOT : sha256 of a corpus file equals the restored one
check_same() {
  local a b; a="$(sha256sum <"$1" | cut -d' ' -f1)"; b="$(sha256sum <"$2/$3" | cut -d' ' -f1)"
  [[ "$a" == "$b" ]] || die "restored $2/$3 differs from $1"
}

# our_restore PHASE CODEC CORPUS_DIR INPUT_BYTES FILE... : restore the codec's run to a fresh dir, check FILEs
our_restore() {
  local phase="$1" codec="$2" dir="$3" bytes="$4"; shift 4
  local to="$W/restore-ours"
  rm -rf "$to"
  measure "$phase-restore-$codec" dotnet "$CLI" restore --config "$W/config-$codec.json" --private-key "$KEYS/private.pem" \
    --run "$RUN_KEY" --to "$to"
  local f; for f in "$@"; do check_same "$f" "$to" "$f"; done   # restored at DIR/<absolute path>
  row "$phase" "our restore ($codec)" "$SECS" "$bytes" "$bytes" "$RSS_KB"
  rm -rf "$to" "$W/vault-$codec"
}

MIB=1048576
if ((BIG_ONLY == 0)); then
  C="$(corpus mixed "corpus-${SIZE_MB}mb" --size-mb "$SIZE_MB")"
  BYTES="$(sed -n 2p "$OUT/corpus-${SIZE_MB}mb.stamp")"
  PARENT="$(dirname "$C")" NAME="$(basename "$C")"
  SAMPLE1="$C/big/disk.img" SAMPLE2="$(find "$C/small" -type f | sort | sed -n 1p)"
  say "corpus: $BYTES bytes, $(find "$C" -type f | wc -l) files; warming the page cache"
  tar -cf - -C "$PARENT" "$NAME" | cat >/dev/null

  # Baseline: whole pipelines under one `bash -c`
  measure mixed-baseline-backup bash -c "set -o pipefail; tar -cf - -C '$PARENT' '$NAME' | xz -T$THREADS -6 | openssl enc -aes-256-ctr -pbkdf2 -pass pass:x >'$W/baseline.tar.xz.enc'"
  row mixed "baseline: tar | xz -T$THREADS -6 | openssl enc" "$SECS" "$BYTES" "$(stat -c %s "$W/baseline.tar.xz.enc")" "$RSS_KB"
  rm -rf "$W/restore-base"; mkdir -p "$W/restore-base"
  measure mixed-baseline-restore bash -c "set -o pipefail; openssl enc -d -aes-256-ctr -pbkdf2 -pass pass:x <'$W/baseline.tar.xz.enc' | xz -d -T$THREADS | tar -xf - -C '$W/restore-base'"
  check_same "$SAMPLE1" "$W/restore-base" "${SAMPLE1#"$PARENT"/}"; check_same "$SAMPLE2" "$W/restore-base" "${SAMPLE2#"$PARENT"/}"
  row mixed "baseline: openssl enc -d | xz -d -T$THREADS | tar -x" "$SECS" "$BYTES" "$BYTES" "$RSS_KB"
  rm -rf "$W/restore-base" "$W/baseline.tar.xz.enc"
  measure mixed-xz6 bash -c "set -o pipefail; tar -cf - -C '$PARENT' '$NAME' | xz -6 -T1 >'$W/ref.tar.xz'"
  row mixed "size reference: tar | xz -6 (-T1)" "$SECS" "$BYTES" "$(stat -c %s "$W/ref.tar.xz")" "$RSS_KB"
  rm -f "$W/ref.tar.xz"

  our_backup mixed zstd "$C" "$BYTES"; rm -rf "$W/vault-zstd"
  our_backup mixed lzma "$C" "$BYTES"
  our_restore mixed lzma "$C" "$BYTES" "$SAMPLE1" "$SAMPLE2"
fi

if [[ -n "$BIG_GB" ]]; then
  C="$(corpus big "corpus-big-${BIG_GB}gb" --size-gb "$BIG_GB")"
  BYTES="$(sed -n 2p "$OUT/corpus-big-${BIG_GB}gb.stamp")"
  for codec in $BIG_CODECS; do
    our_backup big "$codec" "$C" "$BYTES"
    our_restore big "$codec" "$C" "$BYTES" "$C/big.img"
  done
fi

LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$ROWS" "$OUT/results.md" <<PY
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
M = 1 << 20
out = ["# AutoGlacier benchmark results", "",
       "- commit: $(git -C "$REPO" describe --always --dirty 2>/dev/null || echo unknown), $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, threads=$THREADS",
       "- load average (1/5/15 min) at start: $LOAD_START; at end: $LOAD_END",
       "- tools: $(xz --version | sed -n 1p), $(openssl version | cut -d' ' -f1-2), dotnet $(dotnet --version 2>/dev/null)",
       "- MiB/s = corpus bytes / wall seconds (input throughput, also for restores). Wall time includes process start-up.",
       "- Peak RSS is GNU time's %M: for a pipeline under \`bash -c\` it is the largest SINGLE process of the tree",
       "  (getrusage max of the waited-for children), not the sum of the pipeline's processes. Our CLI is one process.", ""]
phases = {}
for phase, name, secs, inp, outb, rss in rows:
    phases.setdefault(phase, []).append((name, float(secs), int(inp), int(outb), int(rss)))
title = {"mixed": "Mixed corpus", "big": "Big-file corpus (one file)"}
for phase, rs in phases.items():
    out += [f"## {title[phase]}: {rs[0][2]:,} bytes", "", "| step | seconds | MiB/s | output bytes | peak RSS MiB |", "|---|---:|---:|---:|---:|"]
    for name, s, i, o, r in rs:
        out.append(f"| {name.replace('|', chr(92) + '|')} | {s:.2f} | {i / M / max(s, 0.01):.1f} | {o:,} | {r / 1024:.0f} |")
    out.append("")
def get(phase, prefix):
    for name, s, i, o, r in phases.get(phase, []):
        if name.startswith(prefix): return s, o, r
    return None
checks = []
if "mixed" in phases:
    ours, base, ref = get("mixed", "our backup (lzma)"), get("mixed", "baseline: tar"), get("mixed", "size reference")
    rest, brest = get("mixed", "our restore (lzma)"), get("mixed", "baseline: openssl")
    checks.append(("backup throughput, our lzma / baseline", base[0] / ours[0], ">= 1.30x", base[0] / ours[0] >= 1.3))
    checks.append(("output size, our lzma / xz -6", ours[1] / ref[1], "<= 1.05x", ours[1] / ref[1] <= 1.05))
    checks.append(("restore throughput, our lzma / baseline reverse", brest[0] / rest[0], ">= 1.00x", brest[0] / rest[0] >= 1.0))
for phase, rs in phases.items():
    for name, s, i, o, r in rs:
        if name.startswith("our"):
            checks.append((f"peak RSS MiB, {title[phase].split(':')[0].lower()}: {name}", r / 1024, "< 200", r / 1024 < 200))
out += ["## Targets", "", "| check | value | target | result |", "|---|---:|---|---|"]
for what, v, target, ok in checks:
    out.append(f"| {what} | {v:.2f} | {target} | {'PASS' if ok else 'MISS'} |")
text = "\n".join(out) + "\n"
open(sys.argv[2], "w").write(text)
print(text)
PY
say "results written to $OUT/results.md"

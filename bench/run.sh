#!/usr/bin/env bash
# AutoGlacier benchmark: our backup/restore (lzma and zstd) against `tar | xz -T2 -6 | openssl enc`,
# `tar | zstd -3 -T2 | openssl enc` and restic (when installed), all with their restores, on one corpus, in one run.
#
# Usage: bench/run.sh [--corpus DIR | --size-mb N] [--big-file-gb G] [--big-only] [--big-codecs "zstd lzma"]
#                     [--threads T] [--out DIR] [--restore-dir DIR] [--no-restic] [--skip-build]
#
#   --corpus DIR      run every step on DIR (any directory; nothing generated) instead of the generated corpus
#   --size-mb N       size of the generated mixed corpus in MiB (default 512; use e.g. 40 for a quick check)
#   --big-file-gb G   also run the big-file phase: a corpus of ONE G GiB file (G may be fractional),
#                     measuring peak RSS of our backup and restore (time is reported but not judged)
#   --big-only        skip the mixed-corpus phase (with --big-file-gb)
#   --big-codecs L    codecs for the big-file phase, in order (default "zstd lzma"; "zstd" alone is quicker)
#   --threads T       compression threads for us (COMPRESSION_THREADS) and for the baseline's xz -T (default 2)
#   --out DIR         work directory (default bench/out); corpora are kept there and reused when their
#                     parameters and the generator are unchanged; vaults/restores are removed after each step
#   --restore-dir DIR where restores go, each into a fresh subdirectory (default /dev/shm: a tmpfs, so repeated
#                     restores do not measure the file system's inode allocator)
#   --no-restic       skip the restic peer even if `restic` is installed
#   --codecs L        codecs of the corpus phase (default "zstd lzma"); "zstd" skips our lzma steps, the xz pipeline
#                     and the xz -6 reference (the slow half: use it on a loaded machine)
#   --skip-build      do not run `dotnet build -c Release src/AutoGlacier.Cli` first (never timed anyway)
#
# Every step is timed with GNU time: wall seconds, CPU seconds (user + sys of the whole process tree) and peak RSS.
# On a shared machine compare CPU seconds and the ratios of one run, not wall seconds across runs.
# Needs: dotnet (.NET 10 SDK), python3 (3.9+), GNU tar, xz, openssl, coreutils, GNU time at /usr/bin/time.
# Prints a table (seconds, MiB/s of corpus bytes, output bytes, peak RSS MiB), the ratios against the targets
# with PASS/MISS, and writes the same to OUT/results.md. Raw logs of every step are in OUT/logs/.
# Examples:  bench/run.sh                                  # default 512 MiB corpus
#            bench/run.sh --size-mb 40 --big-file-gb 0.5   # quick smoke run
#            bench/run.sh --big-file-gb 4 --big-only       # RSS with one 4 GiB file
set -euo pipefail

die() { echo "run.sh: error: $*" >&2; exit 1; }
say() { echo "run.sh: $*" >&2; }

CODECS="zstd lzma" SIZE_MB=512 BIG_GB="" BIG_ONLY=0 BIG_CODECS="zstd lzma" THREADS=2 OUT="" SKIP_BUILD=0 CORPUS="" RESTORE_DIR=/dev/shm RESTIC=1
while (($#)); do
  case "$1" in
    --corpus) CORPUS="${2:?--corpus needs a directory}"; shift 2 ;;
    --restore-dir) RESTORE_DIR="${2:?--restore-dir needs a directory}"; shift 2 ;;
    --no-restic) RESTIC=0; shift ;;
    --codecs) CODECS="${2:?--codecs needs a value}"; shift 2 ;;
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
[[ -z "$CORPUS" || -d "$CORPUS" ]] || die "--corpus: '$CORPUS' is not a directory"
[[ -z "$CORPUS" ]] || CORPUS="$(cd "$CORPUS" && pwd)"
[[ "$CORPUS" != *\'* ]] || die "--corpus must not contain a single quote: $CORPUS"
mkdir -p "$RESTORE_DIR" || die "--restore-dir: cannot create '$RESTORE_DIR'"
for c in $CODECS; do [[ "$c" == lzma || "$c" == zstd ]] || die "--codecs: '$c' is not lzma or zstd"; done
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
for t in dotnet python3 tar xz zstd openssl sha256sum find awk; do command -v "$t" >/dev/null || die "'$t' is not on PATH"; done

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

command -v restic >/dev/null || RESTIC=0
RESTORES="$(mktemp -d "$RESTORE_DIR/agbench-restore.XXXXXX")"
ROWS="$W/rows.tsv"; : >"$ROWS"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
cleanup() { rm -rf "$W"/vault-* "$W"/restic-repo "$TMPDIR" "$RESTORES"; }
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

# measure NAME CMD... : run under GNU time, log to LOGS/NAME.log; sets SECS, CPU (user + sys seconds) and RSS_KB
measure() {
  local name="$1"; shift
  say "running $name"
  if ! /usr/bin/time -f '%e %U %S %M' -o "$W/$name.time" "$@" >"$LOGS/$name.log" 2>&1; then
    tail -n 20 "$LOGS/$name.log" >&2
    die "$name failed (exit status in $W/$name.time; log $LOGS/$name.log)"
  fi
  local user sys; read -r SECS user sys RSS_KB < <(tail -n 1 "$W/$name.time")
  CPU="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
}
# row PHASE NAME INPUT_BYTES OUTPUT_BYTES : one table row from the last measure
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$SECS" "$CPU" "$3" "$4" "$RSS_KB" >>"$ROWS"; }
# fresh_restore_dir NAME : an empty directory for one restore under RESTORES; prints it
fresh_restore_dir() { rm -rf "${RESTORES:?}/$1"; mkdir -p "$RESTORES/$1"; echo "$RESTORES/$1"; }

# our_backup PHASE CODEC CORPUS_DIR INPUT_BYTES : backup into a fresh vault; sets RUN_KEY, ARCHIVE
our_backup() {
  local phase="$1" codec="$2" dir="$3" bytes="$4" cfg="$W/config-$2.json"
  rm -rf "$W/vault-$codec" "$W/log-$codec.json"
  cat >"$cfg" <<JSON
{"COMPRESSION": "$codec", "COMPRESSION_THREADS": $THREADS, "TMP_DIR": "$TMPDIR", "JSON_DATABASE": "$W/log-$codec.json",
 "PUBL_RSA_KEY_PATH": "$KEYS/public.pem", "BACKEND": "local", "LOCAL_VAULT_DIR": "$W/vault-$codec"}
JSON
  measure "$phase-backup-$codec" dotnet "$CLI" backup --config "$cfg" --file "$dir" --recursive --description "bench $phase $codec"
  local archive_id
  read -r RUN_KEY archive_id < <(dotnet "$CLI" list --config "$cfg" --json | python3 -c '
import json, sys
(run,) = json.load(sys.stdin)["runs"]
print(run["run_key"], run["archive_id"])')
  ARCHIVE="$(find "$W/vault-$codec" -type f -name "$archive_id.agc" | head -n 1)"  # the data file, not its .json metadata
  [[ -f "$ARCHIVE" ]] || die "archive $archive_id of run $RUN_KEY not found under $W/vault-$codec"
  row "$phase" "our backup ($codec)" "$bytes" "$(stat -c %s "$ARCHIVE")"
}

# check_same ORIG RESTORED_ROOT : sha256 of a corpus file equals the restored one
check_same() {
  local a b; a="$(sha256sum <"$1" | cut -d' ' -f1)"; b="$(sha256sum <"$2/$3" | cut -d' ' -f1)"
  [[ "$a" == "$b" ]] || die "restored $2/$3 differs from $1"
}

# our_restore PHASE CODEC CORPUS_DIR INPUT_BYTES FILE... : restore the codec's run to a fresh dir, check FILEs
our_restore() {
  local phase="$1" codec="$2" dir="$3" bytes="$4"; shift 4
  local to; to="$(fresh_restore_dir ours)"; rmdir "$to"
  measure "$phase-restore-$codec" dotnet "$CLI" restore --config "$W/config-$codec.json" --private-key "$KEYS/private.pem" \
    --run "$RUN_KEY" --to "$to"
  local f; for f in "$@"; do check_same "$f" "$to" "$f"; done   # restored at DIR/<absolute path>
  row "$phase" "our restore ($codec)" "$bytes" "$bytes"
  rm -rf "$to" "$W/vault-$codec"
}

MIB=1048576
# pipe_pair PHASE LABEL COMPRESS DECOMPRESS EXT : `tar | COMPRESS | openssl enc` and the reverse into a fresh dir
pipe_pair() {
  local phase="$1" label="$2" comp="$3" decomp="$4" ext="$5" to
  measure "$phase-pipe-$ext-backup" bash -c "set -o pipefail; tar -cf - -C '$PARENT' '$NAME' | $comp | openssl enc -aes-256-ctr -pbkdf2 -pass pass:x >'$W/pipe.$ext.enc'"
  row "$phase" "tar | $label | openssl enc" "$BYTES" "$(stat -c %s "$W/pipe.$ext.enc")"
  to="$(fresh_restore_dir "pipe-$ext")"
  measure "$phase-pipe-$ext-restore" bash -c "set -o pipefail; openssl enc -d -aes-256-ctr -pbkdf2 -pass pass:x <'$W/pipe.$ext.enc' | $decomp | tar -xf - -C '$to'"
  check_samples "$to/$NAME"
  row "$phase" "openssl enc -d | ${label%% *} -d | tar -x" "$BYTES" "$BYTES"
  rm -rf "$to" "$W/pipe.$ext.enc"
}

# restic_pair PHASE : restic backup (default compression) into a fresh repository and its restore
restic_pair() {
  local phase="$1" repo="$W/restic-repo" to
  export RESTIC_PASSWORD=bench RESTIC_CACHE_DIR="$W/restic-cache"
  rm -rf "$repo" "$RESTIC_CACHE_DIR"; restic init --repo "$repo" >"$LOGS/restic-init.log" 2>&1 || die "restic init failed, see $LOGS/restic-init.log"
  measure "$phase-restic-backup" restic --repo "$repo" backup --host bench "$C"
  row "$phase" "restic backup ($(restic version | cut -d' ' -f2), default compression)" "$BYTES" "$(du -sb "$repo" | cut -f1)"
  to="$(fresh_restore_dir restic)"
  measure "$phase-restic-restore" restic --repo "$repo" restore latest --target "$to"
  check_samples "$to$C"
  row "$phase" "restic restore" "$BYTES" "$BYTES"
  rm -rf "$to" "$repo" "$RESTIC_CACHE_DIR"
}

# check_samples ROOT : the two sample files restored under ROOT (= the corpus directory's copy) equal the originals
check_samples() { check_same "$SAMPLE1" "$1" "${SAMPLE1#"$C"/}"; check_same "$SAMPLE2" "$1" "${SAMPLE2#"$C"/}"; }

MIB=1048576
if ((BIG_ONLY == 0)); then
  if [[ -n "$CORPUS" ]]; then
    C="$CORPUS" PHASE_TITLE="Corpus $CORPUS"
    BYTES="$(find "$C" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.0f\n", s}')"
    SAMPLE1="$(find "$C" -type f -printf '%s %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)"
  else
    C="$(corpus mixed "corpus-${SIZE_MB}mb" --size-mb "$SIZE_MB")" PHASE_TITLE="Generated mixed corpus"
    BYTES="$(sed -n 2p "$OUT/corpus-${SIZE_MB}mb.stamp")"
    SAMPLE1="$C/big/disk.img"
  fi
  SAMPLE2="$(find "$C" -type f -size -9k | sort | sed -n 1p)"
  [[ -n "$SAMPLE2" ]] || SAMPLE2="$SAMPLE1"
  PARENT="$(dirname "$C")" NAME="$(basename "$C")"
  say "corpus $C: $BYTES bytes, $(find "$C" -type f | wc -l) files; warming the page cache"
  tar -cf - -C "$PARENT" "$NAME" | cat >/dev/null

  has_lzma=0; [[ " $CODECS " != *" lzma "* ]] || has_lzma=1
  ((has_lzma == 0)) || pipe_pair mixed "xz -T$THREADS -6" "xz -T$THREADS -6" "xz -d -T$THREADS" xz
  [[ " $CODECS " != *" zstd "* ]] || pipe_pair mixed "zstd -3 -T$THREADS" "zstd -3 -T$THREADS" "zstd -d" zst
  ((RESTIC == 0)) || restic_pair mixed
  if ((has_lzma)); then
    measure mixed-xz6 bash -c "set -o pipefail; tar -cf - -C '$PARENT' '$NAME' | xz -6 -T1 >'$W/ref.tar.xz'"
    row mixed "size reference: tar | xz -6 (-T1)" "$BYTES" "$(stat -c %s "$W/ref.tar.xz")"
    rm -f "$W/ref.tar.xz"
  fi

  for codec in $CODECS; do
    our_backup mixed "$codec" "$C" "$BYTES"
    our_restore mixed "$codec" "$C" "$BYTES" "$SAMPLE1" "$SAMPLE2"
  done
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
python3 - "$ROWS" "$OUT/results.md" "${PHASE_TITLE:-}" <<PY
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
M = 1 << 20
out = ["# AutoGlacier benchmark results", "",
       "- commit: $(git -C "$REPO" describe --always --dirty 2>/dev/null || echo unknown), $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, threads=$THREADS",
       "- load average (1/5/15 min) at start: $LOAD_START; at end: $LOAD_END",
       "- tools: $(xz --version | sed -n 1p), $(zstd --version | head -1), $(openssl version | cut -d' ' -f1-2), dotnet $(dotnet --version 2>/dev/null)",
       "- restores into fresh directories under $RESTORE_DIR",
       "- MiB/s = corpus bytes / wall seconds (input throughput, also for restores); wall time includes process start-up.",
       "- CPU s = user + sys seconds of the step's whole process tree: on a shared machine, the number to compare.",
       "- Peak RSS is GNU time's %M: for a pipeline under \`bash -c\` it is the largest SINGLE process of the tree",
       "  (getrusage max of the waited-for children), not the sum of the pipeline's processes. Our CLI is one process.", ""]
phases = {}
for phase, name, secs, cpu, inp, outb, rss in rows:
    phases.setdefault(phase, []).append((name, float(secs), float(cpu), int(inp), int(outb), int(rss)))
title = {"mixed": sys.argv[3] or "Corpus", "big": "Big-file corpus (one file)"}
for phase, rs in phases.items():
    out += [f"## {title[phase]}: {rs[0][3]:,} bytes", "",
            "| step | seconds | CPU s | MiB/s | output bytes | output / input | peak RSS MiB |", "|---|---:|---:|---:|---:|---:|---:|"]
    for name, s, c, i, o, r in rs:
        out.append(f"| {name.replace('|', chr(92) + '|')} | {s:.2f} | {c:.2f} | {i / M / max(s, 0.01):.1f} | {o:,} | {o / i:.3f} | {r / 1024:.0f} |")
    out.append("")
def get(phase, prefix):
    for name, s, c, i, o, r in phases.get(phase, []):
        if name.startswith(prefix): return s, o, r, c
    return None
checks = []
def faster(what, ours, theirs, target):
    if ours and theirs:
        v = theirs[0] / ours[0]
        checks.append((what + " (wall)", v, f">= {target:.2f}x", v >= target))
        checks.append((what + " (CPU s, for reference)", theirs[3] / max(ours[3], 0.01), "", None))
if "mixed" in phases:
    g = lambda p: get("mixed", p)
    faster("backup throughput, our lzma / tar|xz pipeline", g("our backup (lzma)"), g("tar | xz"), 1.3)
    faster("backup throughput, our zstd / tar|zstd pipeline", g("our backup (zstd)"), g("tar | zstd"), 0.9)
    faster("backup throughput, our zstd / restic", g("our backup (zstd)"), g("restic backup"), 2.0)
    ours, ref = g("our backup (lzma)"), g("size reference")
    if ours and ref: checks.append(("output size, our lzma / xz -6", ours[1] / ref[1], "<= 1.05x", ours[1] / ref[1] <= 1.05))
    ours, restic = g("our backup (zstd)"), g("restic backup")
    if ours and restic: checks.append(("output size, our zstd / restic", ours[1] / restic[1], "<= 1.00x", ours[1] <= restic[1]))
    for codec, pipe in (("lzma", "openssl enc -d | xz"), ("zstd", "openssl enc -d | zstd")):
        faster(f"restore throughput, our {codec} / restic", g(f"our restore ({codec})"), g("restic restore"), 1.0)
        faster(f"restore throughput, our {codec} / its pipeline reverse", g(f"our restore ({codec})"), g(pipe), 0.8)
for phase, rs in phases.items():
    for name, s, c, i, o, r in rs:
        if name.startswith("our"):
            checks.append((f"peak RSS MiB, {title[phase].split(':')[0]}: {name}", r / 1024, "< 200", r / 1024 < 200))
out += ["## Targets", "", "| check | value | target | result |", "|---|---:|---|---|"]
for what, v, target, ok in checks:
    out.append(f"| {what} | {v:.2f} | {target} | {'' if ok is None else 'PASS' if ok else 'MISS'} |")
text = "\n".join(out) + "\n"
open(sys.argv[2], "w").write(text)
print(text)
PY
say "results written to $OUT/results.md"

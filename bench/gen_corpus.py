#!/usr/bin/env python3
"""Deterministic benchmark corpus for bench/run.sh (Python 3.9+ standard library only).

  gen_corpus.py mixed DIR --size-mb N [--seed S]   the default corpus (~N MiB, see COMPOSITION below)
  gen_corpus.py big   DIR --size-gb G [--seed S]   one file of G GiB, mixed compressible/incompressible content

Every byte comes from random.Random seeded with (seed, kind, index), so the same arguments give the same bytes on
any machine with the same Python and zlib (nothing from the host filesystem is read). "Binaries" are synthetic
machine-code-like streams (a Zipf-weighted instruction vocabulary, little-endian address tables, string tables,
zero padding) rather than copies of /usr/bin, which differ between machines. All mtimes are set to a fixed date,
so `tar` of the corpus is byte-identical too.

COMPOSITION of `mixed` for N MiB (N=512 in brackets):
  small/    round(20000*N/512) files of 100 B..8 KiB: source, config, JSON, prose, tiny binaries   [20000 files, ~45 MiB]
  big/      one large file of N/8 MiB: text, binary, random and zero segments                      [64 MiB]
  random/   seeded random bytes ("media")                                                          [~9% of N]
  compressed/ gzip (zlib level 1..6) and xz (preset 0) files of generated text                      [~9% of N]
  docs/ logs/ data/  prose, log lines, CSV and JSON, 8 KiB..4 MiB files                             [rest, ~35%]
  src/      source-like files                                                                      [~25% of rest]
  bin/ lib/ synthetic binaries                                                                     [~35% of rest]
Incompressible share (random/, compressed/, random segments of big/) is about 20%.
"""
import argparse, gzip, io, itertools, lzma, os, random, sys

MiB = 1 << 20
FIXED_MTIME = 1_700_000_000  # 2023-11-14

# ---------------------------------------------------------------- vocabularies (built once from the seed)
class Vocab:
    def __init__(self, seed):
        r = random.Random(f"{seed}:vocab")
        letters = "etaoinshrdlcumwfgypbvkjxqz"
        lw = [12.7, 9.1, 8.2, 7.5, 7.0, 6.7, 6.3, 6.1, 6.0, 4.3, 4.0, 2.8, 2.8, 2.4, 2.4, 2.2, 2.0, 2.0, 1.9, 1.5, 1.0, .8, .15, .15, .1, .07]
        words = set()
        while len(words) < 30000:
            words.add("".join(r.choices(letters, lw, k=max(1, int(r.gauss(6, 2.5))))))
        self.words = sorted(words)
        r.shuffle(self.words)
        self.word_cw = list(itertools.accumulate(1.0 / (i + 1) ** 1.05 for i in range(len(self.words))))
        self.idents = [w + ("_" + r.choice(self.words) if r.random() < .4 else "") + (str(r.randint(0, 99)) if r.random() < .1 else "")
                       for w in self.words[:6000]]
        self.ident_cw = list(itertools.accumulate(1.0 / (i + 1) for i in range(len(self.idents))))
        # machine-code-like "instructions": 1..10 bytes, Zipf weighted
        self.insns = [bytes(r.randrange(256) if r.random() < .5 else r.choice(b"\x00\x48\x89\x8b\xe8\xff\x0f\x83\xc4\x24\x45\x31\xc0")
                            for _ in range(r.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 7, 8, 10)))) for _ in range(4000)]
        self.insn_cw = list(itertools.accumulate(1.0 / (i + 1) ** 0.9 for i in range(len(self.insns))))

# ---------------------------------------------------------------- content kinds
def prose(v, r, n):
    out, size = [], 0
    while size < n:
        ws = r.choices(v.words, cum_weights=v.word_cw, k=r.randint(8, 30))
        ws[0] = ws[0].capitalize()
        s = " ".join(ws) + r.choice((". ", ". ", ", ", "? ", ".\n\n", ".\n"))
        out.append(s); size += len(s)
    return "".join(out).encode()[:n]

def lines_log(v, r, n):
    out, size, t = [], 0, 1_690_000_000 + r.randrange(10**7)
    levels = ("INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR")
    while size < n:
        t += r.randint(0, 3)
        ws = " ".join(r.choices(v.words, cum_weights=v.word_cw, k=r.randint(3, 12)))
        s = f"2023-{1 + t % 12:02d}-{1 + t % 28:02d}T{t % 24:02d}:{t % 60:02d}:{(t * 7) % 60:02d}.{t % 1000:03d}Z {r.choice(levels)} [{r.choice(v.idents[:200])}] {ws} id={r.randrange(1 << 32):08x} ms={r.randint(0, 5000)}\n"
        out.append(s); size += len(s)
    return "".join(out).encode()[:n]

def csv_json(v, r, n):
    out, size = [], 0
    if r.random() < .5:
        cols = r.sample(v.idents[:300], 6)
        out.append(",".join(cols) + "\n")
        while size < n:
            s = f"{r.randrange(10**6)},{r.choice(v.words)},{r.uniform(-1e4, 1e4):.3f},{r.choice(v.words[:50])},{r.randint(0, 1)},{r.randrange(1 << 24):x}\n"
            out.append(s); size += len(s)
    else:
        out.append("[\n")
        while size < n:
            k = r.sample(v.idents[:150], 4)
            s = f'  {{"{k[0]}": {r.randrange(10**5)}, "{k[1]}": "{" ".join(r.choices(v.words, cum_weights=v.word_cw, k=r.randint(1, 6)))}", "{k[2]}": {r.choice(("true", "false", "null"))}, "{k[3]}": [{r.randint(0, 99)}, {r.uniform(0, 1):.4f}]}},\n'
            out.append(s); size += len(s)
    return "".join(out).encode()[:n]

KW = ("if", "for", "while", "return", "const", "static", "var", "let", "def", "public", "private", "int", "void", "else")
def source(v, r, n):
    out, size, depth = [], 0, 0
    idf = lambda: r.choices(v.idents, cum_weights=v.ident_cw)[0]
    while size < n:
        p = r.random()
        ind = "    " * depth
        if p < .12 and depth < 6:
            s = f"{ind}{r.choice(KW)} {idf()}({idf()}, {idf()}) {{\n"; depth += 1
        elif p < .22 and depth > 0:
            depth -= 1; s = "    " * depth + "}\n"
        elif p < .30:
            s = f"{ind}// {' '.join(r.choices(v.words, cum_weights=v.word_cw, k=r.randint(3, 12)))}\n"
        elif p < .34:
            s = "\n"
        else:
            s = f"{ind}{idf()}.{idf()} = {idf()}({idf()}, {r.randint(0, 4096)}) {r.choice('+-*/')} {idf()}[{r.randint(0, 64)}];\n"
        out.append(s); size += len(s)
    return "".join(out).encode()[:n]

def binary(v, r, n):
    out, size = [], 0
    while size < n:
        p = r.random()
        if p < .70:   # code
            b = b"".join(r.choices(v.insns, cum_weights=v.insn_cw, k=r.randint(200, 4000)))
        elif p < .82:  # address / relocation table
            base, step = r.randrange(1 << 32), r.choice((4, 8, 16, 24))
            b = b"".join(((base + i * step + r.randrange(4)) & 0xFFFFFFFF).to_bytes(4, "little") + b"\0\0\0\0" for i in range(r.randint(32, 1024)))
        elif p < .92:  # string table
            b = b"\0".join(x.encode() for x in r.choices(v.idents, cum_weights=v.ident_cw, k=r.randint(50, 800))) + b"\0"
        else:          # padding
            b = b"\0" * r.choice((16, 64, 256, 4096, 8192))
        out.append(b); size += len(b)
    return b"".join(out)[:n]

def rand(v, r, n):
    return r.randbytes(n)

def compressed(v, r, n):
    """Already-compressed file of about n bytes: gzip or xz of generated text/binary."""
    raw_kind = r.choice((prose, lines_log, source, csv_json, binary))
    if r.random() < .8:
        level = r.randint(1, 6)
        raw = raw_kind(v, r, int(n * 3.2))
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=level, mtime=0) as g:
            g.write(raw)
        data = buf.getvalue()
    else:
        raw = raw_kind(v, r, int(n * 3.5))
        data = lzma.compress(raw, preset=0)
    return data  # size only approximately n

def small_content(v, r, n):
    return r.choices((source, source, prose, csv_json, lines_log, binary), (3, 3, 2, 2, 1, 1))[0](v, r, n)

EXT = {prose: "txt", lines_log: "log", csv_json: "dat", source: "c", binary: "so", rand: "jpg", compressed: "gz"}

# ---------------------------------------------------------------- writing
def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    os.utime(path, (FIXED_MTIME, FIXED_MTIME))
    return len(data)

def fill(root, v, seed, sub, kinds, budget, lo=8 << 10, hi=4 * MiB):
    """Files of log-uniform size lo..hi until budget bytes are written."""
    r = random.Random(f"{seed}:{sub}")
    i = total = 0
    while total < budget:
        n = min(int(lo * (hi / lo) ** r.random()), max(budget - total, 1024))
        kind = r.choice(kinds)
        data = kind(v, random.Random(f"{seed}:{sub}:{i}"), n)
        ext = "xz" if data[:6] == b"\xfd7zXZ\0" else EXT[kind]
        total += write(os.path.join(root, sub, f"d{i // 50:03d}", f"{sub}_{i:05d}.{ext}"), data)
        i += 1
    return total

def mixed(root, size_mb, seed):
    v = Vocab(seed)
    S = size_mb * MiB
    written = 0
    # small files
    n_small = max(10, round(20000 * size_mb / 512))
    r = random.Random(f"{seed}:small")
    for i in range(n_small):
        n = int(100 * (8191 / 100) ** (r.random() ** 0.7))  # 100 B .. 8 KiB, skewed up
        kind_r = random.Random(f"{seed}:small:{i}")
        written += write(os.path.join(root, "small", f"s{i // 200:03d}", f"f{i:05d}.{kind_r.choice(('c', 'py', 'cs', 'json', 'md', 'conf', 'txt'))}"),
                         small_content(v, kind_r, n))
    # one large file, ~S/8
    written += big_file(os.path.join(root, "big", "disk.img"), S // 8, v, seed, seg_lo=64 << 10, seg_hi=2 * MiB)
    incompressible_left = S // 5 - (S // 8) // 5  # big file is ~20% random
    written += fill(root, v, seed, "random", [rand], incompressible_left // 2, hi=8 * MiB)
    written += fill(root, v, seed, "compressed", [compressed], incompressible_left // 2, lo=4 << 10, hi=2 * MiB)
    rest = max(S - written, 0)
    written += fill(root, v, seed, "docs", [prose, prose, csv_json, lines_log], rest * 40 // 100)
    written += fill(root, v, seed, "src", [source], rest * 25 // 100, lo=2 << 10, hi=512 << 10)
    written += fill(root, v, seed, "bin", [binary], max(S - written, 0), lo=16 << 10, hi=6 * MiB)
    return written

# ---------------------------------------------------------------- big file: pools + cheap per-segment variation
def big_file(path, size, v, seed, seg_lo=256 << 10, seg_hi=4 * MiB):
    r = random.Random(f"{seed}:big:{size}")
    pool = min(16 * MiB, max(size // 4, MiB))
    text_pool = b"".join(k(v, random.Random(f"{seed}:tp:{j}"), pool // 4) for j, k in enumerate((prose, lines_log, source, csv_json)))
    bin_pool = binary(v, random.Random(f"{seed}:bp"), pool)
    letters = bytes(range(97, 123))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    done = 0
    with open(path, "wb") as f:
        while done < size:
            n = min(int(seg_lo * (seg_hi / seg_lo) ** r.random()), size - done)
            p = r.random()
            if p < .40:    # text: a slice of the pool with its letters permuted, so no segment repeats another
                perm = bytearray(letters); r.shuffle(perm)
                seg = slice_pool(text_pool, r, n).translate(bytes.maketrans(letters, bytes(perm)))
            elif p < .72:  # binary: a slice of the binary pool with a random byte mapping that fixes 0x00
                perm = list(range(1, 256)); r.shuffle(perm)
                seg = slice_pool(bin_pool, r, n).translate(bytes([0] + perm))
            elif p < .95:  # incompressible
                seg = r.randbytes(n)
            else:          # zeros (sparse regions of a disk image)
                seg = bytes(n)
            f.write(seg)
            done += len(seg)
    os.utime(path, (FIXED_MTIME, FIXED_MTIME))
    return done

def slice_pool(pool, r, n):
    out = bytearray()
    while len(out) < n:
        start = r.randrange(len(pool))
        out += pool[start:start + n - len(out)]
    return bytes(out)

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=("mixed", "big"))
    ap.add_argument("dir")
    ap.add_argument("--size-mb", type=int, default=512)
    ap.add_argument("--size-gb", type=float, default=4)
    ap.add_argument("--seed", default="autoglacier-bench-1")
    a = ap.parse_args()
    if os.path.exists(a.dir) and os.listdir(a.dir):
        sys.exit(f"gen_corpus: {a.dir} exists and is not empty")
    os.makedirs(a.dir, exist_ok=True)
    if a.mode == "mixed":
        n = mixed(a.dir, a.size_mb, a.seed)
    else:
        n = big_file(os.path.join(a.dir, "big.img"), int(a.size_gb * (1 << 30)), Vocab(a.seed), a.seed)
    print(f"gen_corpus: wrote {n} bytes under {a.dir}", file=sys.stderr)

if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Restore an AutoGlacier snapshot made of several archives, without AutoGlacier (docs/FORMAT.md 3.1 and 5).

Needs Python 3.9+ with the `cryptography` package, autoglacier-decrypt.py beside this script, the `zstd` program
(catalogs, zstd archives) and `xz` (lzma archives).

    autoglacier-restore-snapshot.py --key backup.pem --catalogs DIR --archives DIR --run RUNKEY --to TARGET \\
        [--include GLOB]... [--passphrase-env VAR]

  --catalogs DIR   <runkey>.catalog.zst of the run and of every run of its chain (its base, the base's base...):
                   the copies beside the JSON log (<log>.catalogs/), or the vault's catalog objects decrypted with
                   `autoglacier-decrypt.py --key backup.pem OBJECT > DIR/<runkey>.catalog.zst`.
  --archives DIR   the encrypted archives, each named by its archive id, as <id> or <id>.agc (a local vault's
                   archives/ directory); an S3 key may be named by its last '/'-segment.
  --run RUNKEY     the snapshot to restore: its key in the JSON log and its catalog's file name.
  --to TARGET      where to restore; /home/a/x.txt goes to TARGET/home/a/x.txt. Use a new, empty directory.
  --include GLOB   restore only matching paths (repeatable): '*', '?', '[...]' within one path segment, '**' for
                   any number of segments, and a directory's pattern covers everything below it (as `restore --include`).
The passphrase is read from $AUTOGLACIER_PASSPHRASE (or the variable --passphrase-env names), else prompted once.

What it does. The snapshot's complete listing is the merge of its chain of catalogs, oldest first (each header's
`base` names the previous one): the newest catalog naming a path decides it, a removal mark drops it. Every
catalog's trailer is checked. Directories and symlinks are made from the listing alone. Files are grouped by the
archive holding their bytes; each archive needed is streamed once: decrypted (autoglacier-decrypt.py's code, in a
thread), decompressed (`xz -d` or `zstd -d`, chosen by the magic bytes, or nothing), read as a tar stream. A tar
entry is picked by the catalog's `offset` (where its pax header starts), else by its `source` name, else by the
path without its leading '/'; one entry can feed several paths (copies). Each file is written under a temporary
name, its SHA-256 checked against the catalog, given the catalog's mode and mtime, then renamed. Directories get
their mode and mtime last. Nothing is written through a symlink or outside TARGET. Any missing catalog, archive or
entry, or any hash mismatch, stops the restore with a message and a non-zero exit status.
"""
import argparse
import fnmatch
import hashlib
import importlib.util
import json
import os
import stat
import subprocess
import sys
import tarfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
CODECS = [(b"\xfd7zXZ\x00", ["xz", "-dc"]), (b"LZIP", ["xz", "-dc"]), (b"\x28\xb5\x2f\xfd", ["zstd", "-dcq"])]
MAGIC_LENGTH = max(len(m) for m, _ in CODECS)
BLOCK = 1 << 20


def load_decryptor():
    """Imports autoglacier-decrypt.py (its name has a dash, so by file location)."""
    sys.dont_write_bytecode = True  # leave the directory holding the tools as it was
    spec = importlib.util.spec_from_file_location("autoglacier_decrypt", os.path.join(HERE, "autoglacier-decrypt.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DECRYPT = load_decryptor()
Failure = DECRYPT.Failure


def utf16_key(path):
    """Catalog lines are sorted by UTF-16 code units; UTF-16-BE bytes sort the same way."""
    return path.encode("utf-16-be", "surrogatepass")


def read_catalog(path):
    """Returns (header, entries) of one catalog file, refusing it if it is out of order or its trailer is wrong."""
    with subprocess.Popen(["zstd", "-dcq", "--", path], stdout=subprocess.PIPE) as zstd:
        lines = (json.loads(line) for line in zstd.stdout)
        try:
            header = next(lines, None)
            if not isinstance(header, dict) or header.get("format") != "autoglacier-catalog" or header.get("version") != 1:
                raise Failure(f"{path} is not a catalog of format version 1 (a vault copy needs autoglacier-decrypt.py first)")
            entries, trailer = [], None
            for line in lines:
                if trailer is not None:
                    raise Failure(f"the catalog {path} is damaged: it has lines after its trailer")
                if line.get("end"):
                    trailer = line
                elif entries and utf16_key(line["path"]) <= utf16_key(entries[-1]["path"]):
                    raise Failure(f"the catalog {path} is damaged: {line['path']!r} comes after {entries[-1]['path']!r}")
                else:
                    entries.append(line)
        except (ValueError, KeyError, AttributeError) as e:
            raise Failure(f"the catalog {path} is damaged: a line is not a catalog entry ({e})") from None
    if zstd.returncode != 0:
        raise Failure(f"zstd could not decompress the catalog {path}: a plain catalog is a zstd file (decrypt a vault copy first)")
    removed = sum(1 for e in entries if e.get("removed"))
    if trailer is None or (trailer.get("entries", 0), trailer.get("removed", 0)) != (len(entries), removed):
        raise Failure(f"the catalog {path} is incomplete (no trailer, or its counts differ from its {len(entries)} lines): use another copy")
    return header, entries


def snapshot_listing(catalog_dir, run):
    """The complete listing of `run`: {path: entry}, merged from the full up to `run` by the headers' `base`."""
    chain, wanted_by = [], None
    while run:
        if "/" in run or run.startswith(".") or run in (h["run"] for h, _ in chain):
            raise Failure(f"the chain of catalogs names the run {run!r} twice or is not a run key")
        path = os.path.join(catalog_dir, run + ".catalog.zst")
        if not os.path.isfile(path):
            needed = f" (the base of run {wanted_by})" if wanted_by else ""
            raise Failure(f"no catalog for run {run}{needed}: expected {path}")
        header, entries = read_catalog(path)
        if header.get("run") != run:
            raise Failure(f"{path} is the catalog of run {header.get('run')}, not of {run}")
        chain.append((header, entries))
        wanted_by, run = run, header.get("base")
    listing = {}
    for _, entries in reversed(chain):
        for entry in entries:
            if entry.get("removed"):
                listing.pop(entry["path"], None)
            else:
                listing[entry["path"]] = entry
    return listing


def matches(pattern, path):
    """restore --include: glob segments (no leading '.' unless written), '**' spans segments, a prefix covers below."""
    pat = [s for s in pattern.split("/") if s]
    parts = [s for s in path.split("/") if s]

    def segment(name, glob):
        return fnmatch.fnmatchcase(name, glob) and (glob.startswith(".") or not name.startswith("."))

    def match(p, s):
        if p == len(pat):
            return True
        if pat[p] == "**":
            return any(match(p + 1, k) for k in range(s, len(parts) + 1))
        return s < len(parts) and segment(parts[s], pat[p]) and match(p + 1, s + 1)

    return match(0, 0)


def destination(target, path):
    """Where `path` goes under TARGET; a '.' or '..' segment would let a catalog write elsewhere, so it is refused."""
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise Failure(f"refusing {path!r}: it would escape the target directory")
    return os.path.join(target, *parts)


def make_directories(target, directory):
    """Creates `directory` and its parents below TARGET, refusing any that exists as a symlink or a non-directory."""
    current = target
    for part in os.path.relpath(directory, target).split(os.sep):
        if part == ".":
            continue
        current = os.path.join(current, part)
        try:
            os.mkdir(current, 0o700)  # its own mode comes last, so a read-only directory can still be filled
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(current).st_mode):
                raise Failure(f"refusing to write below {current}: it is a symlink or a file, not a directory") from None


def tar_name(entry):
    """The tar entry holding a file's bytes when the catalog has no offset: `source`, else the path without '/'."""
    return entry.get("source") or "/".join(p for p in entry["path"].split("/") if p)


def background(errors, function, *args, closing=()):
    """Runs function(*args) in a thread; keeps its error (a closed pipe is not one: the reader stopped early)."""
    def run():
        try:
            function(*args)
        except BrokenPipeError:
            pass
        except Exception as e:  # reported by the caller, with the archive's name
            errors.append(e)
        finally:
            for f in closing:
                try:
                    f.close()
                except OSError:
                    pass
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def feed(magic, rest, out):
    out.write(magic)
    while block := rest.read(BLOCK):
        out.write(block)


class TarPipeline:
    """An archive's tar stream: decrypt (autoglacier-decrypt.py's code, in a thread) | xz -d, zstd -d or cat."""

    def __init__(self, key, path):
        self.errors, self.source = [], open(path, "rb")
        try:
            header, chunk_size, recipients = DECRYPT.read_header(self.source)
            content_key = DECRYPT.unwrap_content_key(key, recipients)
        except BaseException:
            self.source.close()
            raise
        plain_r, plain_w = (os.fdopen(fd, mode) for fd, mode in zip(os.pipe(), ("rb", "wb")))
        self.threads = [background(self.errors, DECRYPT.decrypt_chunks, self.source, plain_w, header, chunk_size,
                                   content_key, closing=[plain_w])]
        magic = plain_r.read(MAGIC_LENGTH)  # the codec is told by its magic bytes (FORMAT.md section 2)
        self.program = next((p for m, p in CODECS if magic.startswith(m)), ["cat"])
        self.codec = subprocess.Popen(self.program, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.threads.append(background(self.errors, feed, magic, plain_r, self.codec.stdin, closing=[self.codec.stdin, plain_r]))
        self.stream = self.codec.stdout

    def close(self, read_to_end):
        """Stops the pipeline and returns what went wrong, the decryptor's message first (it says what is damaged).
        After the tar's end the rest is read too, so a damaged end is noticed; stopped early, a closed pipe is not an error."""
        if read_to_end:
            while self.stream.read(BLOCK):
                pass
        self.stream.close()
        self.codec.wait()
        for thread in self.threads:
            thread.join()
        self.source.close()
        if read_to_end and self.codec.returncode != 0:
            self.errors.append(Failure(f"{' '.join(self.program)} failed with status {self.codec.returncode}"))
        return sorted(self.errors, key=lambda e: not isinstance(e, Failure))


def archive_file(archives_dir, archive_id):
    names = [archive_id, archive_id + ".agc"]
    if "/" in archive_id:
        names = [n.rsplit("/", 1)[1] for n in names]
    for name in names:
        if name and not name.startswith(".") and os.path.isfile(os.path.join(archives_dir, name)):
            return os.path.join(archives_dir, name)
    raise Failure(f"archive {archive_id} is not in {archives_dir}: retrieve it from the vault and save it as {names[0]}")


def restore_archive(key, path, entries, target):
    """Streams one archive once, writing the files `entries` need; stops as soon as it has them all."""
    by_offset, by_name = {}, {}
    for entry in entries:
        if entry.get("offset") is not None:
            by_offset.setdefault(entry["offset"], []).append(entry)
        else:
            by_name.setdefault(tar_name(entry), []).append(entry)
    pipeline, complete = TarPipeline(key, path), False
    try:
        with tarfile.open(fileobj=pipeline.stream, mode="r|") as tar:
            for member in tar:
                group = by_offset.pop(member.offset, []) + by_name.pop(member.name, [])
                if group:
                    write_copies(tar, member, group, target, path)
                if not by_offset and not by_name:
                    break
            else:
                complete = True
    except tarfile.TarError as e:
        pipeline.errors.append(e)
    finally:
        errors = pipeline.close(read_to_end=complete)
    missing = sorted(e["path"] for group in (*by_offset.values(), *by_name.values()) for e in group)
    if errors or missing:
        why = "; ".join(str(e) for e in errors) or "they are not in its tar"
        listed = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise Failure(f"archive {path}: {why}" + (f"; not restored: {listed}" if missing else ""))


def write_copies(tar, member, group, target, archive):
    """Writes one tar entry's bytes to every path of `group`, each checked against its SHA-256 before it is renamed."""
    for entry in group:  # an offset alone may find a copy's bytes stored under another name (content mode)
        expected = entry.get("source") or (None if entry.get("offset") is not None else tar_name(entry))
        if not member.isreg() or expected not in (None, member.name):
            raise Failure(f"archive {archive}: the tar entry at offset {member.offset} is {member.name!r}, "
                          f"not the file {expected!r} the catalog says: catalog and archive do not match")
    outputs = []
    try:
        for entry in group:
            final = destination(target, entry["path"])
            make_directories(target, os.path.dirname(final))
            temporary = os.path.join(os.path.dirname(final), f".{os.path.basename(final)}.restoring-{os.getpid()}")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            outputs.append((entry, final, temporary, os.fdopen(fd, "wb")))
        digest, data = hashlib.sha256(), tar.extractfile(member)
        while block := data.read(BLOCK):
            digest.update(block)
            for _, _, _, out in outputs:
                out.write(block)
        for entry, final, temporary, out in outputs:
            if digest.hexdigest() != entry.get("sha256"):
                raise Failure(f"{entry['path']}: SHA-256 {digest.hexdigest()} differs from the catalog's {entry.get('sha256')} "
                              f"(archive {archive}): the archive or the catalog is damaged; try other copies")
            out.close()
            apply_metadata(entry, temporary)
            os.replace(temporary, final)
    finally:
        for _, _, temporary, out in outputs:
            out.close()
            if os.path.lexists(temporary):
                os.unlink(temporary)


def make_symlink(entry, target):
    final = destination(target, entry["path"])
    make_directories(target, os.path.dirname(final))
    temporary = os.path.join(os.path.dirname(final), f".{os.path.basename(final)}.restoring-{os.getpid()}")
    os.symlink(entry["link"], temporary)
    apply_metadata(entry, temporary)
    os.replace(temporary, final)


def finish_directory(entry, target):
    """Applies a directory's mode and mtime (after its contents are written, which would change its mtime)."""
    fd = os.open(destination(target, entry["path"]), os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        apply_metadata(entry, fd)
    finally:
        os.close(fd)


def apply_metadata(entry, where):
    """The catalog's mode and mtime (not the tar header's: a later run may have changed them without storing the
    bytes again). `where` is a file descriptor or a path this script just made; a symlink keeps its own mode."""
    is_link = entry.get("type") == "symlink"
    if entry.get("mode") is not None and not is_link:
        os.chmod(where, entry["mode"] & 0o7777)
    if entry.get("mtime_ns") is not None:
        os.utime(where, ns=(entry["mtime_ns"],) * 2, follow_symlinks=not is_link)


def restore(args):
    listing = snapshot_listing(args.catalogs, args.run)
    wanted = [e for path, e in sorted(listing.items()) if not args.include or any(matches(g, path) for g in args.include)]
    if not wanted:
        raise Failure(f"nothing in snapshot {args.run} matches {args.include}")
    kinds = {t: [e for e in wanted if e.get("type", "file") == t] for t in ("file", "directory", "symlink")}
    if sum(map(len, kinds.values())) != len(wanted) or any(not e.get("link") for e in kinds["symlink"]):
        raise Failure("the catalog lists an entry of an unknown type or a symlink without target: is it newer than this script?")
    for entry in wanted:
        destination(args.to, entry["path"])  # refuse a bad path before anything is written
    archives = {}
    for entry in kinds["file"]:
        if not entry.get("run") or not entry.get("archive"):
            raise Failure(f"the catalog does not say which archive holds {entry['path']}: it is damaged")
        archives.setdefault((entry["run"], entry["archive"]), []).append(entry)
    key = DECRYPT.load_private_key(args.key, args.passphrase_env)
    os.makedirs(args.to, exist_ok=True)
    for entry in kinds["directory"]:
        make_directories(args.to, destination(args.to, entry["path"]))
    for (run, archive_id), entries in sorted(archives.items()):
        print(f"run {run}: {len(entries)} file(s) from archive {archive_id}", file=sys.stderr)
        restore_archive(key, archive_file(args.archives, archive_id), entries, args.to)
    for entry in kinds["symlink"]:
        make_symlink(entry, args.to)
    for entry in sorted(kinds["directory"], key=lambda e: e["path"].count("/"), reverse=True):
        finish_directory(entry, args.to)
    print(f"restored {len(wanted)} entries of snapshot {args.run} from {len(archives)} archive(s) into {args.to}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description="Restore an AutoGlacier snapshot (several archives) without AutoGlacier.")
    parser.add_argument("--key", required=True, help="recipient private key (PEM)")
    parser.add_argument("--passphrase-env", default="AUTOGLACIER_PASSPHRASE", help="variable holding its passphrase")
    parser.add_argument("--catalogs", required=True, help="directory of <runkey>.catalog.zst files")
    parser.add_argument("--archives", required=True, help="directory of the encrypted archives, named <id> or <id>.agc")
    parser.add_argument("--run", required=True, help="run key of the snapshot to restore")
    parser.add_argument("--to", required=True, help="target directory")
    parser.add_argument("--include", action="append", default=[], help="restore only paths matching this glob")
    args = parser.parse_args()
    args.to = os.path.abspath(args.to)
    try:
        restore(args)
    except Failure as e:
        print(f"autoglacier-restore-snapshot: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"autoglacier-restore-snapshot: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

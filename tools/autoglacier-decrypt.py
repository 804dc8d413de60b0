#!/usr/bin/env python3
"""Reference decryptor for AutoGlacier encrypted archives (container format version 1, docs/FORMAT.md).

Independent of AutoGlacier: needs only Python 3 and the `cryptography` package
(Debian/Ubuntu: apt install python3-cryptography; elsewhere: pip install cryptography).

    autoglacier-decrypt.py --key private.pem [--passphrase-env VAR] ARCHIVE > plaintext
    autoglacier-decrypt.py --key private.pem archive.agc | xz -d | tar -x
    autoglacier-decrypt.py --seed --key my_rsa_private.pem seed-archive > backup.tar.xz

--seed reads archives of the Python tool this project grew from (docs/MIGRATION.md): RSA-OAEP(SHA-1)-wrapped
AES key, 16-byte EAX nonce, 16-byte EAX tag, AES-EAX ciphertext. EAX is CTR plus OMAC (= CMAC), both in
`cryptography`; its tag covers the whole archive, so the file is read twice: first to check the tag, then to
decrypt. Nothing is written unless the tag matches. Its private keys (scrypt + AES-128-CBC PKCS#8) load as is.

The passphrase is read from $AUTOGLACIER_PASSPHRASE (or the variable named by --passphrase-env), else prompted.
Plaintext is written chunk by chunk, each chunk only after it authenticated; memory stays constant. Any failure
exits non-zero with a message. Note: if the archive turns out to be damaged partway, the chunks before the damage
have already been written, so always check the exit status (e.g. `set -o pipefail`).
"""
import argparse
import getpass
import hashlib
import hmac
import os
import struct
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import cmac, hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"AGLACIER\r\n\x1a\n"
VERSION = 1
MIN_CHUNK, MAX_CHUNK = 4 * 1024, 64 * 1024 * 1024
MAX_RECIPIENTS = 64
MIN_WRAPPED, MAX_WRAPPED = 256, 2048
TAG = 16
ADVICE = "the archive was modified or truncated; try another copy"


class Failure(Exception):
    """A problem to report to the user; the message never holds secrets."""


def read_exact(f, n, what):
    data = f.read(n)
    if len(data) != n:
        raise Failure(f"the archive ends inside its header (reading the {what}): truncated or not an AutoGlacier archive")
    return data


def read_header(f):
    """Returns (header_bytes, chunk_size, [(fingerprint, wrapped_key)])."""
    raw = bytearray()

    def take(n, what):
        data = read_exact(f, n, what)
        raw.extend(data)
        return data

    if take(len(MAGIC), "magic") != MAGIC:
        raise Failure("not an AutoGlacier encrypted archive (bad magic)")
    (version,) = struct.unpack(">H", take(2, "format version"))
    if version != VERSION:
        raise Failure(f"format version {version} is not supported by this script (it reads version {VERSION})")
    (chunk_size,) = struct.unpack(">I", take(4, "chunk size"))
    if not MIN_CHUNK <= chunk_size <= MAX_CHUNK:
        raise Failure(f"chunk size {chunk_size} out of range: {ADVICE}")
    (count,) = struct.unpack(">H", take(2, "recipient count"))
    if not 1 <= count <= MAX_RECIPIENTS:
        raise Failure(f"recipient count {count} out of range: {ADVICE}")
    recipients = []
    for i in range(count):
        fingerprint = take(32, f"recipient {i} fingerprint")
        (length,) = struct.unpack(">H", take(2, f"recipient {i} wrapped key length"))
        if not MIN_WRAPPED <= length <= MAX_WRAPPED:
            raise Failure(f"recipient {i} wrapped key length {length} out of range: {ADVICE}")
        recipients.append((fingerprint, take(length, f"recipient {i} wrapped key")))
    return bytes(raw), chunk_size, recipients


def load_private_key(path, passphrase_env):
    with open(path, "rb") as f:
        pem = f.read()
    password = None
    if b"ENCRYPTED" in pem:
        secret = os.environ.get(passphrase_env) or getpass.getpass(f"Passphrase for {path}: ")
        password = secret.encode("utf-8")
    try:
        key = serialization.load_pem_private_key(pem, password=password)
    except (ValueError, TypeError):
        raise Failure(f"cannot open the private key {path}: wrong passphrase or not a PEM private key") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise Failure(f"{path} is not an RSA private key")
    return key


def fingerprint_of(key):
    spki = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(spki).digest()


def unwrap_content_key(key, recipients):
    mine = fingerprint_of(key)
    wrapped = next((w for fp, w in recipients if fp == mine), None)
    if wrapped is None:
        listed = ", ".join(fp.hex() for fp, _ in recipients)
        raise Failure(f"the archive was not encrypted for key {mine.hex()}; it was encrypted for: {listed}")
    oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
    try:
        content_key = key.decrypt(wrapped, oaep)
    except ValueError:
        raise Failure(f"the wrapped key for {mine.hex()} does not decrypt (header damaged): {ADVICE}") from None
    if len(content_key) != 32:
        raise Failure(f"the unwrapped key is not 32 bytes: {ADVICE}")
    return content_key


def nonce(index, last):
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def decrypt_chunks(f, out, header, chunk_size, content_key):
    """STREAM: a chunk followed by no more bytes is the last one and must carry the last flag."""
    aead = AESGCM(content_key)
    aad = hashlib.sha256(header).digest()
    sealed_size = chunk_size + TAG
    index = 0
    pending = f.read(sealed_size + 1)  # one look-ahead byte tells whether another chunk follows
    while True:
        last = len(pending) <= sealed_size
        sealed, pending = (pending, b"") if last else (pending[:sealed_size], pending[sealed_size:])
        offset = len(header) + index * sealed_size
        if len(sealed) < TAG:
            raise Failure(f"the archive ends inside chunk {index} (byte offset {offset}): {ADVICE}")
        try:
            plain = aead.decrypt(nonce(index, last), sealed, aad)
        except InvalidTag:
            raise Failure(f"chunk {index} at byte offset {offset} failed authentication: {ADVICE}") from None
        if last and not plain and index > 0:
            raise Failure(f"chunk {index} is an empty final chunk, which a valid writer never produces: {ADVICE}")
        out.write(plain)
        if last:
            return
        index += 1
        pending += f.read(sealed_size + 1 - len(pending))


SEED_NONCE = SEED_TAG = 16
READ_SIZE = 1 << 20


def omac(key, t):
    """EAX's OMAC^t: CMAC over the block [t] followed by the data (update it, then finalize)."""
    mac = cmac.CMAC(algorithms.AES(key))
    mac.update(bytes(15) + bytes([t]))
    return mac


def decrypt_seed(f, out, key):
    """The Python seed's format: wrapped key | nonce | tag | EAX ciphertext (no associated data)."""
    wrapped = read_exact(f, key.key_size // 8, "wrapped session key")
    oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)
    try:
        session_key = key.decrypt(wrapped, oaep)
    except ValueError:
        raise Failure("this key does not open the seed archive (RSA-OAEP unwrap failed): another key, or not a seed archive") from None
    nonce = read_exact(f, SEED_NONCE, "EAX nonce")
    tag = read_exact(f, SEED_TAG, "EAX tag")
    start = f.tell()
    n_mac = omac(session_key, 0)
    n_mac.update(nonce)
    counter = n_mac.finalize()
    header_mac = omac(session_key, 1).finalize()
    c_mac = omac(session_key, 2)
    for block in iter(lambda: f.read(READ_SIZE), b""):
        c_mac.update(block)
    expected = bytes(a ^ b ^ c for a, b, c in zip(counter, header_mac, c_mac.finalize()))
    if not hmac.compare_digest(expected, tag):
        raise Failure(f"the seed archive's EAX tag does not match: {ADVICE}")
    f.seek(start)
    decryptor = Cipher(algorithms.AES(session_key), modes.CTR(counter)).decryptor()
    for block in iter(lambda: f.read(READ_SIZE), b""):
        out.write(decryptor.update(block))
    out.write(decryptor.finalize())


def main():
    parser = argparse.ArgumentParser(description="Decrypt an AutoGlacier archive to standard output.")
    parser.add_argument("--key", required=True, help="recipient private key (PEM)")
    parser.add_argument("--passphrase-env", default="AUTOGLACIER_PASSPHRASE",
                        help="environment variable holding the key passphrase (default: %(default)s)")
    parser.add_argument("--seed", action="store_true", help="the archive is the Python seed's (AES-EAX); see docs/MIGRATION.md")
    parser.add_argument("archive", help="encrypted archive file")
    args = parser.parse_args()
    try:
        key = load_private_key(args.key, args.passphrase_env)
        with open(args.archive, "rb") as f:
            if args.seed:
                decrypt_seed(f, sys.stdout.buffer, key)
                sys.stdout.buffer.flush()
                return 0
            header, chunk_size, recipients = read_header(f)
            content_key = unwrap_content_key(key, recipients)
            decrypt_chunks(f, sys.stdout.buffer, header, chunk_size, content_key)
        sys.stdout.buffer.flush()
    except Failure as e:
        print(f"autoglacier-decrypt: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"autoglacier-decrypt: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

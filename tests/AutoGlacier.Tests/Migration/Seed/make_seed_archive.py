#!/usr/bin/python3
"""Makes a backup exactly as the Python seed (AutoGlacier GTEU) did, with the library it used (PyCryptodome).

Test fixture for AutoGlacier's migration code (docs/MIGRATION.md), written from the seed's archive format:
  RSA-OAEP(SHA-1)-wrapped 16-byte AES key | 16-byte EAX nonce | 16-byte EAX tag | AES-EAX(compressed tar)
Member names are the absolute paths without the leading "/". The private key is PKCS#8 PEM protected with
scrypt + AES-128-CBC ("scryptAndAES128-CBC"), or unencrypted without a passphrase.

    make_seed_archive.py --out DIR --log LOG.json [--compression lzma|gzip|bzip2|none] [--key DIR]
                         [--upload ENDPOINT --region R --vault V] [--fail-after STEP] FILE...

The passphrase comes from $SEED_PASSPHRASE (unset: an unencrypted key); AWS credentials from the usual
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables. With --upload the archive goes to the (local) Glacier
server in one UploadArchive request through botocore, as the seed's boto3 call did, and its response is
recorded. Prints the run key on stdout.
"""
import argparse
import hashlib
import json
import os
import tarfile
import time

from Cryptodome.Cipher import AES, PKCS1_OAEP
from Cryptodome.PublicKey import RSA
from Cryptodome.Random import get_random_bytes

MODES = {"lzma": ("w:xz", ".tar.xz"), "gzip": ("w:gz", ".tar.gz"), "bzip2": ("w:bz2", ".tar.bz2"), "none": ("w", ".tar")}


def load_or_make_keys(key_dir, passphrase):
    private_path = os.path.join(key_dir, "my_rsa_private.pem")
    public_path = os.path.join(key_dir, "my_rsa_public.pem")
    if not os.path.exists(public_path):
        os.makedirs(key_dir, exist_ok=True)
        key = RSA.generate(2048)
        if passphrase:
            pem = key.export_key(passphrase=passphrase, pkcs=8, protection="scryptAndAES128-CBC")
        else:
            pem = key.export_key(pkcs=8)
        with open(private_path, "wb") as f:
            f.write(pem)
        with open(public_path, "wb") as f:
            f.write(key.publickey().export_key())
    with open(public_path, "rb") as f:
        return public_path, f.read().decode()


def regular_files(names):
    for name in names:
        if os.path.isdir(name):
            for root, _, children in sorted(os.walk(name)):
                yield from (os.path.join(root, child) for child in sorted(children))
        else:
            yield name


def file_entry(name):
    with open(name, "rb") as f:
        return {"SHA512": hashlib.sha512(f.read()).hexdigest(), "mod_time": os.path.getmtime(name), "abs_path": name}


def make_tar(files, out_dir, compression, stamp):
    mode, suffix = MODES[compression]
    path = os.path.join(out_dir, f"{stamp}{suffix}")
    with tarfile.open(path, mode) as tar:
        for name in files:
            tar.add(name, arcname=name.lstrip("/"))
    return path


def encrypt(tar_path, public_pem):
    session_key = get_random_bytes(16)
    wrapped = PKCS1_OAEP.new(RSA.import_key(public_pem)).encrypt(session_key)
    cipher = AES.new(session_key, AES.MODE_EAX)
    with open(tar_path, "rb") as f:
        ciphertext, tag = cipher.encrypt_and_digest(f.read())
    out = tar_path + ".enc"
    with open(out, "wb") as f:
        for part in (wrapped, cipher.nonce, tag, ciphertext):
            f.write(part)
    return out


def upload(path, endpoint, region, vault, description):
    import botocore.session
    client = botocore.session.get_session().create_client("glacier", region_name=region, endpoint_url=endpoint)
    client.create_vault(vaultName=vault)  # idempotent, as on AWS
    with open(path, "rb") as f:
        response = client.upload_archive(vaultName=vault, archiveDescription=description, body=f)
    return {k: response[k] for k in ("archiveId", "checksum", "location")}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--key", help="key directory (default: OUT/keys); keys are made once")
    p.add_argument("--compression", default="lzma", choices=sorted(MODES))
    p.add_argument("--description", default="seed fixture archive")
    p.add_argument("--region", default="eu-west-1")
    p.add_argument("--vault", default="TestVault1")
    p.add_argument("--upload", metavar="ENDPOINT")
    p.add_argument("--fail-after", choices=["gather", "encrypt"], help="stop like a run that failed part-way")
    p.add_argument("files", nargs="+")
    a = p.parse_args()
    passphrase = os.environ.get("SEED_PASSPHRASE") or None
    os.makedirs(a.out, exist_ok=True)
    stamp = time.time()
    record = {"TIMESTAMP": stamp, "timestring": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stamp)),
              "compression": a.compression, "region_name": a.region, "vault_name": a.vault, "descryption": a.description}
    public_path, public_pem = load_or_make_keys(a.key or os.path.join(a.out, "keys"), passphrase)
    record["public_key_path"] = public_path
    record["used_public_key"] = public_pem
    files = [file_entry(name) for name in regular_files(a.files)]
    record["files"] = files
    if a.fail_after != "gather":
        archive = encrypt(make_tar(a.files, a.out, a.compression, stamp), public_pem)
        record["archive_size"] = os.path.getsize(archive)
        if a.upload:
            record["response"] = upload(archive, a.upload, a.region, a.vault, a.description)
        record["JOB SUCCEED"] = a.fail_after is None
        print(archive)
    log = {}
    if os.path.exists(a.log) and os.path.getsize(a.log) > 0:
        with open(a.log) as f:
            log = json.load(f)
    log[stamp] = record  # json writes the float key as a string, as the seed's log did
    with open(a.log, "w") as f:
        json.dump(log, f, indent=4)
    print(repr(stamp))


if __name__ == "__main__":
    main()

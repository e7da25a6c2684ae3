#!/usr/bin/env python3
"""Writes the archives the ZIP reader tests read: one source tree packed by Python's zipfile,
Info-ZIP zip, 7z and bsdtar (seekable and streamed, so with and without data descriptors),
names that try to leave the folder, and entries the reader must refuse (encrypted, LZMA).

    make_archives.py OUTDIR [--small]    (--small: only the refused and hostile ones)
"""
import io
import os
import random
import subprocess
import sys
import zipfile

out = os.path.abspath(sys.argv[1])
small = "--small" in sys.argv[2:]
src = os.path.join(out, "src")
rng = random.Random(20261204)
STAMP = (2024, 5, 6, 7, 8, 10)

FILES = {
    "tree/Grüße/naïve café.txt": ("Grüße aus Köln. " * 4000).encode(),
    "tree/日本語/ファイル.bin": rng.randbytes(200 * 1024),
    "tree/empty.txt": b"",
    "tree/big.bin": rng.randbytes(4 * 1024 * 1024),
    "tree/docs/readme.md": b"# Ferry\n" + b"Read me.\n" * 500,
    "tree/docs/sub/notes.txt": b"notes\n" * 100,
}
for name, data in FILES.items():
    path = os.path.join(src, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)

env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")


def run(args, stdout=subprocess.DEVNULL):
    subprocess.run(args, cwd=src, env=env, check=True, stdout=stdout, stderr=subprocess.DEVNULL)


def method_of(name):
    return zipfile.ZIP_STORED if name.endswith(".bin") else zipfile.ZIP_DEFLATED


class Unseekable(io.RawIOBase):
    """A write-only stream: zipfile then writes data descriptors (flag bit 3)."""

    def __init__(self, f):
        self.f = f

    def writable(self):
        return True

    def write(self, b):
        return self.f.write(b)


def tree_archives():
    with zipfile.ZipFile(os.path.join(out, "python.zip"), "w") as z:
        z.writestr(zipfile.ZipInfo("tree/docs/", STAMP), b"")
        for name, data in FILES.items():
            z.writestr(zipfile.ZipInfo(name, STAMP), data, compress_type=method_of(name))
    with open(os.path.join(out, "python-stream.zip"), "wb") as raw:
        with zipfile.ZipFile(Unseekable(raw), "w") as z:
            for name, data in FILES.items():
                info = zipfile.ZipInfo(name, STAMP)
                info.compress_type = method_of(name)
                with z.open(info, "w") as w:
                    w.write(data)
    run(["zip", "-q", "-r", os.path.join(out, "infozip.zip"), "tree"])
    with open(os.path.join(out, "infozip-stream.zip"), "wb") as f:
        run(["zip", "-q", "-r", "-", "tree"], stdout=f)
    run(["7z", "a", "-tzip", "-bd", os.path.join(out, "7z.zip"), "tree"])
    run(["bsdtar", "--format", "zip", "-cf", os.path.join(out, "bsdtar.zip"), "tree"])


if not small:
    tree_archives()

# Refused entries next to good ones.
run(["zip", "-q", "-P", "secret", os.path.join(out, "encrypted.zip"), "tree/docs/readme.md",
     "tree/docs/sub/notes.txt"])
with zipfile.ZipFile(os.path.join(out, "methods.zip"), "w") as z:
    z.writestr("lzma.txt", b"lzma " * 1000, compress_type=zipfile.ZIP_LZMA)
    z.writestr("plain.txt", b"plain " * 1000, compress_type=zipfile.ZIP_DEFLATED)

# Names that try to leave the target folder, or clash once made safe.
with zipfile.ZipFile(os.path.join(out, "hostile.zip"), "w") as z:
    for name in ["../evil.txt", "/abs/root.txt", "C:\\win\\drive.txt", "a/../../up.txt",
                 "dir/../../../deep.txt", "link/inside.txt", "same.txt", "SAME.txt", "con.txt",
                 "ok.txt"]:
        info = zipfile.ZipInfo("x", (2024, 1, 1, 0, 0, 0))
        info.filename = name  # as given: ZipInfo() itself would clean some of these up
        z.writestr(info, ("content of " + name).encode())

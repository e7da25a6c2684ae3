#!/usr/bin/env python3
"""Writes a ZIP archive for the entry download tests with Python's zipfile.

Usage: make_entry_archive.py OUT.zip NAME=FILE:METHOD[:upath=UNICODE] ...
(METHOD: stored or deflated; UNICODE: a name for an Info-ZIP Unicode Path extra field, 0x7075,
which readers show instead of NAME)
Prints one JSON object: entry name -> {"offset": local header, "data": first data byte,
"packed": compressed size}.
"""
import json
import sys
import zipfile
import zlib

out = sys.argv[1]
with zipfile.ZipFile(out, "w") as z:
    for spec in sys.argv[2:]:
        name, rest = spec.split("=", 1)
        upath = None
        if ":upath=" in rest:
            rest, upath = rest.split(":upath=", 1)
        path, method = rest.rsplit(":", 1)
        kind = zipfile.ZIP_STORED if method == "stored" else zipfile.ZIP_DEFLATED
        if upath is None:
            z.write(path, name, compress_type=kind)
            continue
        info = zipfile.ZipInfo.from_file(path, name)
        info.compress_type = kind
        field = b"\x01" + zlib.crc32(name.encode("ascii")).to_bytes(4, "little") + upath.encode()
        info.extra = (0x7075).to_bytes(2, "little") + len(field).to_bytes(2, "little") + field
        with open(path, "rb") as src:
            z.writestr(info, src.read())
result = {}
with open(out, "rb") as f, zipfile.ZipFile(out) as z:
    for info in z.infolist():
        f.seek(info.header_offset + 26)
        head = f.read(4)
        name_len = int.from_bytes(head[0:2], "little")
        extra_len = int.from_bytes(head[2:4], "little")
        result[info.filename] = {"offset": info.header_offset,
                                 "data": info.header_offset + 30 + name_len + extra_len,
                                 "packed": info.compress_size}
print(json.dumps(result))

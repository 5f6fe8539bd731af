"""Precompressed copies beside the files worth compressing (name.gz, gzip -9, and name.br,
brotli, pinned in requirements.txt), for servers that serve them as they are (nginx
gzip_static, see deploy/nginx.conf; brotli_static where that module is installed).
Compressing the 9.6 MB wasm takes seconds: results are cached by content digest in the
temporary folder, and a cached copy is used only if it unpacks to exactly the file's bytes
(the folder is shared with other accounts: never trusted by its name)."""

import gzip
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import brotli

SUFFIXES = {".html", ".js", ".mjs", ".css", ".json", ".wasm", ".xml", ".txt", ".svg", ".map", ".pages"}
MIN_BYTES = 1024
CACHE = Path(tempfile.gettempdir()) / "handbook-gzip"


PACKERS = {
    ".gz": lambda data: gzip.compress(data, 9, mtime=0),
    ".br": lambda data: brotli.compress(data, quality=9, lgwin=24),  # 11 takes ~30 s on the wasm
}
UNPACKERS = {".gz": gzip.decompress, ".br": brotli.decompress}


def _unpacks_to(packed: bytes, suffix: str, data: bytes) -> bool:
    try:
        return UNPACKERS[suffix](packed) == data
    except Exception:   # not a valid stream at all (zlib.error, brotli.error, EOFError…)
        return False


def _packed(data: bytes, suffix: str) -> bytes:
    key = hashlib.sha256(data).hexdigest()
    cached = CACHE / key[:2] / (key + suffix)
    if cached.is_file() and not cached.is_symlink():
        packed = cached.read_bytes()
        if _unpacks_to(packed, suffix, data):
            return packed
    packed = PACKERS[suffix](data)
    cached.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")   # never a name planted beforehand
    with os.fdopen(fd, "wb") as f:
        f.write(packed)
    os.replace(tmp, cached)
    return packed


def precompress(site_dir) -> list[Path]:
    written = []
    for path in sorted(Path(site_dir).rglob("*")):
        if not path.is_file() or path.suffix not in SUFFIXES or path.stat().st_size < MIN_BYTES:
            continue
        data = path.read_bytes()
        for suffix in PACKERS:
            packed = _packed(data, suffix)
            if len(packed) < len(data) * 0.9:  # not worth a second file otherwise
                target = path.with_name(path.name + suffix)
                target.write_bytes(packed)
                shutil.copystat(path, target)
                written.append(target)
    return written

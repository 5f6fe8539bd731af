"""The build's cache of slow products (the calculators' wheel, the bytecode standard library,
the memory snapshot), kept in the temporary folder between builds and verified by content
every time it is used, never trusted by its folder's name.

The temporary folder is shared with every other local account, and a folder's name (a digest
of public sources) is easy to predict: anyone could plant a wheel there first. So each cached
folder carries a seal: the SHA-256 of each of its files, authenticated with a key that only
this account can read (`~/.cache/handbook/build-cache.key`, created on first use, mode 0600).
A folder whose files, file list or seal do not match is set aside and made again. The digests
of a verified folder are what the build publishes (and what the page checks the files by)."""

import hashlib
import hmac
import json
import os
import secrets
import shutil
import stat
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable

SEAL = "seal.json"


def _key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "handbook" / "build-cache.key"


@lru_cache(maxsize=1)
def _key() -> bytes:
    """This account's secret. Where it cannot be kept privately, a key for this process
    only: nothing cached by an earlier build is then used (slower, never wrong)."""
    path = _key_file()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(secrets.token_bytes(32))
        info = os.lstat(path)
        folder = os.lstat(path.parent)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077 \
                or folder.st_uid != os.getuid() or folder.st_mode & 0o022:
            return secrets.token_bytes(32)
        key = path.read_bytes()
        return key if len(key) >= 32 else secrets.token_bytes(32)
    except OSError:
        return secrets.token_bytes(32)


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _mac(files: dict) -> str:
    return hmac.new(_key(), json.dumps(files, sort_keys=True).encode(), hashlib.sha256).hexdigest()


def _contents(folder: Path) -> dict[str, str]:
    """Every file under the folder (the seal aside): relative name -> SHA-256. Anything that
    is not a plain file (a link, a device) makes the folder unusable."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            raise ValueError(f"{path} is not a plain file")
        if path.is_file() and path.name != SEAL:
            files[path.relative_to(folder).as_posix()] = file_digest(path)
    return files


def seal(folder: Path) -> dict[str, str]:
    files = _contents(folder)
    (folder / SEAL).write_text(json.dumps({"files": files, "mac": _mac(files)}, indent=1), encoding="utf-8")
    return files


def verified(folder: Path) -> dict[str, str] | None:
    """The folder's files and their SHA-256 if every byte is what this account sealed;
    None otherwise (missing, planted, altered, incomplete)."""
    try:
        if folder.is_symlink() or not folder.is_dir():
            return None
        record = json.loads((folder / SEAL).read_text(encoding="utf-8"))
        files = record["files"]
        if not isinstance(files, dict) or not hmac.compare_digest(str(record["mac"]), _mac(files)):
            return None
        return files if _contents(folder) == files else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def cached(folder: Path, make: Callable[[Path], None]) -> dict[str, str]:
    """The folder's verified files, made by `make(work_folder)` when there is no verified
    copy. A folder that fails verification is set aside (and removed), never used."""
    files = verified(folder)
    if files is not None:
        return files
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        make(work)
        seal(work)
        files = verified(folder)   # a parallel build of this account may have finished first
        if files is not None:
            return files
        if folder.exists() or folder.is_symlink():
            aside = Path(tempfile.mkdtemp(prefix=f".{folder.name}-rejected-", dir=folder.parent))
            try:
                os.rename(folder, aside / "old")
            except OSError:
                pass
            shutil.rmtree(aside, ignore_errors=True)
        try:
            os.rename(work, folder)   # atomic; a parallel build may have placed its own copy
        except OSError:
            pass
    finally:
        shutil.rmtree(work, ignore_errors=True)
    files = verified(folder)
    if files is None:
        raise RuntimeError(f"{folder}: the cached files changed while the build used them")
    return files

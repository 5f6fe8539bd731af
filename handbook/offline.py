"""The service worker for offline use: handbook/sw.js written to the site's root with a
digest of every file of this build, so each build has its own cache and replaces the last."""

import hashlib
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "sw.js"
NAME = "sw.js"


def build_digest(site_dir: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(site_dir.rglob("*")):
        if path.is_file() and path.name != NAME and path.suffix not in (".gz", ".br"):
            h.update(path.relative_to(site_dir).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]


def write_service_worker(site_dir: Path) -> str:
    digest = build_digest(site_dir)
    (site_dir / NAME).write_text(SOURCE.read_text(encoding="utf-8").replace("@BUILD@", digest), encoding="utf-8")
    return digest

"""The service worker for offline use: handbook/sw.js written to the site's root with a
digest of every file of this build (so each build has its own cache and replaces the last),
the site's pages with their titles (kept for offline reading once the first page has been
visited, and listed on the page shown offline for a page that is not kept), and the theme's
sitemap and search index (instant navigation and search offline)."""

import hashlib
import json
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "sw.js"
NAME = "sw.js"
FILES = ("sitemap.xml", "search/search_index.json")


def build_digest(site_dir: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(site_dir.rglob("*")):
        if path.is_file() and path.name != NAME and path.suffix not in (".gz", ".br"):
            h.update(path.relative_to(site_dir).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]


def write_service_worker(site_dir: Path, pages: list[tuple[str, str]] = (), site_name: str = "") -> str:
    """`pages`: (address relative to the site's root, title) of the pages to keep offline."""
    digest = build_digest(site_dir)
    kept = [[url, title] for url, title in pages if (site_dir / url / "index.html").is_file()
            or (site_dir / url).is_file()]
    files = [f for f in FILES if (site_dir / f).is_file()]
    text = (SOURCE.read_text(encoding="utf-8").replace("@BUILD@", digest)
            .replace("/*@PAGES@*/[]", json.dumps(kept, ensure_ascii=False))
            .replace('/*@SITE@*/""', json.dumps(site_name, ensure_ascii=False))
            .replace("/*@FILES@*/[]", json.dumps(files)))
    (site_dir / NAME).write_text(text, encoding="utf-8")
    return digest

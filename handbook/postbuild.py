"""Steps on the finished site, in order: the Content-Security-Policy (hashes of the inline
scripts in the final HTML), the service worker (a digest of the final files, and the pages
to keep offline), then the precompressed copies of the large files."""

from pathlib import Path

from handbook import compress, offline
from handbook import csp as csp_policy


def finish(site_dir, csp: bool = True, pages=(), site_name: str = "") -> None:
    site = Path(site_dir)
    if csp:
        csp_policy.apply(site)
    offline.write_service_worker(site, pages, site_name)
    compress.precompress(site)

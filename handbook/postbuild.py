"""Steps on the finished site, in order: the Content-Security-Policy (the templates' inline
scripts, checked against the final HTML), the service worker (a digest of the final files,
and the pages to keep offline), then the precompressed copies of the large files."""

from pathlib import Path

from handbook import compress, offline
from handbook import csp as csp_policy


def drop_source_maps(site: Path) -> None:
    """The theme's source maps (about 1.3 MB) serve only a developer's debugger: not published."""
    for path in site.glob("assets/**/*.map"):
        path.unlink()


def finish(site_dir, template_dirs, csp: bool = True, pages=(), site_name: str = "") -> None:
    """`csp=False` for `mkdocs serve`, whose live-reload script is inline: no policy, and the
    source maps stay for debugging. `pages`: (address, title) kept for offline reading."""
    site = Path(site_dir)
    if csp:
        drop_source_maps(site)
        csp_policy.apply(site, template_dirs)
    offline.write_service_worker(site, pages, site_name)
    compress.precompress(site)

"""Content-Security-Policy for every page: the site's own scripts, workers and wasm only,
the theme's inline scripts allowed by their SHA-256 (computed here, on the final HTML), no
other host. The same policy goes into each page's <meta> and into nginx-csp.conf, which
deploy/nginx.conf includes to send it as a header (a header also covers the workers)."""

import base64
import hashlib
import re
from pathlib import Path

INLINE_SCRIPT_RE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
CHARSET = '<meta charset="utf-8">'
HEADER_FILE = "nginx-csp.conf"
# Data, not code: the browser never runs these, so they need no hash.
DATA_TYPES = ("application/json", "application/ld+json", "text/template")


def inline_hashes(html: str) -> set[str]:
    found = set()
    for m in INLINE_SCRIPT_RE.finditer(html):
        attrs = m["attrs"]
        if "src=" in attrs or any(t in attrs for t in DATA_TYPES):
            continue
        digest = base64.b64encode(hashlib.sha256(m["body"].encode("utf-8")).digest()).decode()
        found.add(f"'sha256-{digest}'")
    return found


def policy(hashes) -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval' " + " ".join(sorted(hashes)),
        "worker-src 'self'",
        "connect-src 'self'",
        "img-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",  # the theme sets style attributes
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def apply(site_dir) -> str:
    site = Path(site_dir)
    pages = sorted(site.rglob("*.html"))
    texts = {p: p.read_text(encoding="utf-8") for p in pages}
    hashes = set().union(*(inline_hashes(t) for t in texts.values())) if texts else set()
    csp = policy(hashes)
    meta = f'{CHARSET}\n      <meta http-equiv="Content-Security-Policy" content="{csp}">'
    for path, text in texts.items():
        if CHARSET in text and "Content-Security-Policy" not in text:
            path.write_text(text.replace(CHARSET, meta, 1), encoding="utf-8")
    (site / HEADER_FILE).write_text(
        "# Written by the build (handbook/csp.py): the same policy as each page's <meta>.\n"
        f'add_header Content-Security-Policy "{csp}" always;\n', encoding="utf-8")
    return csp

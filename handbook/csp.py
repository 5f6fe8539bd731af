"""Content-Security-Policy for every page: the site's own scripts, workers and wasm only, no
other host. Inline scripts are allowed by their SHA-256, and only those the theme's and our
templates write: the templates' <script> bodies are the allow-list, so a script that reaches
a page from content (a document's Markdown, a released snapshot) is never allowed; it fails
the build instead (content_scripts on each page's body, apply on the finished site).

The same policy goes into each page's <meta> and into nginx-csp.conf, which
deploy/nginx.conf includes to send it as a header (a header also covers the workers). The
header adds what a <meta> cannot carry: frame-ancestors."""

import base64
import hashlib
import re
from pathlib import Path

SCRIPT_RE = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
TYPE_RE = re.compile(r"""\btype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
SRC_RE = re.compile(r"\bsrc\s*=", re.I)
CHARSET = '<meta charset="utf-8">'
HEADER_FILE = "nginx-csp.conf"
# Data, not code: the browser never runs a script element of these types.
DATA_TYPES = ("application/json", "application/ld+json", "text/template")
# Header only: a <meta> policy may not say who can frame the page (browsers ignore it there,
# with a console warning). 'self': framing by another intranet host is refused; the site's
# own origin can read it anyway.
HEADER_ONLY = "frame-ancestors 'self'"
# A template value inside an allowed script ({{ base_url }}, ...): a relative or absolute path
# or a plain name, never a quote, bracket, semicolon or backslash that could end a string.
FILL = r"[\w./~%:+-]*"
JINJA_EXPR = re.compile(r"(\s*)\{\{(-?)(.*?)(-?)\}\}(\s*)", re.S)


class PolicyError(ValueError):
    """A page the policy cannot cover as it stands; the message names each page, in Chinese."""


def _type(attrs: str) -> str:
    m = TYPE_RE.search(attrs)
    return "" if m is None else next(g for g in m.groups() if g is not None).strip().lower()


def is_data(attrs: str) -> bool:
    return _type(attrs) in DATA_TYPES


def _pattern(body: str) -> re.Pattern | None:
    """A template's script body as a pattern: its literal text, each {{ … }} any FILL.
    A body with {% … %} logic is not understood, so not allowed (the build then says so)."""
    if "{%" in body or "{#" in body:
        return None
    out, end = [], 0
    for m in JINJA_EXPR.finditer(body):
        out.append(re.escape(body[end:m.start()]))
        before, strip_left, _, strip_right, after = m.groups()
        out.append(("" if strip_left else re.escape(before)) + FILL + ("" if strip_right else re.escape(after)))
        end = m.end()
    out.append(re.escape(body[end:]))
    return re.compile("".join(out), re.S)


def template_scripts(template_dirs) -> list[re.Pattern]:
    """The inline scripts the templates can write (theme first-party code), as patterns."""
    found = {}
    for folder in template_dirs:
        for path in sorted(Path(folder).rglob("*.html")):
            for m in SCRIPT_RE.finditer(path.read_text(encoding="utf-8")):
                if SRC_RE.search(m["attrs"]) or is_data(m["attrs"]) or not m["body"].strip():
                    continue
                pattern = _pattern(m["body"])
                if pattern is not None:
                    found[pattern.pattern] = pattern
    return list(found.values())


def allowed(body: str, patterns) -> bool:
    return any(p.fullmatch(body) for p in patterns)


def _excerpt(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "…"


def content_scripts(html: str) -> list[str]:
    """A page body (the HTML of its Markdown, macros expanded) holds no script of any kind:
    the handbook's scripts come from its templates and assets, never from content."""
    found = re.findall(r"<script\b[^>]*>(?:(.*?)</script\s*>)?", html, re.S | re.I)
    if not found:
        return []
    return [f"正文中有 {len(found)} 处 <script>（第一处：{_excerpt(found[0]) or '外部脚本'}）。"
            "受控文件、发布快照和生成的页面中不能写脚本，请删去（要显示代码，请放在代码块中）"]


def digest(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def inline_scripts(html: str) -> list[str]:
    """The bodies of a page's inline scripts that the browser runs."""
    return [m["body"] for m in SCRIPT_RE.finditer(html)
            if not SRC_RE.search(m["attrs"]) and not is_data(m["attrs"])]


def inline_hashes(html: str) -> set[str]:
    return {digest(body) for body in inline_scripts(html)}


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


def meta_tag(csp: str) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{csp}">'


def apply(site_dir, template_dirs) -> str:
    """Put the policy on every page and into nginx-csp.conf; refuse (ValueError, naming each
    page: PolicyError) an inline script that no template writes, or a page with nowhere to put it."""
    site = Path(site_dir)
    patterns = template_scripts(template_dirs)
    texts = {p: p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}
    hashes, problems = set(), []
    for path, text in texts.items():
        rel = path.relative_to(site).as_posix()
        if CHARSET not in text:
            problems.append(f"{rel}：页面没有 {CHARSET}，无法加上 Content-Security-Policy")
        for body in inline_scripts(text):
            if allowed(body, patterns):
                hashes.add(digest(body))
            else:
                problems.append(f"{rel}：页面中有一段不是手册模板写出的脚本（{_excerpt(body)}），不予放行")
    if problems:
        raise PolicyError("\n".join(problems))
    csp = policy(hashes)
    meta = f"{CHARSET}\n      {meta_tag(csp)}"
    for path, text in texts.items():
        if meta_tag(csp) not in text:
            path.write_text(text.replace(CHARSET, meta, 1), encoding="utf-8")
    (site / HEADER_FILE).write_text(
        "# Written by the build (handbook/csp.py): each page's <meta> policy, and who may frame the site.\n"
        f'add_header Content-Security-Policy "{csp}; {HEADER_ONLY}" always;\n', encoding="utf-8")
    return csp

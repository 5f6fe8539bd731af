"""Clause anchors: <document number>-<article>[-<item>], e.g. XY-03-4-1 is item (一) of
article 4 (第四条) of document XY-03. Each document lives at docs/<part>/<number>.md, so a
clause's page follows from its document number."""

import posixpath
import re
from functools import lru_cache

from calc.citation import CLAUSE_RE, chinese_number
from calc.parameters import policy


def parse(clause: str) -> re.Match:
    m = CLAUSE_RE.match(clause)
    if not m:
        raise ValueError(f"不是条款编号：{clause}")
    return m


@lru_cache(maxsize=1)
def _item_labels() -> dict[str, str]:
    """Items that keep their source's letters (XY-04 第八条 (a)…(i)): clause -> letter."""
    found = {}

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("item_mark"), str) and isinstance(node.get("clause"), str):
                found[node["clause"]] = node["item_mark"]
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(policy())
    return found


def label(clause: str) -> str:
    """XY-03-4-1 -> 'XY-03 第四条第（一）项'; a lettered item keeps its letter: 第（a）项."""
    m = parse(clause)
    text = f"{m['doc']} 第{chinese_number(int(m['article']))}条"
    if m["item"]:
        text += f"第（{_item_labels().get(clause) or chinese_number(int(m['item']))}）项"
    return text


def href(clause: str, from_url: str, doc_urls: dict[str, str]) -> str:
    """Link from the page at from_url (site-relative, e.g. 'calculators/') to a clause."""
    from mkdocs.utils import get_relative_url

    target = doc_urls[parse(clause)["doc"]]
    if target == from_url:
        return f"#{clause}"
    return f"{get_relative_url(target, from_url)}#{clause}"


def markdown_link(clause: str, from_src: str, doc_srcs: dict[str, str]) -> str:
    """A Markdown link from one source page to a clause; MkDocs checks and rewrites it."""
    target = doc_srcs[parse(clause)["doc"]]
    rel = "" if target == from_src else posixpath.relpath(target, posixpath.dirname(from_src) or ".")
    return f"[{label(clause)}]({rel}#{clause})"


_ID_RE = re.compile(r'\sid="([A-Z]{2}-\d{2}-[\d-]+)"')
_ITEM_RE = re.compile(r'(<(p|li|div)\b[^>]*\sid="([A-Z]{2}-\d{2}-\d+-\d+)"[^>]*>)(.*?)(</\2>)', re.S)


def anchor_list(html: str) -> list[str]:
    return _ID_RE.findall(html)


def anchors_in(html: str) -> set[str]:
    return set(anchor_list(html))


def add_item_permalinks(html: str) -> str:
    """Headings get permalinks from the toc extension; items (paragraphs with a clause id)
    get the same ¶ link here, so every clause can be linked to."""
    def add(m: re.Match) -> str:
        open_tag, _, cid, body, close = m.groups()
        link = f'<a class="headerlink" href="#{cid}" title="{label(cid)}">¶</a>'
        return f"{open_tag}{body}{link}{close}"
    return _ITEM_RE.sub(add, html)


class CitationRegister:
    """Every clause the site cites, checked at the end of the build against the anchors
    that were really rendered: a citation that points nowhere fails the build."""

    def __init__(self):
        self.anchors: dict[str, set[str]] = {}   # page url -> clause ids on it
        self.citations: list[tuple[str, str]] = []  # (citing page, clause)

    def cite(self, page_src: str, clause: str) -> None:
        self.citations.append((page_src, clause))

    def record(self, page_url: str, html: str) -> None:
        self.anchors[page_url] = anchors_in(html)

    def dangling(self, doc_urls: dict[str, str]) -> list[str]:
        missing = []
        for page, clause in self.citations:
            doc = parse(clause)["doc"]
            url = doc_urls.get(doc)
            if url is None or clause not in self.anchors.get(url, set()):
                missing.append(f"{page} 引用了不存在的条款 {clause}")
        return sorted(set(missing))

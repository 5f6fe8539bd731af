"""The site's view of released revisions: a page per revision (superseded ones marked and
kept out of search), a redline page per revision against the one before, the revision log
on each document's page, and the JSON that the change register, the point-in-time page and
the comparison picker read."""

import json
import posixpath
import re
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from calc import redline
from handbook import articles, revisions, roster, templates
from handbook.documents import Document
from handbook.revisions import KINDS, Revision

DATA_DIR = "assets/revisions"


def part_dir(doc: Document) -> str:
    return doc.src_uri.rsplit("/", 1)[0]


def revision_src(doc: Document, rev: Revision) -> str:
    return f"{part_dir(doc)}/{doc.number}-v{rev.version}.md"


def redline_src(doc: Document, old: Revision, new: Revision) -> str:
    return f"{part_dir(doc)}/{doc.number}-redline-{old.version}-{new.version}.md"


def _flatten_links(body: str) -> str:
    """An old revision keeps its links within itself; links to other pages become plain
    text, since those pages may since have changed (and a snapshot never changes)."""
    return re.sub(r"\[([^\]]+)\]\(([^)#]*)(#[^)]*)?\)",
                  lambda m: f"[{m[1]}]({m[3]})" if not m[2] and m[3] else m[1], body)


def revision_page(doc: Document, rev: Revision, current: Revision, root: Path) -> str:
    header, body = revisions.snapshot_text(root / rev.file)
    superseded = rev.version != current.version
    control = templates.render("revision-header.html",
        header=header, rev=rev, kind=KINDS[rev.kind], superseded=superseded, current=current,
        current_href=posixpath.basename(doc.src_uri), names=roster.name)
    # Kept out of search, superseded or not: search must lead to the document's own page,
    # so nobody acts on an obsolete rule by accident.
    front = "---\nsearch:\n  exclude: true\n---\n\n"
    title = f"# {doc.number} {header['title']}（第 {rev.version} 版）\n\n"
    return front + title + control + "\n\n" + _flatten_links(body)


def redline_page(doc: Document, old: Revision, new: Revision, html: str) -> str:
    return ("---\nsearch:\n  exclude: true\n---\n\n"
            f"# {doc.number} {doc.title}：第 {old.version} 版与第 {new.version} 版对照\n\n"
            f"[第 {old.version} 版]({posixpath.basename(revision_src(doc, old))}) → "
            f"[第 {new.version} 版]({posixpath.basename(revision_src(doc, new))})"
            f"（{KINDS[new.kind]}：{new.summary}）\n\n" + html + "\n")


@lru_cache(maxsize=None)
def article_data(rev: Revision, root: Path) -> list[dict]:
    """A revision's articles cut into words (cached: the redlines and the picker's JSON
    both need them, and a released snapshot never changes)."""
    _, body = revisions.snapshot_text(root / rev.file)
    return [{k: a[k] for k in ("id", "number", "title", "tokens")} for a in articles.tokenised(body)]


def compare(old: Revision, new: Revision, root: Path) -> str:
    result = redline.compare(article_data(old, root), article_data(new, root))
    return redline.render(result, f"第 {old.version} 版", f"第 {new.version} 版")


def pages(docs: dict[str, Document], manifest: dict[str, list[Revision]], root: Path) -> dict[str, str]:
    """src_uri -> Markdown of every generated revision and redline page."""
    out = {}
    for number, revs in manifest.items():
        doc = docs[number]
        for k, rev in enumerate(revs):
            out[revision_src(doc, rev)] = revision_page(doc, rev, revs[-1], root)
            if k:
                out[redline_src(doc, revs[k - 1], rev)] = redline_page(doc, revs[k - 1], rev, compare(revs[k - 1], rev, root))
    return out


def revision_log(doc: Document, revs: list[Revision]) -> str:
    """The document page's 版本更新记录: every revision, linked, with its redline."""
    return templates.render("revision-log.html",
        doc=doc, revs=list(reversed(revs)), kinds=KINDS, names=roster.name,
        page=lambda r: posixpath.basename(revision_src(doc, r))[:-3] + "/",
        redline=lambda a, b: posixpath.basename(redline_src(doc, a, b))[:-3] + "/",
        previous={r.version: revs[k - 1] for k, r in enumerate(revs) if k})


def changes(docs: dict[str, Document], manifest: dict[str, list[Revision]]) -> list[dict]:
    """Every release across the handbook, newest first (the change register)."""
    out = []
    for number, revs in manifest.items():
        doc = docs[number]
        for k, r in enumerate(revs):
            out.append({**{key: v for key, v in asdict(r).items() if key not in ("file", "sha256")},
                        "title": doc.title, "part": doc.part, "kind_text": KINDS[r.kind],
                        "approver_name": roster.name(r.approver),
                        "page": revision_src(doc, r)[:-3] + "/",
                        "redline": redline_src(doc, revs[k - 1], r)[:-3] + "/" if k else None,
                        "previous": revs[k - 1].version if k else None})
    return sorted(out, key=lambda c: (c["released"], c["effective"], c["document"], c["version"]), reverse=True)


def data_files(docs: dict[str, Document], manifest: dict[str, list[Revision]], root: Path) -> dict[str, str]:
    """Site path -> JSON text: the change register for other systems, and each document's
    revisions as words for the comparison picker."""
    out = {f"{DATA_DIR}/changes.json": json.dumps(changes(docs, manifest), ensure_ascii=False, indent=1)}
    for number, revs in manifest.items():
        out[f"{DATA_DIR}/{number}.json"] = json.dumps(
            {"document": number, "title": docs[number].title,
             "revisions": {r.version: article_data(r, root) for r in revs}}, ensure_ascii=False)
    return out


def change_register(rows: list[dict], root: str, docs: list[Document]) -> str:
    return templates.render("change-register.html", rows=rows, root=root, docs=docs,
                                                             parts=sorted({d.part for d in docs}),
                                                             json_href=f"{root}{DATA_DIR}/changes.json")


def point_in_time(docs: dict[str, Document], manifest: dict[str, list[Revision]], root: str) -> str:
    data = {n: {"title": d.title, "page": f"{root}{d.src_uri[:-3]}/",
                "revisions": [{"version": r.version, "effective": r.effective,
                               "page": f"{root}{revision_src(d, r)[:-3]}/"} for r in manifest.get(n, [])]}
            for n, d in sorted(docs.items())}
    return templates.render("point-in-time.html", data=json.dumps(data, ensure_ascii=False))


def picker(docs: dict[str, Document], manifest: dict[str, list[Revision]], root: str, wheel: str) -> str:
    data = {n: {"title": docs[n].title, "versions": [r.version for r in revs]}
            for n, revs in sorted(manifest.items())}
    return templates.render("revision-picker.html",
        data=json.dumps(data, ensure_ascii=False), base=f"{root}{DATA_DIR}/", wheel=wheel)

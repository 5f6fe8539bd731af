"""The site's view of released revisions: a page per revision (kept out of search), a
redline page per revision against the one before, the revision log on each document's
page, and the JSON that the change register, the point-in-time page and the comparison
picker read.

Which version is in force depends on the day the page is read, not the day it was built:
every status (现行 / 将于 … 生效 / 已被替代) is written at build time as the no-script
fallback and recomputed by revisions.js in the reader's browser, in China time, by the
same rule as `status()` here."""

import datetime as dt
import json
import posixpath
import re
from dataclasses import asdict
from functools import lru_cache
from html import escape
from pathlib import Path

from markupsafe import Markup

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


def build_day() -> dt.date:
    from calc.parameters import today

    return today()


# --- in force on a day ----------------------------------------------------------------

def status(revs: list[Revision], rev: Revision, day: dt.date) -> dict:
    """The state of `rev` on `day` and its words. revisions.js `status` is the same rule."""
    iso = day.isoformat()
    k = revs.index(rev)
    replaced = next((r for r in revs[k + 1:] if r.effective <= max(iso, rev.effective)), None)
    if replaced:
        return {"state": "superseded", "text": f"已被替代（由第 {replaced.version} 版替代）"}
    if rev.effective > iso:
        until = revisions.in_force(revs, day)
        tail = f"；在此之前适用第 {until.version} 版" if until else "；在此之前尚无生效版本"
        return {"state": "pending", "text": f"将于 {rev.effective} 生效" + (tail if rev is revs[-1] else "")}
    return {"state": "current", "text": "现行"}


def status_html(revs: list[Revision], rev: Revision, pages: dict[str, str] | None = None,
                name_in_force: bool = False) -> Markup:
    """A status the browser updates: the revisions as data, the build day's words inside."""
    data = [[r.version, r.effective, (pages or {}).get(r.version, "")] for r in revs]
    s = status(revs, rev, build_day())
    return Markup(templates.render("revision-status.html", data=json.dumps(data), version=rev.version, s=s,
                                   name_in_force=name_in_force))


def chain_head() -> str:
    return revisions.head(revisions.entries())


def revision_state(number: str) -> Markup:
    """For the document page's control block (doc-control.html): its latest version's state."""
    revs = revisions.load().get(number)
    if not revs:
        return Markup("未发布")
    return status_html(revs, revs[-1], {r.version: f"../{number}-v{r.version}/" for r in revs})


def latest_state(number: str) -> Markup:
    """For the document register: the latest version's state (no links: any page)."""
    revs = revisions.load().get(number)
    return status_html(revs, revs[-1]) if revs else Markup("未发布")


# The control block (rendered by handbook.pages) reads these two by name.
templates._env.globals.update(revision_state=revision_state, chain_head=chain_head)


# --- pages ----------------------------------------------------------------------------

def _flatten_links(body: str) -> str:
    """An old revision keeps its links within itself; links to other pages become plain
    text, since those pages may since have changed (and a snapshot never changes)."""
    return re.sub(r"\[([^\]]+)\]\(([^)#]*)(#[^)]*)?\)",
                  lambda m: f"[{m[1]}]({m[3]})" if not m[2] and m[3] else m[1], body)


# Generated pages hold released text: never run through the template engine again
# (render_macros: false), so "{{ 7*6 }}" typed in a rule stays as typed.
FRONT = "---\nsearch:\n  exclude: true\nrender_macros: false\n---\n\n"


def revision_page(doc: Document, rev: Revision, revs: list[Revision], root: Path, link=None) -> str:
    """`link(clause)`: a clause's link from this page (for its impact section)."""
    from handbook import impact_section

    header, body = revisions.snapshot_text(root / rev.file)
    impact = impact_section.section(doc.number, revs, revs.index(rev), header, link)
    pages = {r.version: f"../{posixpath.basename(revision_src(doc, r))[:-3]}/" for r in revs}
    control = templates.render("revision-header.html",
        header=header, rev=rev, kind=KINDS[rev.kind], status=status_html(revs, rev, pages, name_in_force=True),
        s=status(revs, rev, build_day()),
        current_href=f"../{posixpath.basename(doc.src_uri)[:-3]}/", names=roster.name)
    title = f"# {doc.number} {header['title']}（第 {rev.version} 版）\n\n"
    return FRONT + title + control + "\n\n" + (impact + "\n\n" if impact else "") + _flatten_links(body)


def redline_page(doc: Document, old: Revision, new: Revision, html: str) -> str:
    header = (f'<div class="print-header">{doc.number} {escape(doc.title)}　第 {old.version} 版与第 {new.version} 版对照'
              f'　｜　打印件为非受控文件，以发布存档为准</div>\n\n')
    return (FRONT + f"# {doc.number} {doc.title}：第 {old.version} 版与第 {new.version} 版对照\n\n" + header +
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
    urls = {n: d.src_uri[:-3] + "/" for n, d in docs.items()}
    for number, revs in manifest.items():
        doc = docs[number]
        for k, rev in enumerate(revs):
            src = revision_src(doc, rev)
            out[src] = revision_page(doc, rev, revs, root, _clause_link(src[:-3] + "/", urls))
            if k:
                out[redline_src(doc, revs[k - 1], rev)] = redline_page(doc, revs[k - 1], rev, compare(revs[k - 1], rev, root))
    return out


def _clause_link(from_url: str, doc_urls: dict[str, str]):
    """A clause's link from a generated page (raw HTML there is not rewritten by MkDocs)."""
    from handbook import clauses

    def link(clause: str) -> Markup:
        number = clause[:5]
        if number not in doc_urls:
            return Markup(escape(clauses.label(clause)))
        return Markup(f'<a href="{escape(clauses.href(clause, from_url, doc_urls))}">{escape(clauses.label(clause))}</a>')
    return link


def revision_log(doc: Document, revs: list[Revision]) -> str:
    """The document page's 版本更新记录: every revision, linked, with its state and redline."""
    page = lambda r: posixpath.basename(revision_src(doc, r))[:-3] + "/"  # noqa: E731
    hrefs = {r.version: f"../{page(r)}" for r in revs}
    return templates.render("revision-log.html",
        doc=doc, revs=list(reversed(revs)), kinds=KINDS, names=roster.name, page=page,
        state=lambda r: status_html(revs, r, hrefs),
        redline=lambda a, b: posixpath.basename(redline_src(doc, a, b))[:-3] + "/",
        previous={r.version: revs[k - 1] for k, r in enumerate(revs) if k})


def changes(docs: dict[str, Document], manifest: dict[str, list[Revision]]) -> list[dict]:
    """Every release across the handbook, newest first (the change register)."""
    out = []
    day = build_day()
    for number, revs in manifest.items():
        doc = docs[number]
        for k, r in enumerate(revs):
            out.append({**{key: v for key, v in asdict(r).items() if key not in ("file", "previous")},
                        "title": doc.title, "part": doc.part, "kind_text": KINDS[r.kind],
                        "approver_name": roster.name(r.approver),
                        "page": revision_src(doc, r)[:-3] + "/",
                        "redline": redline_src(doc, revs[k - 1], r)[:-3] + "/" if k else None,
                        "previous": revs[k - 1].version if k else None,
                        "status_at_build": status(revs, r, day)["state"],
                        "_revs": revs, "_rev": r})
    return sorted(out, key=lambda c: (c["released"], c["effective"], c["document"], c["version"]), reverse=True)


def data_files(docs: dict[str, Document], manifest: dict[str, list[Revision]], root: Path) -> dict[str, str]:
    """Site path -> JSON text: the change register for other systems, and each document's
    revisions as words for the comparison picker."""
    rows = [{k: v for k, v in c.items() if not k.startswith("_")} for c in changes(docs, manifest)]
    out = {f"{DATA_DIR}/changes.json": json.dumps(rows, ensure_ascii=False, indent=1)}
    for number, revs in manifest.items():
        out[f"{DATA_DIR}/{number}.json"] = json.dumps(
            {"document": number, "title": docs[number].title,
             "revisions": {r.version: article_data(r, root) for r in revs}}, ensure_ascii=False)
    return out


def change_register(rows: list[dict], root: str, docs: list[Document]) -> str:
    for c in rows:
        if "_revs" in c:
            c["status"] = status_html(c["_revs"], c["_rev"],
                                      {r.version: f"{root}{c['page'].rsplit('-v', 1)[0]}-v{r.version}/" for r in c["_revs"]})
    return templates.render("change-register.html", rows=rows, root=root, docs=docs,
                            parts=sorted({d.part for d in docs}), head=chain_head(),
                            json_href=f"{root}{DATA_DIR}/changes.json")


def point_in_time(docs: dict[str, Document], manifest: dict[str, list[Revision]], root: str) -> str:
    from calc.registry import listing

    with_calculators = {c["document"] for c in listing()}
    data = {n: {"title": d.title, "page": f"{root}{d.src_uri[:-3]}/", "calculators": n in with_calculators,
                "revisions": [{"version": r.version, "effective": r.effective,
                               "page": f"{root}{revision_src(d, r)[:-3]}/"} for r in manifest.get(n, [])]}
            for n, d in sorted(docs.items())}
    return templates.render("point-in-time.html", data=json.dumps(data, ensure_ascii=False))


def picker(docs: dict[str, Document], manifest: dict[str, list[Revision]], root: str) -> str:
    data = {n: {"title": docs[n].title, "versions": [r.version for r in revs]}
            for n, revs in sorted(manifest.items())}
    # Opens on a real change: the latest release that has a version before it.
    latest = max(((r.released, n, revs[k - 1].version, r.version) for n, revs in manifest.items()
                  for k, r in enumerate(revs) if k), default=None)
    start = {"doc": latest[1], "old": latest[2], "new": latest[3]} if latest else {}
    return templates.render("revision-picker.html", data=json.dumps(data, ensure_ascii=False),
                            start=json.dumps(start), base=f"{root}{DATA_DIR}/")

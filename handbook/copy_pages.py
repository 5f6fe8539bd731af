"""The site's view of controlled copies (handbook/copies.py): a print page per copy, with its
number and holder in the header of every printed sheet; a recall list per release; and the
register page. Generated pages hold released text: never rendered as templates again."""

import datetime as dt

from handbook import copies, revisions, roster, templates
from handbook.documents import Document
from handbook.revision_pages import FRONT, _flatten_links, revision_src


def _rel(from_src: str, to_src: str) -> str:
    """A link between two pages as URLs (these pages' links are HTML, which MkDocs does not
    rewrite): copies/KZ-1.md -> xinyong/XY-03-v2.0.md is ../../xinyong/XY-03-v2.0/."""
    from mkdocs.utils import get_relative_url

    return get_relative_url(to_src[:-3] + "/", from_src[:-3] + "/")


def copy_page(doc: Document, c: copies.Copy, manifest: dict, today: dt.date) -> str:
    revs = manifest[doc.number]
    rev = next(r for r in revs if r.version == c.version)
    header, body = revisions.snapshot_text(revisions.REVISIONS_DIR / rev.file)
    src = copies.page_src(c)
    control = templates.render(
        "controlled-copy.html", c=c, rev=rev, title=header["title"], state=copies.state(c, manifest, today),
        department=roster.name(c.department), version_href=_rel(src, revision_src(doc, rev)),
        register_href=_rel(src, "reference/copies.md"))
    return (FRONT + f"# {doc.number} {header['title']}（第 {rev.version} 版，受控副本 {c.number}）\n\n"
            + control + "\n\n" + _flatten_links(body))


def recall_page(doc: Document, version: str, all_copies: list[copies.Copy], manifest: dict, today: dt.date) -> str:
    rev = next(r for r in manifest[doc.number] if r.version == version)
    src = copies.recall_src(doc.number, version)
    rows = [{"c": c, "department": roster.name(c.department), "state": copies.state(c, manifest, today),
             "href": _rel(src, copies.page_src(c))}
            for c in copies.recall_list(doc.number, version, all_copies, manifest)]
    return FRONT + templates.render("recall-list.html", doc=doc, rev=rev, rows=rows,
                                    version_href=_rel(src, revision_src(doc, rev)),
                                    register_href=_rel(src, "reference/copies.md"))


def pages(docs: dict[str, Document], manifest: dict, today: dt.date) -> dict[str, str]:
    all_copies = copies.load()
    out = {copies.page_src(c): copy_page(docs[c.document], c, manifest, today) for c in all_copies}
    for number, version in copies.releases_with_recalls(all_copies, manifest):
        out[copies.recall_src(number, version)] = recall_page(docs[number], version, all_copies, manifest, today)
    return out


def register(docs: dict[str, Document], manifest: dict, today: dt.date, root: str) -> str:
    """受控副本 register page: every copy with its state and print page, and the recall lists."""
    all_copies = copies.load()
    rows = [{"c": c, "title": docs[c.document].title, "department": roster.name(c.department),
             "state": copies.state(c, manifest, today), "href": f"{root}{copies.page_src(c)[:-3]}/"}
            for c in sorted(all_copies, key=lambda c: c.number)]
    recalls = [{"number": n, "version": v, "title": docs[n].title,
                "open": sum(1 for c in copies.recall_list(n, v, all_copies, manifest) if not c.recalled),
                "href": f"{root}{copies.recall_src(n, v)[:-3]}/"}
               for n, v in copies.releases_with_recalls(all_copies, manifest)]
    return templates.render("copy-register.html", rows=rows, recalls=recalls, today=today.isoformat())

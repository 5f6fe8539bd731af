"""The forms on the site (issue 22), from their one definition (handbook/forms.py):

- a page per form, forms/<form id>/ (out of search, root element data-form="<form id>"): the
  blank for printing on A4, in as many copies as the form has 联, and the same form to fill
  in the page, read and checked by calc/form_fill.py in the calculators' worker, printed
  filled, saved and loaded as a JSON record (docs/assets/javascripts/form-fill.js);
- a page per earlier release of the form's document, forms/<form id>-v<version>/, that says
  the version is superseded and links the form in force: an obsolete form is not printed;
- the register (reference/forms.md): every form by document and by role.

The page of a form holds its definition as JSON (data-spec): the document version it
belongs to, that version's SHA-256 from the record of releases, and every version with its
hash, so a record made on another version is recognised when it is loaded."""

import json
import posixpath

from handbook import clauses, forms, revisions, roster, templates
from handbook.documents import Document
from handbook.revision_pages import FRONT, build_day, revision_src, status, status_html

PAGE_DIR = "forms"


def form_src(form_id: str) -> str:
    return f"{PAGE_DIR}/{form_id}.md"


def version_src(form_id: str, version: str) -> str:
    return f"{PAGE_DIR}/{form_id}-v{version}.md"


def url_of(src: str) -> str:
    return src[:-3] + "/"


def _rel(from_src: str, to_src: str) -> str:
    """A link between two pages as URLs (raw HTML in a generated page is not rewritten)."""
    return posixpath.relpath(to_src[:-3], from_src[:-3]) + "/"


def in_snapshot(defn: dict, rev: revisions.Revision) -> bool:
    """The form is named in that release's text (its document's form table)."""
    _, body = revisions.snapshot_text(revisions.REVISIONS_DIR / rev.file)
    return f"《{defn['name']}》" in body


def spec(defn: dict, doc: Document, revs: list[revisions.Revision]) -> dict:
    """What the page's script and calc/form_fill.py know of the form."""
    latest = revs[-1]
    return {**defn, "format": "handbook-form/1", "digest": forms.digest(defn), "document_title": doc.title,
            "version": latest.version, "effective": latest.effective, "sha256": latest.sha256,
            "revisions": [{"version": r.version, "effective": r.effective, "sha256": r.sha256} for r in revs]}


def _clause(clause: str, page_url: str, doc_urls: dict[str, str]) -> dict:
    return {"id": clause, "label": clauses.label(clause), "href": clauses.href(clause, page_url, doc_urls)}


def _names(ids: list[str]) -> str:
    return "、".join(roster.name(r) for r in ids)


def _view(defn: dict, page_url: str, doc_urls: dict[str, str]) -> dict:
    """The definition with clause links and role names, as the template needs them."""
    link = lambda c: _clause(c, page_url, doc_urls)  # noqa: E731
    sections = []
    for s in defn["sections"]:
        fields = []
        for f in s["fields"]:
            fields.append({**f, "link": link(f["clause"]),
                           "columns": [{**c, "link": link(c["clause"])} for c in f.get("columns", [])]})
        sections.append({**s, "link": link(s["clause"]), "fields": fields})
    return {**defn, "link": link(defn["clause"]), "sections": sections,
            "fields_link": link(defn["fields_from"]) if defn["fields_from"] else None,
            "signs": [{**s, "link": link(s["clause"])} for s in defn["signs"]],
            "roles": [(word, _names(defn[key])) for key, word in
                      (("filled_by", "填写"), ("reviewed_by", "审核"), ("approved_by", "批准"), ("kept_by", "保管"))
                      if defn[key]]}


COPY_NAMES = "一二三四五六"


def _one_block(html: str) -> str:
    """The page's HTML as one raw block for Markdown: no blank line inside it."""
    return "\n".join(line for line in html.splitlines() if line.strip())


def form_page(defn: dict, doc: Document, revs: list[revisions.Revision], doc_urls: dict[str, str],
              wheel_url: str, company: str) -> str:
    src = form_src(defn["id"])
    page_url = url_of(src)
    latest = revs[-1]
    pages = {r.version: _rel(src, version_src(defn["id"], r.version)) for r in revs}
    pages[latest.version] = "./"
    data = spec(defn, doc, revs)
    copies = [{"n": k + 1, "name": f"第{COPY_NAMES[k]}联", "use": defn["copy_uses"][k] if defn["copy_uses"] else ""}
              for k in range(defn["copies"])]
    html = templates.render(
        "form-page.html", f=_view(defn, page_url, doc_urls), doc=doc, rev=latest, company=company,
        status=status_html(revs, latest, pages, name_in_force=True), s=status(revs, latest, build_day()), copies=copies,
        spec_json=json.dumps(data, ensure_ascii=False, separators=(",", ":")), digest=data["digest"],
        wheel=wheel_url, doc_href=posixpath.relpath(doc_urls[doc.number], page_url) + "/",
        version_href=_rel(src, revision_src(doc, latest)), register_href=_rel(src, "reference/forms.md"))
    return FRONT + f"# {defn['number']} {defn['name']}\n\n" + _one_block(html) + "\n"


def superseded_page(defn: dict, doc: Document, rev: revisions.Revision, revs: list[revisions.Revision]) -> str:
    """An earlier release's form: says which version replaced it, links the form in force;
    no blank to print and nothing to fill (ISO 9001 7.5.3: obsolete forms kept out of use)."""
    src = version_src(defn["id"], rev.version)
    pages = {r.version: _rel(src, version_src(defn["id"], r.version)) for r in revs}
    pages[revs[-1].version] = _rel(src, form_src(defn["id"]))
    html = templates.render(
        "form-superseded.html", f=defn, doc=doc, rev=rev, status=status_html(revs, rev, pages, name_in_force=True),
        s=status(revs, rev, build_day()),
        current_href=_rel(src, form_src(defn["id"])), current=revs[-1],
        version_href=_rel(src, revision_src(doc, rev)))
    return FRONT + f"# {defn['number']} {defn['name']}（{doc.number} 第 {rev.version} 版）\n\n" + _one_block(html) + "\n"


def pages(docs: dict[str, Document], manifest: dict, doc_urls: dict[str, str], wheel_url_for, company: str) -> dict[str, str]:
    """src -> Markdown of every form page and every superseded version's form page.
    wheel_url_for(page_url) is the calculators' wheel as seen from that page."""
    out = {}
    for fid, defn in forms.all_definitions(docs).items():
        doc = docs[defn["document"]]
        revs = manifest.get(doc.number)
        if not revs:
            continue    # a document never released has no version in force to print
        src = form_src(fid)
        out[src] = form_page(defn, doc, revs, doc_urls, wheel_url_for(url_of(src)), company)
        for rev in revs[:-1]:
            if in_snapshot(defn, rev):
                out[version_src(fid, rev.version)] = superseded_page(defn, doc, rev, revs)
    return out


def handoff(calculator: str, page_url: str, docs: dict[str, Document], manifest: dict) -> str | None:
    """For a calculator's root element (data-form-handoff): the form its answer goes to, the
    way there from the calculator's page, and which answers go (form-handoff.js)."""
    from calc import form_prefill

    fid = form_prefill.HANDOFFS.get(calculator)
    found = [(n, f) for n, d in docs.items() for f in d.data.get("form", []) if f["id"] == fid]
    if not found or not manifest.get(found[0][0]):
        return None
    href = posixpath.relpath(url_of(form_src(fid)), page_url.rstrip("/") or ".") + "/"
    return json.dumps({"form": fid, "name": found[0][1]["name"], "href": href,
                       "when": form_prefill.WHEN.get(calculator, {})}, ensure_ascii=False)


def offline_pages(docs: dict[str, Document], manifest: dict) -> list[tuple[str, str]]:
    """(address, title) of each form in force, for a service worker that keeps a list of
    pages for offline use (the navigation's pages do not include the forms)."""
    return [(url_of(form_src(fid)), f"{d['number']} {d['name']}") for fid, d in forms.all_definitions(docs).items()
            if manifest.get(d["document"])]


# --- the register: by document and by role --------------------------------------------------

def link(defn: dict, from_src: str, manifest: dict) -> str:
    """《name》 linked to the form's page (Markdown: MkDocs checks the link); plain when its
    document was never released (no page)."""
    if not manifest.get(defn["document"]):
        return f"《{defn['name']}》"
    rel = posixpath.relpath(form_src(defn["id"]), posixpath.dirname(from_src) or ".")
    return f"[《{defn['name']}》]({rel})"


def register(docs: dict[str, Document], manifest: dict, linker) -> str:
    """表单清单 (reference/forms.md): every form by document, with its number, 联数, who fills,
    reviews, approves and keeps it, and the clauses it is used in; then by role: what each
    unit and position fills, reviews, approves and keeps."""
    from handbook.tables import table

    defs = forms.all_definitions(docs)
    used: dict[str, list[str]] = {}
    for d in docs.values():
        for p in d.data.get("process", []):
            for s in p["step"]:
                if s.get("form"):
                    used.setdefault(s["form"], []).append(s.get("clause") or p["clause"])
    out = [f"## 按文件 {{ #by-document }}\n\n共 {len(defs)} 种表单。\n"]
    for number in dict.fromkeys(d["document"] for d in defs.values()):
        doc, revs = docs[number], manifest.get(number)
        out.append(f"### {linker.doc(doc)}" + (f"（第 {revs[-1].version} 版）" if revs else "") + "\n")
        rows = []
        for fid, d in defs.items():
            if d["document"] != number:
                continue
            where = list(dict.fromkeys([d["clause"]] + used.get(fid, [])))
            rows.append([d["number"], link(d, linker.from_src, manifest), d["purpose"], d["copies"],
                         _names(d["filled_by"]), _names(d["reviewed_by"]), _names(d["approved_by"]),
                         _names(d["kept_by"]), "、".join(linker.link(c) for c in where)])
        out.append(table(["编号", "表单", "用途", "联数", "填写", "审核", "批准", "保管", "使用于"], rows))
    out.append("## 按岗位 { #by-role }\n\n各部门、岗位填写、审核、批准和保管的表单（签字栏中有其一栏的，列为审核）。\n")
    acts = forms.by_role(defs)
    entries = roster.entries()
    jump = [f"[{e['name']}](#form-role-{rid})" for rid, e in entries.items() if rid in acts]
    out.append("、".join(jump) + "\n")
    for rid, e in entries.items():
        if rid not in acts:
            continue
        unit = roster.name(roster.unit_of(rid)) if e["kind_of"] == "position" else ""
        out.append(f"### {unit + ' · ' if unit else ''}{e['name']} {{ #form-role-{rid} }}\n")
        for act, word in forms.ROLE_ACTS:
            if acts[rid][act]:
                out.append(f"- **{word}**：" + "、".join(f"{defs[f]['number']} {link(defs[f], linker.from_src, manifest)}"
                                                      for f in acts[rid][act]))
        out.append("")
    return "\n".join(out)

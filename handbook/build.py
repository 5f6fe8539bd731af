"""State of one site build, shared by the MkDocs hook and the macros: where each document
lives, the calculators' wheel, and the register of clause citations."""

import json
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from calc.parameters import policy
from handbook import citations, clauses, csp, glossary, numbers, printed, render_errors, revision_pages, revisions
from handbook import rule_parameters, runtime
from handbook import documents as document_files
from handbook.release import CAPTURE_ENV, PENDING_ENV

DOC_NUMBER_RE = re.compile(r"[A-Z]{2}-\d{2}")
_WHEEL_CACHE = Path(tempfile.gettempdir()) / "handbook-calc-wheels"


@dataclass
class BuildState:
    wheel: Path | None = None
    doc_urls: dict[str, str] = field(default_factory=dict)  # document number -> page url
    doc_srcs: dict[str, str] = field(default_factory=dict)  # document number -> docs/ path
    citations: clauses.CitationRegister = field(default_factory=clauses.CitationRegister)
    documents: dict[str, document_files.Document] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)  # glossary term -> definition
    manifest: dict[str, list[revisions.Revision]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    article_titles: dict[str, str] = field(default_factory=dict)  # article anchor -> title
    # Set by the release command: write each document's Markdown, macros expanded, here.
    capture: str | None = None
    parameters: dict[str, dict] = field(default_factory=dict)  # capture: every parameter as the text stands


STATE = BuildState()


def start() -> BuildState:
    """A fresh build (also each rebuild of `mkdocs serve`): forget every file read before,
    so page text and the calculators' wheel come from the same parameters; refuse to build
    on a broken record of releases. The release command's capture build needs no wheel."""
    global STATE
    from calc import parameters

    parameters.clear_cache()
    document_files.sources.cache_clear()
    clauses._item_labels.cache_clear()
    revision_pages.article_data.cache_clear()
    render_errors.install()
    capture = os.environ.get(CAPTURE_ENV)
    pending = os.environ.get(PENDING_ENV)
    if capture and pending:
        parameters.set_pending(*pending.split())
    if not capture:
        problems = revisions.verify()
        if problems:
            raise revisions.ManifestError("发布记录校验未通过（python -m handbook verify）：\n" + "\n".join(problems))
    STATE = BuildState(wheel=None if capture else runtime.build_wheel(_WHEEL_CACHE), capture=capture)
    if capture:   # the release needs each document's parameters, and which ones its text prints
        STATE.parameters = rule_parameters.flat(parameters.policy())
        printed.install()
    return STATE


def index_documents(files, docs_dir: str) -> None:
    STATE.documents = document_files.load_all(Path(docs_dir))
    STATE.terms = {t["term"]: t["definition"] for d in STATE.documents.values()
                   for t in d.data.get("term", [])}
    docs = [f for f in files.documentation_pages() if DOC_NUMBER_RE.fullmatch(Path(f.src_uri).stem)]
    STATE.doc_urls = {Path(f.src_uri).stem: f.url for f in docs}
    STATE.doc_srcs = {Path(f.src_uri).stem: f.src_uri for f in docs}
    STATE.article_titles = citations.article_titles(d.path for d in STATE.documents.values())
    STATE.manifest = revisions.load()
    for number in STATE.manifest:
        if number not in STATE.documents:
            STATE.errors.append(f"revisions/manifest.json：已发布的文件 {number} 不在 docs/ 中")


def revision_files(config) -> list:
    """Pages generated from released revisions (none in capture mode: nothing to show)."""
    from mkdocs.structure.files import File

    if STATE.capture:
        return []
    pages = revision_pages.pages(STATE.documents, STATE.manifest, revisions.REVISIONS_DIR)
    return [File.generated(config, src, content=md) for src, md in pages.items()]


def onboarding_files(config) -> list:
    """新员工入门: one generated page per unit and position."""
    from mkdocs.structure.files import File

    from handbook import onboarding, tables

    if STATE.capture:
        return []
    pages = onboarding.pages(STATE.documents, lambda src: tables.Linker(src, STATE.doc_srcs, STATE.citations))
    return [File.generated(config, src, content=md) for src, md in pages.items()]


def record_files(config) -> list:
    """Controlled copies: a print page per copy and a recall list per release (copy_pages)."""
    from mkdocs.structure.files import File

    from calc.parameters import today
    from handbook import copy_pages

    if STATE.capture:
        return []
    pages = copy_pages.pages(STATE.documents, STATE.manifest, today())
    return [File.generated(config, src, content=md) for src, md in pages.items()]


def form_files(config) -> list:
    """The forms: a page per form (blank, fillable, printable) and per superseded version
    (handbook/form_pages.py)."""
    from mkdocs.structure.files import File

    from handbook import form_pages, roster

    if STATE.capture:
        return []
    pages = form_pages.pages(STATE.documents, STATE.manifest, STATE.doc_urls, wheel_url,
                             roster.names()["company_name"])
    return [File.generated(config, src, content=md) for src, md in pages.items()]


def begin_page(page_src: str) -> None:
    if STATE.capture:
        printed.begin(page_src)


def capture_page(markdown: str, page_src: str) -> None:
    """The page's macros have run: keep its text and the parameters it printed."""
    if STATE.capture:
        printed.begin(None)   # what the build reads from here on is not the page's text
    number = Path(page_src).stem
    if STATE.capture and number in STATE.doc_srcs and STATE.doc_srcs[number] == page_src:
        (Path(STATE.capture) / f"{number}.md").write_text(markdown, encoding="utf-8")
        stated = rule_parameters.of_document(number, STATE.parameters, printed.seen(page_src))
        (Path(STATE.capture) / f"{number}.parameters.json").write_text(
            json.dumps(stated, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def check_source(markdown: str, page_src: str) -> None:
    """Numbers typed where the parameter file has them (checked on the unrendered source)."""
    for problem in numbers.typed_parameters(markdown, policy()):
        STATE.errors.append(f"{page_src}：{problem}")
    for problem in citations.mismatches(markdown, STATE.article_titles):
        STATE.errors.append(f"{page_src}：{problem}")


def finish_page(html: str, page_url: str, page_src: str) -> str:
    for problem in csp.content_scripts(html):  # content never runs script (the CSP allows only the templates')
        STATE.errors.append(f"{page_src}：{problem}")
    ids = clauses.anchor_list(html)
    for anchor, n in Counter(ids).items():
        if n > 1:
            STATE.errors.append(f"{page_src}：条款锚点 {anchor} 重复 {n} 次")
    number = Path(page_src).stem
    if number in STATE.doc_srcs:
        for anchor in ids:
            if not anchor.startswith(number + "-"):
                STATE.errors.append(f"{page_src}：锚点 {anchor} 不属于本文件 {number}")
    html = clauses.add_item_permalinks(html)
    # A form is filled and printed, not read: no tooltips inside its fields and sheets.
    if not page_src.startswith(("reference/glossary", "forms/")):
        html = glossary.add_tooltips(html, STATE.terms)
    STATE.citations.record(page_url, html)
    return html


def finish_site(site_dir: str) -> list[str]:
    """Copy the runtime into the site; return the build's errors (dangling citations)."""
    if not STATE.capture:
        runtime.copy_runtime(Path(site_dir), STATE.wheel)
        for rel, text in revision_pages.data_files(STATE.documents, STATE.manifest, revisions.REVISIONS_DIR).items():
            (Path(site_dir) / rel).parent.mkdir(parents=True, exist_ok=True)
            (Path(site_dir) / rel).write_text(text, encoding="utf-8")
    from calc.parameters import today
    from handbook import reviews

    from handbook import copies

    try:
        copy_problems = copies.check(copies.load(), STATE.manifest, today())
    except copies.CopyError as e:
        copy_problems = [str(e)]
    return (STATE.errors + reviews.check(STATE.documents, today()) + copy_problems
            + STATE.citations.dangling(STATE.doc_urls))


def write_feeds(site_dir: str, site_url: str) -> None:
    """The calendar of review dates and reporting deadlines (handbook/ical.py)."""
    from calc.parameters import today
    from handbook import ical

    if STATE.capture:
        return
    target = Path(site_dir) / ical.SITE_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(ical.calendar(STATE.documents, STATE.manifest, today(), site_url or "/", STATE.doc_urls))


def relative_root(page_url: str) -> str:
    """'' for the home page, '../../' for 'xinyong/XY-03/': the way back to the site root."""
    return "../" * page_url.count("/")


def wheel_url(page_url: str) -> str:
    if STATE.wheel is None:  # capture mode: no calculators run
        return ""
    return relative_root(page_url) + runtime.wheel_site_path(STATE.wheel)

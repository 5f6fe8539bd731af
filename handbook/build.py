"""State of one site build, shared by the MkDocs hook and the macros: where each document
lives, the calculators' wheel, and the register of clause citations."""

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from calc.parameters import policy
from handbook import citations, clauses, glossary, numbers, revision_pages, revisions, runtime
from handbook import documents as document_files
from handbook.release import CAPTURE_ENV, PENDING_ENV

DOC_NUMBER_RE = re.compile(r"[A-Z]{2}-\d{2}")


@dataclass
class BuildState:
    runtime: "runtime.Runtime | None" = None   # the calculators' runtime (None: a release's capture)
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
    nav: object = None   # the site's navigation: its pages are kept for offline reading


STATE = BuildState()


def start(docs_dir: str = "docs") -> BuildState:
    """A fresh build (also each rebuild of `mkdocs serve`): forget every file read before,
    so page text and the calculators' wheel come from the same parameters; refuse to build
    on a broken record of releases. The release command's capture build needs no wheel."""
    global STATE
    from calc import parameters

    parameters.clear_cache()
    document_files.sources.cache_clear()
    clauses._item_labels.cache_clear()
    revision_pages.article_data.cache_clear()
    capture = os.environ.get(CAPTURE_ENV)
    pending = os.environ.get(PENDING_ENV)
    if capture and pending:
        parameters.set_pending(*pending.split())
    if not capture:
        problems = revisions.verify()
        if problems:
            raise revisions.ManifestError("发布记录校验未通过（python -m handbook verify）：\n" + "\n".join(problems))
    prepared = None if capture else runtime.prepare(docs=Path(docs_dir))
    STATE = BuildState(runtime=prepared, capture=capture)
    return STATE


def page_runtime(docs_dir: str = "docs") -> dict | None:
    """What overrides/main.html writes into each page with a calculator: the runtime's
    configuration (JSON) and the address of the runtime script, both of this build."""
    if STATE.runtime is None:
        return None
    return {"config": json.dumps(STATE.runtime.config, ensure_ascii=False, separators=(",", ":")),
            "script": runtime.script_url(Path(docs_dir))}


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


def capture_page(markdown: str, page_src: str) -> None:
    number = Path(page_src).stem
    if STATE.capture and number in STATE.doc_srcs and STATE.doc_srcs[number] == page_src:
        (Path(STATE.capture) / f"{number}.md").write_text(markdown, encoding="utf-8")


def check_source(markdown: str, page_src: str) -> None:
    """Numbers typed where the parameter file has them (checked on the unrendered source)."""
    for problem in numbers.typed_parameters(markdown, policy()):
        STATE.errors.append(f"{page_src}：{problem}")
    for problem in citations.mismatches(markdown, STATE.article_titles):
        STATE.errors.append(f"{page_src}：{problem}")


def finish_page(html: str, page_url: str, page_src: str) -> str:
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
    if not page_src.startswith("reference/glossary"):
        html = glossary.add_tooltips(html, STATE.terms)
    STATE.citations.record(page_url, html)
    return html


def finish_site(site_dir: str) -> list[str]:
    """Copy the runtime into the site; return the build's errors (dangling citations)."""
    if not STATE.capture:
        runtime.copy_runtime(Path(site_dir), STATE.runtime)
        for rel, text in revision_pages.data_files(STATE.documents, STATE.manifest, revisions.REVISIONS_DIR).items():
            (Path(site_dir) / rel).parent.mkdir(parents=True, exist_ok=True)
            (Path(site_dir) / rel).write_text(text, encoding="utf-8")
    return STATE.errors + STATE.citations.dangling(STATE.doc_urls)


def offline_pages() -> list[tuple[str, str]]:
    """The pages of the navigation (documents, calculator index, reference pages) with
    their titles: the service worker keeps them for offline reading."""
    if STATE.nav is None:
        return []
    return [(page.url, page.title or page.url) for page in STATE.nav.pages]


def relative_root(page_url: str) -> str:
    """'' for the home page, '../../' for 'xinyong/XY-03/': the way back to the site root."""
    return "../" * page_url.count("/")


def wheel_url(page_url: str) -> str:
    if STATE.runtime is None:  # capture mode: no calculators run
        return ""
    return relative_root(page_url) + STATE.runtime.wheel

"""One site build: where each document lives, the calculators' wheel, the register of
clause citations, the build's errors. The state is made by `start` at the start of the
build and handed, through the MkDocs config (`config.handbook`), to the hook and to the
macros: no module-level state, so a rebuild under `mkdocs serve` starts afresh."""

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from calc.parameters import policy
from handbook import (bands, citations, clauses, csp, decisions, glossary, numbers, parameter_pages, render_errors,
                      revision_pages, revisions)
from handbook import runtime
from handbook import documents as document_files
from handbook.document_macros import Sources

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
    nav: object = None   # the site's navigation: its pages are kept for offline reading

    @property
    def sources(self) -> Sources:
        """What the document macros read (handbook/document_macros.py)."""
        return Sources(self.documents, self.doc_srcs, self.manifest, self.citations)


def start(config) -> BuildState:
    """A fresh build (also each rebuild of `mkdocs serve`): forget every file read before,
    so page text and the calculators' wheel come from the same parameters; refuse to build
    on a broken record of releases. The state goes on the config (`config.handbook`)."""
    from calc import parameters

    parameters.clear_cache()
    document_files.sources.cache_clear()
    clauses._item_labels.cache_clear()
    parameter_pages.clear_cache()
    revision_pages.article_data.cache_clear()
    render_errors.install()
    problems = revisions.verify()
    if problems:
        raise revisions.ManifestError("发布记录校验未通过（python -m handbook verify）：\n" + "\n".join(problems))
    # A parameter change that opens a gap or an overlap in a decision table stops the build.
    bands.check(decisions.band_sets(policy()))
    state = BuildState(runtime=runtime.prepare(docs=Path(config.docs_dir)))
    config.handbook = state
    return state


def page_runtime(state: BuildState, docs_dir: str) -> dict | None:
    """What overrides/main.html writes into each page with a calculator: the runtime's
    configuration (JSON) and the address of the runtime script, both of this build."""
    if state.runtime is None:
        return None
    return {"config": json.dumps(state.runtime.config, ensure_ascii=False, separators=(",", ":")),
            "script": runtime.script_url(Path(docs_dir))}


def index_documents(state: BuildState, files, docs_dir: str) -> None:
    state.documents = document_files.load_all(Path(docs_dir))
    state.terms = {t["term"]: t["definition"] for d in state.documents.values()
                   for t in d.data.get("term", [])}
    docs = [f for f in files.documentation_pages() if DOC_NUMBER_RE.fullmatch(Path(f.src_uri).stem)]
    state.doc_urls = {Path(f.src_uri).stem: f.url for f in docs}
    state.doc_srcs = {Path(f.src_uri).stem: f.src_uri for f in docs}
    state.article_titles = citations.article_titles(d.path for d in state.documents.values())
    state.manifest = revisions.load()
    for number in state.manifest:
        if number not in state.documents:
            state.errors.append(f"revisions/manifest.json：已发布的文件 {number} 不在 docs/ 中")


def generated_files(state: BuildState, config) -> list:
    """Pages made from data: each released revision and its redline, each unit's and
    position's onboarding page with its read receipt, each controlled copy and recall list,
    each form."""
    from mkdocs.structure.files import File

    from calc.parameters import today
    from handbook import copy_pages, form_pages, onboarding, roster, tables

    pages = revision_pages.pages(state.documents, state.manifest, revisions.REVISIONS_DIR)
    pages |= onboarding.pages(state.documents, lambda src: tables.Linker(src, state.doc_srcs, state.citations),
                              state.manifest)
    pages |= copy_pages.pages(state.documents, state.manifest, today())
    # The forms: a page per form (blank, fillable, printable) and per superseded version.
    pages |= form_pages.pages(state.documents, state.manifest, state.doc_urls, lambda url: wheel_url(state, url),
                              roster.names()["company_name"])
    return [File.generated(config, src, content=md) for src, md in pages.items()]


def check_source(state: BuildState, markdown: str, page_src: str) -> None:
    """Numbers typed where the parameter file has them (checked on the unrendered source)."""
    for problem in numbers.typed_parameters(markdown, policy()):
        state.errors.append(f"{page_src}：{problem}")
    for problem in citations.mismatches(markdown, state.article_titles):
        state.errors.append(f"{page_src}：{problem}")


def finish_page(state: BuildState, html: str, page_url: str, page_src: str) -> str:
    for problem in csp.content_scripts(html):  # content never runs script (the CSP allows only the templates')
        state.errors.append(f"{page_src}：{problem}")
    ids = clauses.anchor_list(html)
    for anchor, n in Counter(ids).items():
        if n > 1:
            state.errors.append(f"{page_src}：条款锚点 {anchor} 重复 {n} 次")
    number = Path(page_src).stem
    if number in state.doc_srcs:
        for anchor in ids:
            if not anchor.startswith(number + "-"):
                state.errors.append(f"{page_src}：锚点 {anchor} 不属于本文件 {number}")
    html = clauses.add_item_permalinks(html)
    if state.doc_srcs.get(number) == page_src:   # a document's own page: its clauses link to their parameters
        html = parameter_pages.add_links(html, relative_root(page_url))
    # A form is filled and printed, not read: no tooltips inside its fields and sheets.
    if not page_src.startswith(("reference/glossary", "forms/")):
        html = glossary.add_tooltips(html, state.terms)
    state.citations.record(page_url, html)
    return html


def finish_site(state: BuildState, site_dir: str) -> list[str]:
    """Copy the runtime into the site; return the build's errors (dangling citations, the
    document-control records)."""
    from calc.parameters import today
    from handbook import copies, reviews

    runtime.copy_runtime(Path(site_dir), state.runtime)
    for rel, text in revision_pages.data_files(state.documents, state.manifest, revisions.REVISIONS_DIR).items():
        (Path(site_dir) / rel).parent.mkdir(parents=True, exist_ok=True)
        (Path(site_dir) / rel).write_text(text, encoding="utf-8")
    try:
        copy_problems = copies.check(copies.load(), state.manifest, today())
    except copies.CopyError as e:
        copy_problems = [str(e)]
    return (state.errors + reviews.check(state.documents, today()) + copy_problems
            + state.citations.dangling(state.doc_urls))


def write_feeds(state: BuildState, site_dir: str, site_url: str) -> None:
    """The calendar of review dates and reporting deadlines (handbook/ical.py)."""
    from calc.parameters import today
    from handbook import ical

    target = Path(site_dir) / ical.SITE_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(ical.calendar(state.documents, state.manifest, today(), site_url or "/", state.doc_urls))


def offline_pages(state: BuildState) -> list[tuple[str, str]]:
    """The pages of the navigation (documents, calculator index, reference pages) with
    their titles: the service worker keeps them for offline reading."""
    if state.nav is None:
        return []
    return [(page.url, page.title or page.url) for page in state.nav.pages]


def relative_root(page_url: str) -> str:
    """'' for the home page, '../../' for 'xinyong/XY-03/': the way back to the site root
    (MkDocs' own relative URL)."""
    from mkdocs.utils import get_relative_url

    back = get_relative_url("", page_url)
    return "" if back == "." else back + "/"


def wheel_url(state: BuildState, page_url: str) -> str:
    return relative_root(page_url) + state.runtime.wheel

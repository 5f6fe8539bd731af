"""State of one site build, shared by the MkDocs hook and the macros: where each document
lives, the calculators' wheel, and the register of clause citations."""

import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from calc.parameters import policy
from handbook import clauses, glossary, numbers, runtime
from handbook import documents as document_files

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
    errors: list[str] = field(default_factory=list)


STATE = BuildState()


def start() -> BuildState:
    global STATE
    STATE = BuildState(wheel=runtime.build_wheel(_WHEEL_CACHE))
    return STATE


def index_documents(files, docs_dir: str) -> None:
    STATE.documents = document_files.load_all(Path(docs_dir))
    STATE.terms = {t["term"]: t["definition"] for d in STATE.documents.values()
                   for t in d.data.get("term", [])}
    docs = [f for f in files.documentation_pages() if DOC_NUMBER_RE.fullmatch(Path(f.src_uri).stem)]
    STATE.doc_urls = {Path(f.src_uri).stem: f.url for f in docs}
    STATE.doc_srcs = {Path(f.src_uri).stem: f.src_uri for f in docs}


def check_source(markdown: str, page_src: str) -> None:
    """Numbers typed where the parameter file has them (checked on the unrendered source)."""
    for problem in numbers.typed_parameters(markdown, policy()):
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
    runtime.copy_runtime(Path(site_dir), STATE.wheel)
    return STATE.errors + STATE.citations.dangling(STATE.doc_urls)


def relative_root(page_url: str) -> str:
    """'' for the home page, '../../' for 'xinyong/XY-03/': the way back to the site root."""
    return "../" * page_url.count("/")


def wheel_url(page_url: str) -> str:
    return relative_root(page_url) + runtime.wheel_site_path(STATE.wheel)
